import { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiClient, createPerson } from '../support/api-client';
import { launchBrowser, signedInPage } from '../support/browser';
import { Lti1p3Tool, startLti1p3Tool } from '../support/lti1p3-tool';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app';
import { BuiltApp, startBuiltApp } from '../support/built-app';

const LEARNER = 'dynreg-learner@example.com';
const PASSWORD = 'a-long-test-password';
const AGS = 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint';
const TOOL_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-tool-configuration';
/**
 * Hand-made tools live on a closed loopback port: nothing leaves the machine, and their JWKS URL, fetched
 * through the guarded client, answers nothing (a tool may register before it serves its key).
 */
const LOOPBACK = 'http://127.0.0.1:9';

/** A valid client registration (Dynamic Registration 1.0 §3.5.1) of a tool on `base`, with `changes`. */
function clientRegistration(base: string, changes: Record<string, unknown> = {}) {
  return {
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: `${base}/login`,
    redirect_uris: [`${base}/launch`],
    client_name: 'Hand-made tool',
    jwks_uri: `${base}/keys`,
    token_endpoint_auth_method: 'private_key_jwt',
    scope: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
    [TOOL_CONFIGURATION]: {
      domain: new URL(base).host,
      target_link_uri: `${base}/launch`,
      claims: ['iss', 'sub', 'name'],
      messages: [{ type: 'LtiResourceLinkRequest' }],
    },
    ...changes,
  };
}

