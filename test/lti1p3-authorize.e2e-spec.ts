import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { ApiClient, createPerson } from './support/api-client';
import { FormSession } from './support/form-session';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
const LTI1P1_CLAIM = `${LTI}lti1p1`;
const PASSWORD = 'a-long-test-password';
const LEARNER = 'authz-learner@example.com';
const OTHER_LEARNER = 'authz-other@example.com';
const LEARNER_SIS_ID = 'SIS-AUTHZ-0042';

/** Tools on another site: nothing is ever fetched from them (the key is a PEM), only their URLs are compared. */
const TOOL_A = {
  login: 'https://tool-a.example.com/lti/login',
  launch: 'https://tool-a.example.com/lti/launch',
  deepLink: 'https://tool-a.example.com/lti/deep-link',
};
const TOOL_B = { login: 'https://tool-b.example.com/login', launch: 'https://tool-b.example.com/launch' };
const MIGRATED = { login: 'https://new-tool.example.com/login', launch: 'https://new-tool.example.com/launch' };
const LEGACY_KEY = 'legacy-key';
const LEGACY_SECRET = 'legacy-secret-1';

/** The six parameters of the login initiation the launch page posts to the tool. */
const LOGIN_FIELDS = ['client_id', 'iss', 'login_hint', 'lti_deployment_id', 'lti_message_hint', 'target_link_uri'];

interface HtmlForm {
  readonly action: string;
  readonly fields: Record<string, string>;
}

interface Authorized {
  readonly method: 'GET' | 'POST';
  readonly status: number;
  readonly html: string;
  /** The auto-posting `form.form-post`, or null when the page has none. */
  readonly form: HtmlForm | null;
}

function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, entity: string) => {
    const chars: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" };
    return chars[entity];
  });
}

/** The first `<form>` whose class list holds `className`: its action and hidden fields, unescaped. */
function parseForm(html: string, className: string): HtmlForm | null {
  const forms = html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g);
  for (const [, attributes, body] of forms) {
    const classes = /\bclass="([^"]*)"/.exec(attributes)?.[1].split(/\s+/) ?? [];
    if (!classes.includes(className)) continue;
    const fields: Record<string, string> = {};
    for (const input of body.matchAll(/<input\b[^>]*>/g)) {
      const name = /\bname="([^"]*)"/.exec(input[0])?.[1];
      const value = /\bvalue="([^"]*)"/.exec(input[0])?.[1];
      if (name !== undefined) fields[unescapeHtml(name)] = unescapeHtml(value ?? '');
    }
    return { action: unescapeHtml(/\baction="([^"]*)"/.exec(attributes)?.[1] ?? ''), fields };
  }
  return null;
}

