import { createHmac, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createRemoteJWKSet, importPKCS8, jwtVerify, SignJWT } from 'jose';
import { ApiClient, createPerson } from './support/api-client';
import { FormSession } from './support/form-session';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim/';
const AUTHOR = 'dl-return-author@example.com';
const PASSWORD = 'a-long-test-password';

/** A tool on this machine that never answers: nothing is fetched from it, its key is a PEM the test owns. */
const TOOL = {
  login: 'http://127.0.0.1:9/login',
  launch: 'http://127.0.0.1:9/launch',
};

interface HtmlForm {
  readonly action: string;
  readonly fields: Record<string, string>;
}

interface ToolKey {
  readonly publicKeyPem: string;
  readonly privateKey: Awaited<ReturnType<typeof importPKCS8>>;
}

interface Provider {
  readonly id: string;
  readonly clientId: string;
  readonly deploymentId: string;
  readonly key: ToolKey;
}

/** What the platform asked in its `LtiDeepLinkingRequest`. */
interface DeepLinkingRequest {
  readonly claims: Record<string, unknown>;
  readonly returnUrl: string;
  readonly data: string;
}

function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|#x27|#x2F|#96|#x60|#61|#x3D);/g, (_, entity: string) => {
    const chars: Record<string, string> = {
      amp: '&',
      lt: '<',
      gt: '>',
      quot: '"',
      '#39': "'",
      '#x27': "'",
      '#x2F': '/',
      '#96': '`',
      '#x60': '`',
      '#61': '=',
      '#x3D': '=',
    };
    return chars[entity];
  });
}

/** The first `<form>` whose class list holds `className`: its action and hidden fields, unescaped. */
function parseForm(html: string, className: string): HtmlForm | null {
  for (const [, attributes, body] of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
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

/** The text of the first element with `className` (tags dropped, entities decoded), or null. */
function textOfClass(html: string, className: string): string | null {
  for (const [, , attributes, inner] of html.matchAll(/<(p|h1|div|span)\b([^>]*)>([\s\S]*?)<\/\1>/g)) {
    const classes = /\bclass="([^"]*)"/.exec(attributes)?.[1].split(/\s+/) ?? [];
    if (classes.includes(className)) return unescapeHtml(inner.replace(/<[^>]*>/g, '')).trim();
  }
  return null;
}

const headingOf = (html: string) => unescapeHtml(/<h1\b[^>]*>([\s\S]*?)<\/h1>/.exec(html)?.[1] ?? '').trim();