describe('LTI Dynamic Registration 1.0 with approval, against ltijs registering itself', () => {
  let testApp: BuiltApp;
  let tool: Lti1p3Tool;
  let browser: Browser;
  let root: ApiClient;
  let organizationId: string;
  let learnerId: string;
  const contexts: BrowserContext[] = [];

  const query = <T = Record<string, unknown>>(sql: string, parameters: unknown[] = []): Promise<T[]> =>
    testApp.dataSource.query(sql, parameters);
  const providerCount = async () =>
    Number((await query<{ n: string }>('SELECT count(*) AS n FROM lti_providers'))[0].n);

  const signedIn = (email: string, password: string): Promise<Page> =>
    signedInPage(browser, testApp.baseUrl, contexts, email, password);

  /** Starts a registration through the API: its id and the registration token handed to the tool. */
  async function started(initiationUrl: string) {
    const response = await root.post('/api/v1/lti/registrations', { initiationUrl, organizationId });
    expect(response.status).toBe(201);
    const toolUrl = new URL(response.body.toolUrl as string);
    expect(toolUrl.searchParams.get('openid_configuration')).toBe(
      `${testApp.baseUrl}/.well-known/openid-configuration`,
    );
    return { id: response.body.id as string, token: toolUrl.searchParams.get('registration_token')! };
  }

  const register = (token: string | null, body: unknown) =>
    fetch(`${testApp.baseUrl}/lti/1p3/registrations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    testApp = await startBuiltApp();
    tool = await startLti1p3Tool({ dynamicRegistration: { name: 'Self-registering tool' } });
    browser = await launchBrowser();
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    organizationId = (await root.post('/api/v1/organizations', { name: 'Dynamic' })).body.id;
    learnerId = (await createPerson(root, { email: LEARNER, organizationId, role: 'learner', password: PASSWORD })).id;
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await tool?.close();
    await testApp?.close();
  });

  it('should let ltijs register itself from a frame of our page, wait for approval, then launch a learner and take the score', async () => {
    const admin = await signedIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    await admin.goto('/admin/lti/providers');
    await admin.getByRole('link', { name: /Register a tool by its registration URL/ }).click();
    await admin.locator('#f-initiationUrl').fill(tool.registrationUrl);
    await admin.locator('#f-organizationId').selectOption(organizationId);
    await admin.getByRole('button', { name: 'Start registration' }).click();
    const providersBefore = await providerCount();

    // The tool's page, framed in ours, registers with our endpoints and posts org.imsglobal.lti.close.
    await admin.waitForURL(/\/admin\/lti\/registrations\/[0-9a-f-]{36}$/);
    await admin.locator('[data-registration-status]', { hasText: 'pending' }).waitFor();
    await admin.getByRole('heading', { name: /Self-registering tool/ }).waitFor();
    expect(await admin.locator('[data-granted-services]').textContent()).toContain('grades');
    expect(await admin.locator('[data-asked-pii]').textContent()).toContain('email');
    const clientId = (await admin.locator('[data-client-id]').textContent())!.trim();

    // Pending: nothing exists to launch yet.
    expect(await providerCount()).toBe(providersBefore);
    const [row] = await query<{ status: string; request: { clientName: string } }>(
      'SELECT status, request FROM lti_dynamic_registrations WHERE client_id = $1',
      [clientId],
    );
    expect(row).toMatchObject({ status: 'pending', request: { clientName: 'Self-registering tool' } });

    await admin.locator('#f-privacy').selectOption('name_only');
    await admin.getByRole('button', { name: 'Approve' }).click();
    await admin.getByText('Registration approved').waitFor();
    expect(await providerCount()).toBe(providersBefore + 1);
    const providerId = /\/admin\/lti\/providers\/([0-9a-f-]{36})/.exec(admin.url())![1];
    const provider = (await root.get(`/api/v1/lti/providers/${providerId}`)).body;
    // The provider keeps the ids the tool already holds: nobody copies anything.
    expect(provider).toMatchObject({
      name: 'Self-registering tool',
      privacy: 'name_only',
      loginUrl: `${tool.baseUrl}/login`,
      jwksUrl: `${tool.baseUrl}/keys`,
      services: expect.arrayContaining(['grades', 'roster']),
      toolKey: { status: 'ready' },
      platform: expect.objectContaining({ clientId }),
    });
    const audit = await query<{ action: string }>(
      `SELECT action FROM audit_events WHERE entity_type = 'lti_registration' ORDER BY occurred_at`,
    );
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['create', 'register', 'approve']));

    // A learner launches the approved tool, and the tool's score comes back through AGS.
    const link = await root.post('/api/v1/lti/resource-links', {
      name: 'Self-registered unit',
      organizationId,
      providerId,
      url: provider.targetLinkUri,
      requiresScoreForCompletion: true,
      availableOrganizationIds: [organizationId],
    });
    expect(link.status).toBe(201);
    const author = await createPerson(root, {
      email: 'dynreg-author@example.com',
      organizationId,
      role: 'course_author',
    });
    const course = await author.client.post('/api/v1/courses', { title: 'Registered', code: 'DR-1', organizationId });
    const activity = await author.client.post(`/api/v1/courses/${course.body.id}/activities`, {
      resourceLinkId: link.body.id,
    });
    const instructor = await createPerson(root, {
      email: 'dynreg-instructor@example.com',
      organizationId,
      role: 'instructor',
    });
    const enrollment = await instructor.client.post('/api/v1/self-paced-assignments', {
      courseId: course.body.id,
      userId: learnerId,
    });
    expect(enrollment.status).toBe(201);
    const learner = await signedIn(LEARNER, PASSWORD);
    const before = tool.launches.length;
    await learner.goto(`/learn/enrollments/${enrollment.body.id}/activities/${activity.body.id}/launch`);
    await learner.frameLocator('iframe.lti-frame').getByRole('heading', { name: 'LTI 1.3 tool launched' }).waitFor();
    const launch = await tool.waitForLaunch(before + 1);
    expect(launch.claims).toMatchObject({ aud: clientId, sub: learnerId });
    expect(launch.claims).not.toHaveProperty('email');
    const lineitem = (launch.claims?.[AGS] as { lineitem: string }).lineitem;
    await tool.lti.Grade.submitScore(launch.idToken, lineitem, {
      scoreGiven: 9,
      scoreMaximum: 10,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
    });
    const scores = await query<{ n: string }>(
      'SELECT count(*) AS n FROM score_ledger WHERE provider_id = $1 AND enrollment_id = $2',
      [providerId, enrollment.body.id],
    );
    expect(Number(scores[0].n)).toBeGreaterThan(0);
  });

  it('should answer a used registration token with invalid_token and create nothing more', async () => {
    const { token } = await started(`${LOOPBACK}/reuse/register`);
    expect((await register(token, clientRegistration(`${LOOPBACK}/reuse`))).status).toBe(201);
    const providers = await providerCount();
    const again = await register(token, clientRegistration(`${LOOPBACK}/reuse`));
    expect(again.status).toBe(401);
    expect(again.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(await again.json()).toMatchObject({ error: 'invalid_token' });
    expect(await providerCount()).toBe(providers);
  });

  it('should answer an expired registration token with invalid_token and register nothing', async () => {
    const { id, token } = await started(`${LOOPBACK}/late/register`);
    await query(`UPDATE lti_dynamic_registrations SET token_expires_at = now() - interval '1 second' WHERE id = $1`, [
      id,
    ]);
    const answer = await register(token, clientRegistration(`${LOOPBACK}/late`));
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ error: 'invalid_token' });
    const [row] = await query<{ status: string }>('SELECT status FROM lti_dynamic_registrations WHERE id = $1', [id]);
    expect(row.status).toBe('started');
  });

  it.each([
    [
      'a redirect URI on another host than the login initiation URI',
      { redirect_uris: ['https://elsewhere.example/launch'] },
      'invalid_redirect_uri',
    ],
    ['a JWKS URI on a private address', { jwks_uri: 'https://10.20.30.40/keys' }, 'invalid_client_metadata'],
    [
      'unknown grant types',
      { grant_types: ['implicit', 'client_credentials', 'authorization_code'] },
      'invalid_client_metadata',
    ],
    [
      'a scope we do not offer',
      { scope: 'https://purl.imsglobal.org/spec/lti-ags/scope/score https://tool.example/scope/everything' },
      'invalid_client_metadata',
    ],
  ])('should refuse %s with the spec’s error and leave the registration unused', async (_case, changes, error) => {
    const { id, token } = await started(`${LOOPBACK}/hostile/register`);
    const providers = await providerCount();
    const answer = await register(token, clientRegistration(`${LOOPBACK}/hostile`, changes));
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error, error_description: expect.any(String) });
    expect(await providerCount()).toBe(providers);
    const [row] = await query<{ status: string; request: unknown; token_used_at: Date | null }>(
      'SELECT status, request, token_used_at FROM lti_dynamic_registrations WHERE id = $1',
      [id],
    );
    expect(row).toEqual({ status: 'started', request: null, token_used_at: null });
  });

  it('should update the pending registration, never a second one, when a tool registers again', async () => {
    const first = await started(`${LOOPBACK}/again/register`);
    const registered = await register(first.token, clientRegistration(`${LOOPBACK}/again`));
    const { client_id: clientId } = (await registered.json()) as { client_id: string };
    const second = await started(`${LOOPBACK}/again/register`);
    const answer = await register(
      second.token,
      clientRegistration(`${LOOPBACK}/again`, { client_name: 'Renamed tool' }),
    );
    expect(answer.status).toBe(201);
    const body = (await answer.json()) as Record<string, unknown>;
    expect(body.client_id).toBe(clientId);
    expect(body[TOOL_CONFIGURATION]).toMatchObject({ deployment_id: expect.any(String) });
    const rows = await query<{ status: string; request: { clientName: string } }>(
      'SELECT status, request FROM lti_dynamic_registrations WHERE initiate_login_uri = $1',
      [`${LOOPBACK}/again/login`],
    );
    expect(rows).toEqual([{ status: 'pending', request: expect.objectContaining({ clientName: 'Renamed tool' }) }]);
  });
});