describe('LTI 1.3 OIDC authorization endpoint, called as a tool would call it (no browser)', () => {
  let testApp: TestApp;
  let root: ApiClient;
  let orgId: string;
  let learner: FormSession;
  let otherLearner: FormSession;
  let learnerId: string;
  let courseId: string;
  let enrollmentId: string;
  let otherEnrollmentId: string;
  const providers: Record<string, { id: string; clientId: string; deploymentId: string }> = {};
  const activities: Record<string, { id: string; ltiResourceLinkId: string; title: string }> = {};
  const links: Record<string, string> = {};
  let jwks: ReturnType<typeof createRemoteJWKSet>;

  const query = <T = Record<string, unknown>>(sql: string, parameters: unknown[] = []): Promise<T[]> =>
    testApp.dataSource.query(sql, parameters);
  const launchCount = async () => (await query<{ n: number }>(`SELECT count(*)::int AS n FROM lti_launches`))[0].n;

  const standInPem = () =>
    String(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }));

  async function createProvider(body: Record<string, unknown>, as: ApiClient = root) {
    const created = await as.post('/api/v1/lti/providers', {
      organizationId: orgId,
      availableOrganizationIds: [orgId],
      privacy: 'public',
      ...body,
    });
    if (created.status !== 201) throw new Error(`provider ${String(body.name)}: ${created.status} ${created.text}`);
    return created.body as {
      id: string;
      platform?: { clientId: string; deploymentId: string };
    };
  }

  async function create13(key: string, body: Record<string, unknown>) {
    const created = await createProvider({ ltiVersion: '1.3', publicKeyPem: standInPem(), ...body });
    providers[key] = {
      id: created.id,
      clientId: created.platform!.clientId,
      deploymentId: created.platform!.deploymentId,
    };
  }

  async function placeLink(key: string, providerKey: string, url: string) {
    const link = await root.post('/api/v1/lti/resource-links', {
      name: `Link ${key}`,
      organizationId: orgId,
      providerId: providers[providerKey].id,
      url,
      availableOrganizationIds: [orgId],
    });
    if (link.status !== 201) throw new Error(`link ${key}: ${link.status} ${link.text}`);
    links[key] = link.body.id;
    const activity = await root.post(`/api/v1/courses/${courseId}/activities`, { resourceLinkId: link.body.id });
    if (activity.status !== 201) throw new Error(`activity ${key}: ${activity.status} ${activity.text}`);
    activities[key] = { id: activity.body.id, ltiResourceLinkId: '', title: activity.body.title };
  }

  /** The learner's launch page: its `form.lti-launch` (the login initiation, or the signed 1.1 form). */
  async function launchForm(session: FormSession, activityKey: string, enrollment = enrollmentId): Promise<HtmlForm> {
    const response = await session.get(
      `/learn/enrollments/${enrollment}/activities/${activities[activityKey].id}/launch`,
    );
    const html = await response.text();
    expect(response.status).toBe(200);
    const form = parseForm(html, 'lti-launch');
    if (!form) throw new Error(`no launch form on the launch page of ${activityKey}: ${html.slice(0, 500)}`);
    return form;
  }

  /** What a tool sends back from the login initiation: every parameter right, ready to be spoilt one at a time. */
  function authorizationRequest(
    login: HtmlForm,
    redirectUri: string,
    state = `state-${randomBytes(8).toString('hex')}`,
  ) {
    return {
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: login.fields.client_id,
      redirect_uri: redirectUri,
      login_hint: login.fields.login_hint,
      lti_message_hint: login.fields.lti_message_hint,
      nonce: `nonce-${randomBytes(12).toString('hex')}`,
      state,
    };
  }

  /** The tool's redirect to /lti/1p3/authorize (GET, the query string) or its form post (POST), in a session or none. */
  async function authorize(
    session: FormSession | null,
    params: Record<string, string | undefined>,
    method: 'GET' | 'POST' = 'GET',
  ): Promise<Authorized> {
    const defined = Object.fromEntries(
      Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    let response: Response;
    if (!session) {
      const query = new URLSearchParams(defined).toString();
      response =
        method === 'GET'
          ? await fetch(`${testApp.baseUrl}/lti/1p3/authorize?${query}`, { redirect: 'manual' })
          : await fetch(`${testApp.baseUrl}/lti/1p3/authorize`, {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: query,
              redirect: 'manual',
            });
    } else if (method === 'GET') {
      response = await session.get(`/lti/1p3/authorize?${new URLSearchParams(defined).toString()}`);
    } else {
      // A tool's page posts no CSRF token of ours: send an empty one.
      session.csrf = '';
      response = await session.post('/lti/1p3/authorize', defined);
    }
    const html = await response.text();
    return { method, status: response.status, html, form: parseForm(html, 'form-post') };
  }

  /** An OIDC error posted back to the tool: the form to the redirect_uri with error, description and state only. */
  function expectPostedError(result: Authorized, redirectUri: string, error: string, state: string): void {
    // The status of POST answers is asserted once, in the POST test.
    const status = result.method === 'GET' ? 200 : result.status;
    expect({ status: result.status, action: result.form?.action }).toEqual({ status, action: redirectUri });
    expect(result.form!.fields).toEqual({ error, error_description: expect.any(String), state });
    expect(result.form!.fields.error_description.length).toBeGreaterThan(0);
    expect(result.html).not.toContain('name="id_token"');
  }

  /** A local error page: 400, says so, and posts nothing anywhere. */
  function expectLocalError(result: Authorized, redirectUri?: string): void {
    expect(result.status).toBe(400);
    expect(result.html).toContain('The tool could not be launched');
    expect(result.form).toBeNull();
    expect(result.html).not.toContain('form-post');
    expect(result.html).not.toContain('name="id_token"');
    expect(result.html).not.toMatch(/<form\b[^>]*method="post"[^>]*action="https?:\/\/(?!127\.0\.0\.1)/);
    if (redirectUri) expect(result.html).not.toContain(`action="${redirectUri}"`);
  }

  async function verifiedIdToken(token: string, clientId: string) {
    const verified = await jwtVerify(token, jwks, {
      issuer: testApp.baseUrl,
      audience: clientId,
      algorithms: ['RS256'],
    });
    return verified.payload as Record<string, unknown> & { exp: number; iat: number; nonce: string };
  }

  beforeAll(async () => {
    testApp = await startTestApp();
    jwks = createRemoteJWKSet(new URL(`${testApp.baseUrl}/.well-known/jwks.json`));
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    orgId = (await root.post('/api/v1/organizations', { name: 'Authorize org' })).body.id;

    await create13('a', {
      name: 'Tool A',
      loginUrl: TOOL_A.login,
      redirectUris: [TOOL_A.launch, TOOL_A.deepLink],
      targetLinkUri: TOOL_A.launch,
    });
    await create13('b', {
      name: 'Tool B',
      loginUrl: TOOL_B.login,
      redirectUris: [TOOL_B.launch],
      targetLinkUri: TOOL_B.launch,
    });
    const legacy = await createProvider({
      name: 'Legacy tool',
      ltiVersion: '1.1',
      consumerKey: LEGACY_KEY,
      sharedSecret: LEGACY_SECRET,
    });
    providers.legacy = { id: legacy.id, clientId: '', deploymentId: '' };
    await create13('migrated', {
      name: 'Migrated tool',
      loginUrl: MIGRATED.login,
      redirectUris: [MIGRATED.launch],
      targetLinkUri: MIGRATED.launch,
      replacesProviderId: legacy.id,
    });

    const course = await root.post('/api/v1/courses', {
      title: 'Authorize course',
      code: 'AZ-1',
      organizationId: orgId,
    });
    if (course.status !== 201) throw new Error(`course: ${course.status} ${course.text}`);
    courseId = course.body.id;
    await placeLink('a', 'a', TOOL_A.launch);
    await placeLink('aWithdrawn', 'a', TOOL_A.launch);
    await placeLink('b', 'b', TOOL_B.launch);
    await placeLink('legacy', 'legacy', 'https://legacy.example.com/lti/launch');
    await placeLink('migrated', 'migrated', MIGRATED.launch);
    const listed = await root.get(`/api/v1/courses/${courseId}/activities`);
    for (const activity of Object.values(activities)) {
      activity.ltiResourceLinkId = listed.body.find((a: { id: string }) => a.id === activity.id).ltiResourceLinkId;
    }

    const instructor = (
      await createPerson(root, { email: 'authz-teacher@example.com', organizationId: orgId, role: 'instructor' })
    ).client;
    learnerId = (
      await createPerson(root, { email: LEARNER, name: 'Ada Lovelace', organizationId: orgId, role: 'learner' })
    ).id;
    expect((await root.patch(`/api/v1/users/${learnerId}`, { sisId: LEARNER_SIS_ID })).status).toBe(200);
    const otherId = (await createPerson(root, { email: OTHER_LEARNER, organizationId: orgId, role: 'learner' })).id;
    const assign = async (userId: string) => {
      const assigned = await instructor.post('/api/v1/self-paced-assignments', { courseId, userId });
      if (assigned.status !== 201) throw new Error(`assignment: ${assigned.status} ${assigned.text}`);
      return assigned.body.id as string;
    };
    enrollmentId = await assign(learnerId);
    otherEnrollmentId = await assign(otherId);

    learner = new FormSession(testApp.baseUrl);
    await learner.signIn(LEARNER, PASSWORD);
    otherLearner = new FormSession(testApp.baseUrl);
    await otherLearner.signIn(OTHER_LEARNER, PASSWORD);
  });

  afterAll(async () => {
    await testApp?.close();
  });

  it('should start the login at the tool with the six parameters and fresh random hints when the learner opens a 1.3 launch page', async () => {
    const first = await launchForm(learner, 'a');
    const second = await launchForm(learner, 'a');
    expect(first.action).toBe(TOOL_A.login);
    expect(Object.keys(first.fields).sort()).toEqual(LOGIN_FIELDS);
    expect(first.fields).toEqual({
      iss: testApp.baseUrl,
      login_hint: expect.stringMatching(/^[A-Za-z0-9_-]{32,}$/),
      target_link_uri: TOOL_A.launch,
      lti_message_hint: expect.stringMatching(/^[A-Za-z0-9_-]{32,}$/),
      client_id: providers.a.clientId,
      lti_deployment_id: providers.a.deploymentId,
    });
    expect(second.fields.login_hint).not.toBe(first.fields.login_hint);
    expect(second.fields.lti_message_hint).not.toBe(first.fields.lti_message_hint);
    expect(first.fields.login_hint).not.toBe(first.fields.lti_message_hint);
    const rows = await query<{ user_id: string; consumed_at: Date | null }>(
      'SELECT user_id, consumed_at FROM lti1p3_message_hints WHERE message_hint = $1',
      [first.fields.lti_message_hint],
    );
    expect(rows).toEqual([{ user_id: learnerId, consumed_at: null }]);
  });

  it('should post an id_token and the same state to the redirect_uri when the tool asks by GET with every parameter right', async () => {
    const login = await launchForm(learner, 'a');
    // Characters the page must escape, and the tool must get back unchanged.
    const state = `st&"<'>${randomBytes(6).toString('hex')}`;
    const request = authorizationRequest(login, TOOL_A.launch, state);
    const before = await launchCount();
    const result = await authorize(learner, request);

    expect(result.status).toBe(200);
    expect(result.form?.action).toBe(TOOL_A.launch);
    expect(Object.keys(result.form!.fields).sort()).toEqual(['id_token', 'state']);
    expect(result.form!.fields.state).toBe(state);
    const header = decodeProtectedHeader(result.form!.fields.id_token);
    expect(header.alg).toBe('RS256');
    const claims = await verifiedIdToken(result.form!.fields.id_token, providers.a.clientId);
    expect(claims).toMatchObject({
      iss: login.fields.iss,
      aud: providers.a.clientId,
      sub: learnerId,
      nonce: request.nonce,
      [`${LTI}message_type`]: 'LtiResourceLinkRequest',
      [`${LTI}version`]: '1.3.0',
      [`${LTI}deployment_id`]: login.fields.lti_deployment_id,
      [`${LTI}target_link_uri`]: login.fields.target_link_uri,
      [`${LTI}resource_link`]: { id: activities.a.ltiResourceLinkId, title: activities.a.title },
      [`${LTI}roles`]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
    });
    // Not a migrated provider: no lti1p1 claim.
    expect(claims).not.toHaveProperty(LTI1P1_CLAIM);
    expect(await launchCount()).toBe(before + 1);
    const rows = await query<{ consumed_at: Date | null }>(
      'SELECT consumed_at FROM lti1p3_message_hints WHERE message_hint = $1',
      [login.fields.lti_message_hint],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].consumed_at).toBeInstanceOf(Date);
  });

  it('should post an id_token to the redirect_uri when the tool sends its authentication request by POST', async () => {
    const login = await launchForm(learner, 'a');
    // The second registered redirect URI is as good as the first.
    const request = authorizationRequest(login, TOOL_A.deepLink);
    const before = await launchCount();
    const result = await authorize(learner, request, 'POST');
    expect(result.form?.action).toBe(TOOL_A.deepLink);
    expect(Object.keys(result.form!.fields).sort()).toEqual(['id_token', 'state']);
    expect(result.form!.fields.state).toBe(request.state);
    const claims = await verifiedIdToken(result.form!.fields.id_token, providers.a.clientId);
    expect({ sub: claims.sub, nonce: claims.nonce }).toEqual({ sub: learnerId, nonce: request.nonce });
    expect(await launchCount()).toBe(before + 1);
  });

  it('should answer 200 OK, as it does to a GET, when the tool sends its authentication request by POST', async () => {
    // The form_post answer is a page, not a created resource (OAuth 2.0 Form Post Response Mode §2: 200 OK).
    const login = await launchForm(learner, 'a');
    const granted = await authorize(learner, authorizationRequest(login, TOOL_A.launch), 'POST');
    expect(Object.keys(granted.form?.fields ?? {}).sort()).toEqual(['id_token', 'state']);
    const refused = await authorize(
      learner,
      { ...authorizationRequest(login, TOOL_A.launch), prompt: 'login' },
      'POST',
    );
    expect(refused.form?.fields.error).toBe('invalid_request');
    expect({ granted: granted.status, refused: refused.status }).toEqual({ granted: 200, refused: 200 });
  });

  it.each([
    ['an unregistered URI', 'https://evil.example.net/lti/launch'],
    ['a registered URI with an extra query', `${TOOL_A.launch}?next=https://evil.example.net`],
    ['a registered URI in another case (path)', TOOL_A.launch.replace('/lti/launch', '/LTI/Launch')],
    ['a registered URI in another case (host)', TOOL_A.launch.replace('tool-a.example.com', 'TOOL-A.example.com')],
    ['a registered URI with a trailing slash', `${TOOL_A.launch}/`],
    ['a registered URI with a fragment', `${TOOL_A.launch}#frag`],
    ['another provider’s registered URI', TOOL_B.launch],
  ])('should show a local 400 error and post nothing when the redirect_uri is %s', async (_label, redirectUri) => {
    const login = await launchForm(learner, 'a');
    const before = await launchCount();
    for (const method of ['GET', 'POST'] as const) {
      const result = await authorize(learner, authorizationRequest(login, redirectUri), method);
      expectLocalError(result, redirectUri);
    }
    expect(await launchCount()).toBe(before);
  });

  it('should show a local 400 error and post nothing when the redirect_uri is missing', async () => {
    const login = await launchForm(learner, 'a');
    const before = await launchCount();
    expectLocalError(
      await authorize(learner, { ...authorizationRequest(login, TOOL_A.launch), redirect_uri: undefined }),
    );
    expect(await launchCount()).toBe(before);
  });

  it('should show a local 400 error and post nothing when the client_id is unknown or missing', async () => {
    const login = await launchForm(learner, 'a');
    const before = await launchCount();
    for (const clientId of ['no-such-client', providers.a.clientId.toUpperCase() + 'X', undefined]) {
      const result = await authorize(learner, { ...authorizationRequest(login, TOOL_A.launch), client_id: clientId });
      expectLocalError(result, TOOL_A.launch);
    }
    expect(await launchCount()).toBe(before);
  });

  it('should post access_denied and no id_token when another learner’s session presents the first learner’s hints', async () => {
    const login = await launchForm(learner, 'a');
    const request = authorizationRequest(login, TOOL_A.launch);
    const before = await launchCount();
    const result = await authorize(otherLearner, request);
    expectPostedError(result, TOOL_A.launch, 'access_denied', request.state);
    expect(await launchCount()).toBe(before);
  });

  it('should post access_denied and no id_token when the login_hint is forged but the message hint is genuine', async () => {
    const login = await launchForm(learner, 'a');
    const other = await launchForm(otherLearner, 'a', otherEnrollmentId);
    const before = await launchCount();
    for (const loginHint of [randomBytes(32).toString('base64url'), other.fields.login_hint]) {
      const request = { ...authorizationRequest(login, TOOL_A.launch), login_hint: loginHint };
      expectPostedError(await authorize(learner, request), TOOL_A.launch, 'access_denied', request.state);
    }
    expect(await launchCount()).toBe(before);
  });

  it('should post invalid_request and no second id_token when the same hints come back a second time', async () => {
    const login = await launchForm(learner, 'a');
    const first = await authorize(learner, authorizationRequest(login, TOOL_A.launch));
    expect(Object.keys(first.form?.fields ?? {}).sort()).toEqual(['id_token', 'state']);
    const before = await launchCount();
    for (const method of ['GET', 'POST'] as const) {
      const again = authorizationRequest(login, TOOL_A.launch);
      expectPostedError(await authorize(learner, again, method), TOOL_A.launch, 'invalid_request', again.state);
    }
    expect(await launchCount()).toBe(before);
  });

  it.each([
    ['prompt=login', { prompt: 'login' }, 'invalid_request'],
    ['no prompt', { prompt: undefined }, 'invalid_request'],
    ['no nonce', { nonce: undefined }, 'invalid_request'],
    ['an empty nonce', { nonce: '' }, 'invalid_request'],
    ['a scope without openid', { scope: 'profile email' }, 'invalid_scope'],
    ['no scope', { scope: undefined }, 'invalid_scope'],
    ['response_type=code', { response_type: 'code' }, 'unsupported_response_type'],
    ['response_mode=query', { response_mode: 'query' }, 'invalid_request'],
    ['no lti_message_hint', { lti_message_hint: undefined }, 'invalid_request'],
    ['an unknown lti_message_hint', { lti_message_hint: randomBytes(32).toString('base64url') }, 'invalid_request'],
    ['no login_hint', { login_hint: undefined }, 'login_required'],
  ])(
    'should post the OIDC error back with the state and no id_token when the request has %s',
    async (_label, change: Record<string, string | undefined>, error) => {
      const login = await launchForm(learner, 'a');
      const before = await launchCount();
      const request = { ...authorizationRequest(login, TOOL_A.launch), ...change };
      expectPostedError(await authorize(learner, request), TOOL_A.launch, error, request.state);
      expect(await launchCount()).toBe(before);
    },
  );

  it('should post login_required when nobody is signed in to the platform in the browser', async () => {
    const login = await launchForm(learner, 'a');
    const before = await launchCount();
    for (const method of ['GET', 'POST'] as const) {
      const request = authorizationRequest(login, TOOL_A.launch);
      expectPostedError(await authorize(null, request, method), TOOL_A.launch, 'login_required', request.state);
    }
    expect(await launchCount()).toBe(before);
  });

  it('should post invalid_request and no id_token when the message hint has expired', async () => {
    const login = await launchForm(learner, 'a');
    await query(`UPDATE lti1p3_message_hints SET expires_at = now() - interval '1 second' WHERE message_hint = $1`, [
      login.fields.lti_message_hint,
    ]);
    const expired = await query<{ expired: boolean }>(
      'SELECT expires_at < now() AS expired FROM lti1p3_message_hints WHERE message_hint = $1',
      [login.fields.lti_message_hint],
    );
    expect(expired).toEqual([{ expired: true }]);
    const before = await launchCount();
    const request = authorizationRequest(login, TOOL_A.launch);
    expectPostedError(await authorize(learner, request), TOOL_A.launch, 'invalid_request', request.state);
    expect(await launchCount()).toBe(before);
  });

  it('should post an error and no id_token when a hint issued for provider A comes back with provider B’s client_id', async () => {
    const login = await launchForm(learner, 'a');
    const before = await launchCount();
    const request = { ...authorizationRequest(login, TOOL_B.launch), client_id: providers.b.clientId };
    expectPostedError(await authorize(learner, request), TOOL_B.launch, 'invalid_request', request.state);
    // Nor may provider A's client_id take provider B's redirect URI.
    expectLocalError(await authorize(learner, authorizationRequest(login, TOOL_B.launch)), TOOL_B.launch);
    expect(await launchCount()).toBe(before);
  });

  it('should post access_denied and no id_token when the placement was withdrawn between the login and the authentication request', async () => {
    const login = await launchForm(learner, 'aWithdrawn');
    const disabled = await root.patch(`/api/v1/lti/resource-links/${links.aWithdrawn}`, { status: 'disabled' });
    expect(disabled.status).toBe(200);
    const before = await launchCount();
    const request = authorizationRequest(login, TOOL_A.launch);
    expectPostedError(await authorize(learner, request), TOOL_A.launch, 'access_denied', request.state);
    expect(await launchCount()).toBe(before);
  });

  describe('LTI 1.1 → 1.3 migration', () => {
    it('should send the lti1p1 claim with a consumer key signature the 1.1 secret verifies and the 1.1 ids when the provider replaces a 1.1 one', async () => {
      // The same person's 1.1 launch in the same course: the ids the tool already knows.
      const legacy = await launchForm(learner, 'legacy');
      expect(legacy.action).toBe('https://legacy.example.com/lti/launch');
      expect(legacy.fields.oauth_consumer_key).toBe(LEGACY_KEY);

      const login = await launchForm(learner, 'migrated');
      expect(login.fields.client_id).toBe(providers.migrated.clientId);
      const request = authorizationRequest(login, MIGRATED.launch);
      const result = await authorize(learner, request);
      expect(Object.keys(result.form?.fields ?? {}).sort()).toEqual(['id_token', 'state']);
      const token = result.form!.fields.id_token;
      await verifiedIdToken(token, providers.migrated.clientId);
      const claims = decodeJwt(token) as Record<string, unknown> & { exp: number; nonce: string; aud: string };

      const deploymentId = claims[`${LTI}deployment_id`] as string;
      expect(deploymentId).toBe(providers.migrated.deploymentId);
      const expectedSign = createHmac('sha256', LEGACY_SECRET)
        .update([LEGACY_KEY, deploymentId, claims.iss, claims.aud, claims.exp, claims.nonce].join('&'))
        .digest('base64');
      const context = claims[`${LTI}context`] as { id: string };
      const resourceLink = claims[`${LTI}resource_link`] as { id: string };
      expect(claims[LTI1P1_CLAIM]).toEqual({
        user_id: legacy.fields.user_id,
        context_id: legacy.fields.context_id,
        resource_link_id: activities.migrated.ltiResourceLinkId,
        oauth_consumer_key: LEGACY_KEY,
        oauth_consumer_key_sign: expectedSign,
      });
      // Continuity: the 1.1 ids are the ones the 1.3 launch itself uses, for the same person and course.
      expect(legacy.fields.user_id).toBe(learnerId);
      expect(claims.sub).toBe(learnerId);
      expect(context.id).toBe(legacy.fields.context_id);
      expect(resourceLink.id).toBe(activities.migrated.ltiResourceLinkId);
      // The 1.1 launch names its placement by the same rule.
      expect(legacy.fields.resource_link_id).toBe(activities.legacy.ltiResourceLinkId);
      expect(claims.nonce).toBe(request.nonce);
    });

    it('should keep the 1.1 user_id in the lti1p1 claim when the replaced 1.1 provider identified people by SIS id', async () => {
      const legacySis = await createProvider({
        name: 'Legacy SIS tool',
        ltiVersion: '1.1',
        consumerKey: 'legacy-sis-key',
        sharedSecret: 'legacy-sis-secret-1',
        userIdSource: 'sis_id',
      });
      await create13('migratedSis', {
        name: 'Migrated SIS tool',
        loginUrl: MIGRATED.login,
        redirectUris: [MIGRATED.launch],
        targetLinkUri: MIGRATED.launch,
        replacesProviderId: legacySis.id,
      });
      providers.legacySis = { id: legacySis.id, clientId: '', deploymentId: '' };
      await placeLink('legacySis', 'legacySis', 'https://legacy.example.com/lti/launch');
      await placeLink('migratedSis', 'migratedSis', MIGRATED.launch);

      const legacy = await launchForm(learner, 'legacySis');
      expect(legacy.fields.user_id).toBe(LEARNER_SIS_ID);
      const login = await launchForm(learner, 'migratedSis');
      const result = await authorize(learner, authorizationRequest(login, MIGRATED.launch));
      expect(Object.keys(result.form?.fields ?? {}).sort()).toEqual(['id_token', 'state']);
      const claims = await verifiedIdToken(result.form!.fields.id_token, providers.migratedSis.clientId);
      // The claim exists so that the tool can find the account it knows by the 1.1 user_id.
      expect((claims[LTI1P1_CLAIM] as { user_id: string }).user_id).toBe(legacy.fields.user_id);
    });

    it('should refuse replacesProviderId naming an LTI 1.3 provider, with a 400 on that field, on create and on update', async () => {
      const created = await root.post('/api/v1/lti/providers', {
        name: 'Replaces a 1.3',
        organizationId: orgId,
        ltiVersion: '1.3',
        loginUrl: MIGRATED.login,
        redirectUris: [MIGRATED.launch],
        targetLinkUri: MIGRATED.launch,
        publicKeyPem: standInPem(),
        replacesProviderId: providers.b.id,
      });
      expect(created.status).toBe(400);
      expect(created.body.errors.map((e: { field: string }) => e.field)).toEqual(['replacesProviderId']);
      const updated = await root.patch(`/api/v1/lti/providers/${providers.a.id}`, {
        replacesProviderId: providers.b.id,
      });
      expect(updated.status).toBe(400);
      expect(updated.body.errors.map((e: { field: string }) => e.field)).toEqual(['replacesProviderId']);
      expect((await root.get(`/api/v1/lti/providers/${providers.a.id}`)).body.replacesProviderId).toBeNull();
    });

    it('should refuse replacesProviderId naming another tenant’s 1.1 provider, even one shared with the admin’s organization', async () => {
      const otherOrg = (await root.post('/api/v1/organizations', { name: 'Other tenant' })).body.id;
      const admin = (
        await createPerson(root, { email: 'authz-admin@example.com', organizationId: orgId, role: 'site_admin' })
      ).client;
      const foreign = async (name: string, availableOrganizationIds: string[]) => {
        const created = await root.post('/api/v1/lti/providers', {
          name,
          organizationId: otherOrg,
          ltiVersion: '1.1',
          consumerKey: `${name}-key`,
          sharedSecret: `${name}-secret`,
          availableOrganizationIds,
        });
        if (created.status !== 201) throw new Error(`foreign provider: ${created.status} ${created.text}`);
        return created.body.id as string;
      };
      const hidden = await foreign('hidden', [otherOrg]);
      const shared = await foreign('shared', [otherOrg, orgId]);
      const before = (await root.get('/api/v1/lti/providers?limit=100')).body.total;
      for (const replacesProviderId of [hidden, shared]) {
        const created = await admin.post('/api/v1/lti/providers', {
          name: 'Takes over a foreign 1.1',
          organizationId: orgId,
          ltiVersion: '1.3',
          loginUrl: MIGRATED.login,
          redirectUris: [MIGRATED.launch],
          targetLinkUri: MIGRATED.launch,
          publicKeyPem: standInPem(),
          replacesProviderId,
        });
        expect({ replacesProviderId, status: created.status }).toEqual({ replacesProviderId, status: 400 });
        expect(created.body.errors.map((e: { field: string }) => e.field)).toEqual(['replacesProviderId']);
        const updated = await admin.patch(`/api/v1/lti/providers/${providers.b.id}`, { replacesProviderId });
        expect({ replacesProviderId, status: updated.status }).toEqual({ replacesProviderId, status: 400 });
        expect(updated.body.errors.map((e: { field: string }) => e.field)).toEqual(['replacesProviderId']);
      }
      expect((await root.get('/api/v1/lti/providers?limit=100')).body.total).toBe(before);
      expect((await root.get(`/api/v1/lti/providers/${providers.b.id}`)).body.replacesProviderId).toBeNull();
      // The admin's own 1.1 provider is accepted: the refusals above are about whose it is.
      const own = await admin.patch(`/api/v1/lti/providers/${providers.b.id}`, {
        replacesProviderId: providers.legacy.id,
      });
      expect(own.status).toBe(200);
      expect(own.body.replacesProviderId).toBe(providers.legacy.id);
    });
  });
});