async function newToolKey(): Promise<ToolKey> {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pkcs8 = String(pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  return {
    publicKeyPem: String(pair.publicKey.export({ type: 'spki', format: 'pem' })),
    privateKey: await importPKCS8(pkcs8, 'RS256'),
  };
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const epoch = () => Math.floor(Date.now() / 1000);
const randomNonce = () => `nonce-${randomBytes(16).toString('hex')}`;

const resourceLink = (title: string, extra: Record<string, unknown> = {}) => ({
  type: 'ltiResourceLink',
  title,
  ...extra,
});

describe('LTI 1.3 Deep Linking return, answered as a tool would answer it (no browser)', () => {
  let testApp: TestApp;
  let root: ApiClient;
  let orgId: string;
  let courseId: string;
  let author: FormSession;
  let jwks: ReturnType<typeof createRemoteJWKSet>;
  let picker: Provider;
  let other: Provider;

  const count = async (table: string): Promise<number> =>
    Number((await testApp.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);
  const counts = async () => ({
    links: await count('lti_resource_links'),
    activities: await count('course_activities'),
  });

  async function createProvider(name: string): Promise<Provider> {
    const key = await newToolKey();
    const created = await root.post('/api/v1/lti/providers', {
      name,
      organizationId: orgId,
      availableOrganizationIds: [orgId],
      ltiVersion: '1.3',
      loginUrl: TOOL.login,
      redirectUris: [TOOL.launch],
      targetLinkUri: TOOL.launch,
      publicKeyPem: key.publicKeyPem,
      services: ['deep_linking'],
    });
    if (created.status !== 201) throw new Error(`provider ${name}: ${created.status} ${created.text}`);
    return {
      id: created.body.id,
      clientId: created.body.platform.clientId,
      deploymentId: created.body.platform.deploymentId,
      key,
    };
  }

  /**
   * The author opens "Add from …"; the tool follows the login initiation back to /lti/1p3/authorize
   * and reads the id_token posted to its redirect URI: a fresh request, with a fresh `data`.
   */
  async function deepLinkingRequest(provider: Provider = picker, multiple = true): Promise<DeepLinkingRequest> {
    const page = await author.get(
      `/author/courses/${courseId}/content-items/${provider.id}${multiple ? '' : '?multiple=false'}`,
    );
    const pageHtml = await page.text();
    expect(page.status).toBe(200);
    const login = parseForm(pageHtml, 'lti-launch');
    if (!login) throw new Error(`no login initiation form: ${pageHtml.slice(0, 500)}`);
    expect(login.action).toBe(TOOL.login);
    expect(login.fields).toMatchObject({
      iss: testApp.baseUrl,
      client_id: provider.clientId,
      lti_deployment_id: provider.deploymentId,
      target_link_uri: TOOL.launch,
    });
    const nonce = randomNonce();
    const state = `state-${randomBytes(8).toString('hex')}`;
    const query = new URLSearchParams({
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: login.fields.client_id,
      redirect_uri: TOOL.launch,
      login_hint: login.fields.login_hint,
      lti_message_hint: login.fields.lti_message_hint,
      nonce,
      state,
    });
    const authorized = await author.get(`/lti/1p3/authorize?${query.toString()}`);
    const html = await authorized.text();
    const post = parseForm(html, 'form-post');
    if (!post?.fields.id_token) throw new Error(`no id_token posted: ${authorized.status} ${html.slice(0, 500)}`);
    expect(post.action).toBe(TOOL.launch);
    expect(post.fields.state).toBe(state);
    const { payload, protectedHeader } = await jwtVerify(post.fields.id_token, jwks, {
      issuer: testApp.baseUrl,
      audience: provider.clientId,
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.nonce).toBe(nonce);
    const settings = payload[`${DL}deep_linking_settings`] as Record<string, unknown>;
    expect(payload[`${LTI}message_type`]).toBe('LtiDeepLinkingRequest');
    expect(payload[`${LTI}deployment_id`]).toBe(provider.deploymentId);
    expect(settings).toMatchObject({
      deep_link_return_url: `${testApp.baseUrl}/lti/1p3/deep-linking/return`,
      accept_types: ['ltiResourceLink'],
      accept_multiple: multiple,
      data: expect.any(String),
    });
    return { claims: payload, returnUrl: String(settings.deep_link_return_url), data: String(settings.data) };
  }

  /** The claims of a valid `LtiDeepLinkingResponse` to `request`, ready to be spoilt one at a time. */
  function responseClaims(
    request: DeepLinkingRequest,
    items: unknown[],
    provider: Provider = picker,
  ): Record<string, unknown> {
    const now = epoch();
    return {
      iss: provider.clientId,
      aud: testApp.baseUrl,
      iat: now,
      exp: now + 60,
      nonce: randomNonce(),
      [`${LTI}message_type`]: 'LtiDeepLinkingResponse',
      [`${LTI}version`]: '1.3.0',
      [`${LTI}deployment_id`]: provider.deploymentId,
      [`${DL}data`]: request.data,
      [`${DL}content_items`]: items,
    };
  }

  /** Signs claims as they are (no defaults added) with RS256. */
  const sign = (claims: Record<string, unknown>, key: ToolKey = picker.key) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'tool-key-1' }).sign(key.privateKey);

  /** The tool's auto-posted form, cross-site in the author's browser: no cookie, no CSRF token. */
  async function postReturn(body: Record<string, string>, url = `${testApp.baseUrl}/lti/1p3/deep-linking/return`) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body).toString(),
      redirect: 'manual',
    });
    const html = await response.text();
    return { status: response.status, html, contentType: response.headers.get('content-type') ?? '' };
  }

  /** A refusal: 400, an HTML page that says why, and nothing created. */
  async function expectRefused(body: Record<string, string>, reasons: readonly string[]) {
    const before = await counts();
    const result = await postReturn(body);
    const reason = textOfClass(result.html, 'error-summary');
    expect({ status: result.status, html: result.contentType.startsWith('text/html') }).toEqual({
      status: 400,
      html: true,
    });
    for (const expected of reasons) expect(reason).toContain(expected);
    expect(await counts()).toEqual(before);
    return reason;
  }

  beforeAll(async () => {
    testApp = await startTestApp();
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    orgId = (await root.post('/api/v1/organizations', { name: 'Deep linking return' })).body.id;
    picker = await createProvider('Picker 1.3');
    other = await createProvider('Other picker 1.3');
    const authorApi = (await createPerson(root, { email: AUTHOR, organizationId: orgId, role: 'course_author' }))
      .client;
    const course = await authorApi.post('/api/v1/courses', { title: 'Deep linked course', organizationId: orgId });
    expect(course.status).toBe(201);
    courseId = course.body.id;
    author = new FormSession(testApp.baseUrl);
    await author.signIn(AUTHOR, PASSWORD);
    jwks = createRemoteJWKSet(new URL(`${testApp.baseUrl}/.well-known/jwks.json`));
  });

  afterAll(() => testApp?.close());

  it('should refuse two items and create nothing when the author asked for one, and take one', async () => {
    const request = await deepLinkingRequest(picker, false);
    const before = await counts();
    const two = await sign(responseClaims(request, [resourceLink('One'), resourceLink('Two')]));
    await expectRefused({ JWT: two }, ['only one item was asked for']);
    expect(await counts()).toEqual(before);

    const single = await deepLinkingRequest(picker, false);
    const one = await postReturn(
      { JWT: await sign(responseClaims(single, [resourceLink('Only one')])) },
      single.returnUrl,
    );
    expect(one.status).toBe(200);
    expect(headingOf(one.html)).toBe('One activity was added');
  });

  it('should create both resource links and activities with the right columns when a valid answer carries two items', async () => {
    const request = await deepLinkingRequest();
    expect(request.returnUrl).toBe(`${testApp.baseUrl}/lti/1p3/deep-linking/return`);
    const before = await counts();
    const jwt = await sign({
      ...responseClaims(request, [
        resourceLink('Graded lab', {
          url: 'https://tool.example.com/items/lab?x=1',
          custom: { level: 'advanced', chapter: '3' },
          lineItem: { scoreMaximum: 100, label: 'Graded lab' },
        }),
        resourceLink('Reading'),
      ]),
      [`${DL}msg`]: 'Two items picked',
      [`${DL}errormsg`]: 'One item could not be picked',
    });
    const result = await postReturn({ JWT: jwt }, request.returnUrl);
    expect(result.status).toBe(200);
    expect(headingOf(result.html)).toBe('2 activities were added');
    expect(textOfClass(result.html, 'notice')).toBe('Two items picked');
    expect(textOfClass(result.html, 'error-summary')).toBe('One item could not be picked');
    expect(await counts()).toEqual({ links: before.links + 2, activities: before.activities + 2 });

    const rows = (await testApp.dataSource.query(
      `SELECT a.course_id, a.title, l.organization_id, l.provider_id, l.name, l.url, l.custom_parameters,
              l.requires_score_for_completion, l.line_item
         FROM course_activities a JOIN lti_resource_links l ON l.id = a.resource_link_id
        WHERE a.course_id = $1 AND a.title IN ('Graded lab', 'Reading') ORDER BY a.title`,
      [courseId],
    )) as Record<string, unknown>[];
    expect(rows).toEqual([
      {
        course_id: courseId,
        title: 'Graded lab',
        organization_id: orgId,
        provider_id: picker.id,
        name: 'Graded lab',
        url: 'https://tool.example.com/items/lab?x=1',
        custom_parameters: expect.arrayContaining([
          { name: 'level', value: 'advanced' },
          { name: 'chapter', value: '3' },
        ]),
        requires_score_for_completion: true,
        line_item: { label: 'Graded lab', scoreMaximum: 100, resourceId: null, tag: null },
      },
      {
        course_id: courseId,
        title: 'Reading',
        organization_id: orgId,
        provider_id: picker.id,
        name: 'Reading',
        // No url: the tool's target link URI.
        url: TOOL.launch,
        custom_parameters: [],
        requires_score_for_completion: false,
        line_item: null,
      },
    ]);
    expect((rows[0].custom_parameters as unknown[]).length).toBe(2);
  });

  it('should add nothing and show the tool’s message when the answer has empty content_items (cancel)', async () => {
    const request = await deepLinkingRequest();
    const before = await counts();
    const jwt = await sign({ ...responseClaims(request, []), [`${DL}msg`]: 'Nothing picked this time' });
    const result = await postReturn({ JWT: jwt });
    expect(result.status).toBe(200);
    expect(headingOf(result.html)).toBe('Nothing was added');
    expect(textOfClass(result.html, 'notice')).toBe('Nothing picked this time');
    expect(await counts()).toEqual(before);
  });

  it('should escape the tool’s msg and errormsg when it shows them', async () => {
    const request = await deepLinkingRequest();
    const jwt = await sign({
      ...responseClaims(request, []),
      [`${DL}msg`]: '<script>alert(1)</script>',
      [`${DL}errormsg`]: '<img src=x onerror=alert(2)>',
    });
    const result = await postReturn({ JWT: jwt });
    expect(result.status).toBe(200);
    expect(result.html).not.toContain('<script>alert(1)');
    expect(result.html).not.toContain('<img src=x');
    expect(textOfClass(result.html, 'notice')).toBe('<script>alert(1)</script>');
  });

  it.each([
    [
      'message_type is not LtiDeepLinkingResponse',
      { [`${LTI}message_type`]: 'LtiResourceLinkRequest' },
      'message_type',
    ],
    ['version is not 1.3.0', { [`${LTI}version`]: '1.1' }, 'version must be 1.3.0'],
    [
      'an item has a custom value that is not a string',
      { [`${DL}content_items`]: [resourceLink('X', { custom: { attempts: 3 } })] },
      'custom values must be strings',
    ],
  ])('should refuse the answer when %s', async (_, spoilt, reason) => {
    const request = await deepLinkingRequest();
    const jwt = await sign({ ...responseClaims(request, [resourceLink('X')]), ...spoilt });
    await expectRefused({ JWT: jwt }, [reason]);
  });

  it('should refuse the answer when its request has expired', async () => {
    const request = await deepLinkingRequest();
    await testApp.dataSource.query(
      `UPDATE content_item_requests SET expires_at = now() - interval '1 minute' WHERE id = $1`,
      [request.data],
    );
    const jwt = await sign(responseClaims(request, [resourceLink('Too late')]));
    await expectRefused({ JWT: jwt }, ['has expired']);
  });

  it('should refuse the answer when aud is not our issuer', async () => {
    const request = await deepLinkingRequest();
    const jwt = await sign({
      ...responseClaims(request, [resourceLink('X')]),
      aud: 'https://another-platform.example',
    });
    await expectRefused({ JWT: jwt }, ['could not be verified', 'aud']);
  });

  it('should refuse the answer when aud is an array without us', async () => {
    const request = await deepLinkingRequest();
    const jwt = await sign({
      ...responseClaims(request, [resourceLink('X')]),
      aud: ['https://another-platform.example', `${testApp.baseUrl}/elsewhere`],
    });
    await expectRefused({ JWT: jwt }, ['could not be verified', 'aud']);
  });

  it('should refuse the answer when iss is not a client_id we know', async () => {
    const request = await deepLinkingRequest();
    const jwt = await sign({ ...responseClaims(request, [resourceLink('X')]), iss: `unknown-${randomUUID()}` });
    await expectRefused({ JWT: jwt }, ['unknown client_id']);
  });

  it('should refuse the answer when iss is another tool’s client_id (its key does not verify ours)', async () => {
    const request = await deepLinkingRequest();
    const jwt = await sign({ ...responseClaims(request, [resourceLink('X')]), iss: other.clientId });
    await expectRefused({ JWT: jwt }, ['could not be verified', 'signature']);
  });

  it('should refuse the answer when deployment_id is not the registration’s', async () => {
    const request = await deepLinkingRequest();
    const jwt = await sign({
      ...responseClaims(request, [resourceLink('X')]),
      [`${LTI}deployment_id`]: other.deploymentId,
    });
    await expectRefused({ JWT: jwt }, ['deployment_id']);
  });

  it('should refuse a second answer when it reuses a nonce, even with a fresh data', async () => {
    const first = await deepLinkingRequest();
    const nonce = randomNonce();
    const accepted = await postReturn({
      JWT: await sign({ ...responseClaims(first, [resourceLink('Nonce once')]), nonce }),
    });
    expect(accepted.status).toBe(200);
    expect(headingOf(accepted.html)).toBe('One activity was added');
    const fresh = await deepLinkingRequest();
    const jwt = await sign({ ...responseClaims(fresh, [resourceLink('Nonce twice')]), nonce });
    await expectRefused({ JWT: jwt }, ['nonce was already used']);
  });

  it('should refuse the same JWT when it is posted twice', async () => {
    const request = await deepLinkingRequest();
    const jwt = await sign(responseClaims(request, [resourceLink('Posted twice')]));
    const first = await postReturn({ JWT: jwt });
    expect(first.status).toBe(200);
    expect(headingOf(first.html)).toBe('One activity was added');
    await expectRefused({ JWT: jwt }, ['already used']);
  });

  it('should refuse the answer when data was changed', async () => {
    const request = await deepLinkingRequest();
    const jwt = await sign({ ...responseClaims(request, [resourceLink('X')]), [`${DL}data`]: `${request.data}x` });
    await expectRefused({ JWT: jwt }, ['already used, has expired, or was not asked of this tool']);
  });

  it('should refuse the answer when data is missing', async () => {
    const request = await deepLinkingRequest();
    const { [`${DL}data`]: _data, ...claims } = responseClaims(request, [resourceLink('X')]);
    await expectRefused({ JWT: await sign(claims) }, ['was not asked of this tool']);
  });

  it('should refuse the answer when data is another provider’s request', async () => {
    const othersRequest = await deepLinkingRequest(other);
    // Signed by our picker, valid in every other way, with the data the other tool was given.
    const ours = await deepLinkingRequest(picker);
    const jwt = await sign({ ...responseClaims(ours, [resourceLink('X')]), [`${DL}data`]: othersRequest.data });
    await expectRefused({ JWT: jwt }, ['was not asked of this tool']);
    // The other tool's request is still there for the other tool.
    const result = await postReturn({
      JWT: await sign(responseClaims(othersRequest, [resourceLink('From the other picker')], other), other.key),
    });
    expect(result.status).toBe(200);
    expect(headingOf(result.html)).toBe('One activity was added');
  });

  it.each([['link'], ['file'], ['html'], ['image']])(
    'should refuse the answer when an item has the type "%s", which was not offered',
    async (type) => {
      const request = await deepLinkingRequest();
      const jwt = await sign(
        responseClaims(request, [resourceLink('Fine'), { type, title: 'Not offered', url: 'https://x.example/a' }]),
      );
      await expectRefused({ JWT: jwt }, ['Item 2', `type "${type}" was not offered`]);
    },
  );

  it('should refuse the answer when it carries more than 50 items', async () => {
    const request = await deepLinkingRequest();
    const items = Array.from({ length: 51 }, (_, i) => resourceLink(`Bulk ${i + 1}`));
    await expectRefused({ JWT: await sign(responseClaims(request, items)) }, ['At most 50 items']);
  });

  it('should refuse the answer when an item url is http on a host that is not loopback', async () => {
    const request = await deepLinkingRequest();
    const jwt = await sign(responseClaims(request, [resourceLink('Plain http', { url: 'http://tool.example.com/x' })]));
    await expectRefused({ JWT: jwt }, ['Item 1', 'url must use https']);
  });

  it('should refuse the answer when it is signed by another key', async () => {
    const request = await deepLinkingRequest();
    const stranger = await newToolKey();
    const jwt = await sign(responseClaims(request, [resourceLink('X')]), stranger);
    await expectRefused({ JWT: jwt }, ['could not be verified', 'signature does not match']);
  });

  it('should refuse the answer when it is unsigned (alg none)', async () => {
    const request = await deepLinkingRequest();
    const claims = responseClaims(request, [resourceLink('X')]);
    const jwt = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`;
    await expectRefused({ JWT: jwt }, ['could not be verified']);
  });

  it('should refuse the answer when it is HS256 with the tool’s public key as the secret', async () => {
    const request = await deepLinkingRequest();
    const claims = responseClaims(request, [resourceLink('X')]);
    const signingInput = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(claims)}`;
    const signature = createHmac('sha256', picker.key.publicKeyPem).update(signingInput).digest('base64url');
    await expectRefused({ JWT: `${signingInput}.${signature}` }, ['could not be verified']);
  });

  it('should refuse the answer when exp has passed beyond the 60 s leeway', async () => {
    const request = await deepLinkingRequest();
    const now = epoch();
    const jwt = await sign({ ...responseClaims(request, [resourceLink('X')]), iat: now - 300, exp: now - 120 });
    await expectRefused({ JWT: jwt }, ['could not be verified', 'expired']);
  });

  it('should refuse the answer when iat is in the future beyond the 60 s leeway', async () => {
    const request = await deepLinkingRequest();
    const now = epoch();
    const jwt = await sign({ ...responseClaims(request, [resourceLink('X')]), iat: now + 600, exp: now + 660 });
    await expectRefused({ JWT: jwt }, ['could not be verified']);
  });

  it('should refuse the answer when nonce is missing', async () => {
    const request = await deepLinkingRequest();
    const { nonce: _nonce, ...claims } = responseClaims(request, [resourceLink('X')]);
    await expectRefused({ JWT: await sign(claims) }, ['could not be verified', 'nonce']);
  });

  it('should refuse the post when it has no JWT field', async () => {
    await expectRefused({ id_token: 'not-what-we-asked' }, ['sent no JWT']);
  });

  it('should refuse the post when JWT is not a JWT', async () => {
    await expectRefused({ JWT: 'this is not a JWT at all' }, ['not a JWT']);
  });
});
