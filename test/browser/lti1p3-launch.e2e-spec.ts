import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRemoteJWKSet, JWK, jwtVerify } from 'jose';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiClient, createPerson } from '../support/api-client';
import { launchBrowser, newPage, signInThroughForm } from '../support/browser';
import { Lti1p3Tool, Lti1p3ToolLaunch, registerToolAsProvider, startLti1p3Tool } from '../support/lti1p3-tool';
import { LIS_MEMBERSHIP_ROLES } from '../support/lti-services-client';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app';
import { BuiltApp, startBuiltApp } from '../support/built-app';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
const LEARNER = 'lti13-learner@example.com';
const INSTRUCTOR = 'lti13-teacher@example.com';
const AUTHOR = 'lti13-author@example.com';
const PASSWORD = 'a-long-test-password';
const LEARNER_SIS_ID = 'SIS-GH-1906';
const COURSE_TITLE = 'Thirteen course';
const COURSE_CODE = 'TH-13';
const CLASS_CODE = 'TH-13-S';
const ROLE = {
  ...LIS_MEMBERSHIP_ROLES,
  testUser: 'http://purl.imsglobal.org/vocab/lti/system/person#TestUser',
};
const CONTEXT_TYPE = {
  offering: 'http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering',
  section: 'http://purl.imsglobal.org/vocab/lis/v2/course#CourseSection',
};
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const PERSON_CLAIMS = ['name', 'given_name', 'family_name', 'email'];

interface Registered {
  readonly id: string;
  readonly clientId: string;
  readonly deploymentId: string;
}

interface Placed {
  readonly id: string;
  readonly ltiResourceLinkId: string;
  readonly title: string;
}

describe('LTI 1.3 launches in a browser, against a real LTI 1.3 tool (ltijs)', () => {
  let testApp: BuiltApp;
  let tool: Lti1p3Tool;
  let browser: Browser;
  let root: ApiClient;
  let clientId: string;
  let providerId: string;
  let enrollmentId: string;
  let activityId: string;
  let learnerId: string;
  let instructorId: string;
  let authorId: string;
  let courseId: string;
  let classId: string;
  let jwks: ReturnType<typeof createRemoteJWKSet>;
  const providers: Record<'popup' | 'anonymous', Registered> = {} as never;
  const placed: Record<'frame' | 'popup' | 'anonymous', Placed> = {} as never;
  const contexts: BrowserContext[] = [];

  const query = <T = Record<string, unknown>>(sql: string, parameters: unknown[] = []): Promise<T[]> =>
    testApp.dataSource.query(sql, parameters);

  async function signedIn(email: string): Promise<{ context: BrowserContext; page: Page }> {
    const { context, page } = await newPage(browser, testApp.baseUrl);
    contexts.push(context);
    await signInThroughForm(page, email, PASSWORD);
    return { context, page };
  }

  /** The hidden fields of the launch page's login initiation form. */
  async function loginFields(page: Page): Promise<Record<string, string>> {
    const fields: Record<string, string> = {};
    for (const input of await page.locator('form.lti-launch input[type="hidden"]').all()) {
      fields[(await input.getAttribute('name')) ?? ''] = (await input.getAttribute('value')) ?? '';
    }
    return fields;
  }

  /**
   * Verifies the id_token the tool received on our own, independently of ltijs: signature against our published JWKS,
   * issuer, audience, header and lifetime. Returns its payload (the very claims the tool received).
   */
  async function verifiedClaims(launch: Lti1p3ToolLaunch, audience: string): Promise<Record<string, unknown>> {
    expect(typeof launch.raw).toBe('string');
    const { payload, protectedHeader } = await jwtVerify(launch.raw!, jwks, {
      issuer: testApp.baseUrl,
      audience,
      algorithms: ['RS256'],
    });
    expect(protectedHeader.alg).toBe('RS256');
    const published = (await (await fetch(`${testApp.baseUrl}/.well-known/jwks.json`)).json()) as { keys: JWK[] };
    expect(published.keys.map((key) => key.kid)).toContain(protectedHeader.kid);
    expect(published.keys.find((key) => key.kid === protectedHeader.kid)).toMatchObject({
      kty: 'RSA',
      alg: 'RS256',
      use: 'sig',
    });
    const { iat, exp } = payload as { iat: number; exp: number };
    expect(exp - iat).toBeGreaterThanOrEqual(60);
    expect(exp - iat).toBeLessThanOrEqual(600);
    expect(iat).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 1);
    expect(payload).toEqual(launch.claims);
    return payload as Record<string, unknown>;
  }

  /** The launch record the return URL names (`…/lti/launches/<id>/return`). */
  async function launchRecordOf(claims: Record<string, unknown>) {
    const returnUrl = (claims[`${LTI}launch_presentation`] as { return_url: string }).return_url;
    const match = new RegExp(`^${testApp.baseUrl}/lti/launches/(${UUID})/return$`).exec(returnUrl);
    expect(match).not.toBeNull();
    const rows = await query<{
      lti_version: string;
      kind: string;
      user_id: string;
      provider_id: string;
      activity_id: string;
      roles: string[];
      pii_sent: string[];
    }>('SELECT lti_version, kind, user_id, provider_id, activity_id, roles, pii_sent FROM lti_launches WHERE id = $1', [
      match![1],
    ]);
    expect(rows).toHaveLength(1);
    return { returnUrl, record: rows[0] };
  }

  /** A provider for the tool, registered both ways (see registerToolAsProvider). */
  const registerProvider = (orgId: string, body: Record<string, unknown>): Promise<Registered> =>
    registerToolAsProvider(root, tool, testApp.baseUrl, orgId, { privacy: 'public', ...body });

  beforeAll(async () => {
    testApp = await startBuiltApp();
    tool = await startLti1p3Tool();
    browser = await launchBrowser();
    jwks = createRemoteJWKSet(new URL(`${testApp.baseUrl}/.well-known/jwks.json`));
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const org = (await root.post('/api/v1/organizations', { name: 'Thirteen' })).body.id;
    const frameProvider = await registerProvider(org, {
      name: 'Lab 1.3',
      customParameters: 'who=$User.id\ncontext=$Context.id',
    });
    providerId = frameProvider.id;
    clientId = frameProvider.clientId;
    providers.popup = await registerProvider(org, {
      name: 'Popup 1.3',
      presentation: 'window',
      customParameters:
        'who=$User.id\ngiven=$Person.name.given\nlink=$ResourceLink.id\nunknown=$No.such.thing\nplain=provider',
    });
    providers.anonymous = await registerProvider(org, {
      name: 'Anonymous 1.3',
      privacy: 'anonymous',
      frameWidth: 900,
      frameHeight: 640,
      customParameters: 'who=$User.id\ngiven=$Person.name.given\nemail=$Person.email.primary',
    });

    const link = async (name: string, provider: string, customParameters?: string) => {
      const created = await root.post('/api/v1/lti/resource-links', {
        name,
        organizationId: org,
        providerId: provider,
        url: tool.launchUrl,
        availableOrganizationIds: [org],
        ...(customParameters ? { customParameters } : {}),
      });
      expect(created.status).toBe(201);
      return created.body.id as string;
    };
    const frameLink = await link('Lab 1.3 unit', providerId);
    const popupLink = await link('Popup 1.3 unit', providers.popup.id, 'plain=link');
    const anonymousLink = await link('Anonymous 1.3 unit', providers.anonymous.id);

    const author = await createPerson(root, { email: AUTHOR, organizationId: org, role: 'course_author' });
    authorId = author.id;
    const course = (
      await author.client.post('/api/v1/courses', { title: COURSE_TITLE, code: COURSE_CODE, organizationId: org })
    ).body;
    courseId = course.id;
    const addActivity = async (resourceLinkId: string) => {
      const created = await author.client.post(`/api/v1/courses/${courseId}/activities`, { resourceLinkId });
      expect(created.status).toBe(201);
      return created.body.id as string;
    };
    activityId = await addActivity(frameLink);
    const popupActivity = await addActivity(popupLink);
    const anonymousActivity = await addActivity(anonymousLink);
    // The placements' LTI resource_link_ids, as the course API tells them.
    const listed = (await author.client.get(`/api/v1/courses/${courseId}/activities`)).body as Placed[];
    const find = (id: string): Placed => {
      const activity = listed.find((a) => a.id === id)!;
      return { id, ltiResourceLinkId: activity.ltiResourceLinkId, title: activity.title };
    };
    placed.frame = find(activityId);
    placed.popup = find(popupActivity);
    placed.anonymous = find(anonymousActivity);

    const instructor = await createPerson(root, { email: INSTRUCTOR, organizationId: org, role: 'instructor' });
    instructorId = instructor.id;
    const learner = await createPerson(root, {
      email: LEARNER,
      name: 'Grace Hopper',
      organizationId: org,
      role: 'learner',
    });
    learnerId = learner.id;
    const person = await root.patch(`/api/v1/users/${learnerId}`, {
      givenName: 'Grace',
      familyName: 'Hopper',
      sisId: LEARNER_SIS_ID,
    });
    expect(person.status).toBe(200);
    enrollmentId = (
      await instructor.client.post('/api/v1/self-paced-assignments', { courseId: course.id, userId: learnerId })
    ).body.id;
    const courseClass = await instructor.client.post('/api/v1/classes', {
      courseId,
      title: 'Spring cohort',
      code: CLASS_CODE,
    });
    expect(courseClass.status).toBe(201);
    classId = courseClass.body.id;
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await tool?.close();
    await testApp?.close();
  });

  it('should complete the OIDC launch in the iframe and hand the tool a valid id_token with its claims', async () => {
    const { context, page } = await newPage(browser, testApp.baseUrl);
    await signInThroughForm(page, LEARNER, PASSWORD);
    const before = tool.launches.length;
    await page.goto(`/learn/enrollments/${enrollmentId}/activities/${activityId}/launch`);
    await page.frameLocator('iframe.lti-frame').getByRole('heading', { name: 'LTI 1.3 tool launched' }).waitFor();
    const launch = await tool.waitForLaunch(before + 1);
    expect(launch.claims).toMatchObject({
      iss: testApp.baseUrl,
      aud: clientId,
      sub: learnerId,
      name: 'Grace Hopper',
      [`${LTI}message_type`]: 'LtiResourceLinkRequest',
      [`${LTI}version`]: '1.3.0',
      [`${LTI}target_link_uri`]: tool.launchUrl,
      [`${LTI}roles`]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
      [`${LTI}custom`]: { who: learnerId, context: expect.stringContaining(':self-paced') },
    });
    await context.close();
  });

  it('should complete the launch in a new window with an id_token that verifies against our JWKS and carries every claim when the provider presents in a window', async () => {
    const { context, page } = await signedIn(LEARNER);
    const before = tool.launches.length;
    // A top-level window also asks the tool for /favicon.ico, which ltijs refuses: count refused launches only.
    const refusedLaunches = () => tool.refusals.filter((r) => r.path !== '/favicon.ico').length;
    const refusedBefore = refusedLaunches();
    const launchPath = `/learn/enrollments/${enrollmentId}/activities/${placed.popup.id}/launch`;

    const autoPopup = context.waitForEvent('page', { timeout: 5_000 }).catch(() => null);
    await page.goto(launchPath);
    const form = page.locator('form.lti-launch');
    expect(await form.getAttribute('action')).toBe(tool.loginUrl);
    expect(await form.getAttribute('target')).toMatch(/^(_blank|lti-window-[0-9a-f-]{36})$/);
    expect(await page.locator('iframe.lti-frame').count()).toBe(0);
    const login = await loginFields(page);
    expect(login).toEqual({
      iss: testApp.baseUrl,
      login_hint: expect.stringMatching(/^[A-Za-z0-9_-]{32,}$/),
      target_link_uri: tool.launchUrl,
      lti_message_hint: expect.stringMatching(/^[A-Za-z0-9_-]{32,}$/),
      client_id: providers.popup.clientId,
      lti_deployment_id: providers.popup.deploymentId,
    });

    let popup = await autoPopup;
    const button = page.getByRole('button', { name: 'Open Popup 1.3 in a new window' });
    const openedBy = popup ? 'auto-submit' : 'button';
    if (!popup) [popup] = await Promise.all([context.waitForEvent('page'), button.click()]);
    await popup.getByRole('heading', { name: 'LTI 1.3 tool launched' }).waitFor();
    expect({ openedBy, url: popup.url().split('?')[0] }).toEqual({
      openedBy,
      url: tool.launchUrl,
    });
    expect(await popup.locator('p').textContent()).toBe('Hello, Grace Hopper');
    // The launch page itself stays where it was.
    expect(new URL(page.url()).pathname).toBe(launchPath);

    const launch = await tool.waitForLaunch(before + 1);
    // Give a second (duplicate) post the time to arrive, had there been one.
    await page.waitForTimeout(500);
    expect(tool.launches).toHaveLength(before + 1);
    expect(refusedLaunches()).toBe(refusedBefore);

    const claims = await verifiedClaims(launch, providers.popup.clientId);
    expect(claims).toEqual({
      iss: testApp.baseUrl,
      aud: providers.popup.clientId,
      azp: providers.popup.clientId,
      sub: learnerId,
      iat: expect.any(Number),
      exp: expect.any(Number),
      nonce: expect.stringMatching(/\S/),
      name: 'Grace Hopper',
      given_name: 'Grace',
      family_name: 'Hopper',
      email: LEARNER,
      [`${LTI}message_type`]: 'LtiResourceLinkRequest',
      [`${LTI}version`]: '1.3.0',
      [`${LTI}deployment_id`]: providers.popup.deploymentId,
      [`${LTI}target_link_uri`]: login.target_link_uri,
      [`${LTI}resource_link`]: { id: placed.popup.ltiResourceLinkId, title: 'Popup 1.3 unit' },
      [`${LTI}roles`]: [ROLE.learner],
      [`${LTI}context`]: {
        id: `${courseId}:self-paced`,
        label: COURSE_CODE,
        title: expect.stringContaining(COURSE_TITLE),
        type: [CONTEXT_TYPE.offering],
      },
      [`${LTI}tool_platform`]: {
        guid: new URL(testApp.baseUrl).host,
        name: 'TMS',
        product_family_code: 'tms-lti-consumer',
        version: (JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string })
          .version,
      },
      [`${LTI}launch_presentation`]: {
        document_target: 'window',
        return_url: expect.stringMatching(new RegExp(`^${testApp.baseUrl}/lti/launches/${UUID}/return$`)),
        locale: 'en-US',
      },
      [`${LTI}lis`]: { person_sourcedid: LEARNER_SIS_ID, course_offering_sourcedid: `${courseId}:self-paced` },
      [`${LTI}custom`]: {
        who: learnerId,
        given: 'Grace',
        link: placed.popup.ltiResourceLinkId,
        // Unknown variables pass through unchanged; the link's value overrides the provider's.
        unknown: '$No.such.thing',
        plain: 'link',
      },
    });
    expect(placed.popup.ltiResourceLinkId.length).toBeGreaterThan(0);
    expect(placed.popup.ltiResourceLinkId.length).toBeLessThanOrEqual(255);

    const { returnUrl, record } = await launchRecordOf(claims);
    expect(record).toMatchObject({
      lti_version: '1.3',
      kind: 'learner',
      user_id: learnerId,
      provider_id: providers.popup.id,
      activity_id: placed.popup.id,
      roles: [ROLE.learner],
    });
    const returned = await fetch(`${returnUrl}?lti_msg=Done`);
    expect(returned.status).toBe(200);
    expect(await returned.text()).toContain(`/learn/enrollments/${enrollmentId}`);
  });

  it('should consume the message hint once and refuse it a second time when the launch has completed', async () => {
    const { context, page } = await signedIn(LEARNER);
    const before = tool.launches.length;
    await page.goto(`/learn/enrollments/${enrollmentId}/activities/${activityId}/launch`);
    const login = await loginFields(page);
    const hintOf = () =>
      query<{ consumed_at: Date | null; user_id: string }>(
        'SELECT consumed_at, user_id FROM lti1p3_message_hints WHERE message_hint = $1',
        [login.lti_message_hint],
      );
    await page.frameLocator('iframe.lti-frame').getByRole('heading', { name: 'LTI 1.3 tool launched' }).waitFor();
    const launch = await tool.waitForLaunch(before + 1);
    expect(launch.claims?.sub).toBe(learnerId);
    const [hint] = await hintOf();
    expect(hint.user_id).toBe(learnerId);
    expect(hint.consumed_at).toBeInstanceOf(Date);
    expect(Date.now() - hint.consumed_at!.getTime()).toBeLessThan(60_000);

    // The same hints again, in the same signed-in browser, as a replaying tool (or attacker) would send them.
    const replay = new URLSearchParams({
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: login.client_id,
      redirect_uri: tool.launchUrl,
      login_hint: login.login_hint,
      lti_message_hint: login.lti_message_hint,
      nonce: 'replayed-nonce-0123456789',
      state: 'replayed-state',
    });
    const launchesBefore = (await query<{ n: number }>('SELECT count(*)::int AS n FROM lti_launches'))[0].n;
    const answer = await context.request.get(`/lti/1p3/authorize?${replay.toString()}`);
    const html = await answer.text();
    expect(answer.status()).toBe(200);
    expect(html).toContain('name="error" value="invalid_request"');
    expect(html).toContain('name="state" value="replayed-state"');
    expect(html).not.toContain('name="id_token"');
    expect((await query<{ n: number }>('SELECT count(*)::int AS n FROM lti_launches'))[0].n).toBe(launchesBefore);
    expect((await hintOf())[0].consumed_at).toEqual(hint.consumed_at);
  });

  it('should launch the instructor with the Instructor role in the class context when they launch from their class', async () => {
    const { page } = await signedIn(INSTRUCTOR);
    const before = tool.launches.length;
    await page.goto(`/teach/classes/${classId}/activities/${activityId}/launch`);
    await page.frameLocator('iframe.lti-frame').getByRole('heading', { name: 'LTI 1.3 tool launched' }).waitFor();
    const launch = await tool.waitForLaunch(before + 1);
    const claims = await verifiedClaims(launch, clientId);
    expect(claims).toMatchObject({
      sub: instructorId,
      [`${LTI}roles`]: [ROLE.instructor],
      [`${LTI}context`]: {
        id: classId,
        label: CLASS_CODE,
        title: expect.stringContaining('Spring cohort'),
        type: [CONTEXT_TYPE.section],
      },
      [`${LTI}lis`]: { course_section_sourcedid: classId },
      [`${LTI}custom`]: { who: instructorId, context: classId },
      [`${LTI}launch_presentation`]: expect.objectContaining({ document_target: 'iframe' }),
    });
    // A resource_link_id of its own in this context, never the self-paced offering's.
    const resourceLink = claims[`${LTI}resource_link`] as { id: string; title: string };
    expect(resourceLink.id).toMatch(/^[0-9a-f]{40}$/);
    expect(resourceLink.id).not.toBe(placed.frame.ltiResourceLinkId);
    expect(resourceLink.title).toBe(placed.frame.title);
    expect((claims[`${LTI}lis`] as Record<string, string>).course_offering_sourcedid).toBeUndefined();
    const { record } = await launchRecordOf(claims);
    expect(record).toMatchObject({
      lti_version: '1.3',
      kind: 'instructor',
      user_id: instructorId,
      roles: [ROLE.instructor],
    });
  });

  it('should send neither name nor email and keep the user id when the provider is anonymous', async () => {
    const { page } = await signedIn(LEARNER);
    const before = tool.launches.length;
    await page.goto(`/learn/enrollments/${enrollmentId}/activities/${placed.anonymous.id}/launch`);
    const frame = page.frameLocator('iframe.lti-frame');
    await frame.getByRole('heading', { name: 'LTI 1.3 tool launched' }).waitFor();
    // The tool has nothing better than the opaque id to greet the learner with.
    expect(await frame.locator('p').textContent()).toBe(`Hello, ${learnerId}`);
    const launch = await tool.waitForLaunch(before + 1);
    const claims = await verifiedClaims(launch, providers.anonymous.clientId);
    expect(claims.sub).toBe(learnerId);
    for (const name of PERSON_CLAIMS) expect({ [name]: claims[name] }).toEqual({ [name]: undefined });
    expect(claims[`${LTI}lis`]).toEqual({ course_offering_sourcedid: `${courseId}:self-paced` });
    // Withheld values pass through as the variable itself, never as the value.
    expect(claims[`${LTI}custom`]).toEqual({
      who: learnerId,
      given: '$Person.name.given',
      email: '$Person.email.primary',
    });
    expect(launch.raw).not.toContain(LEARNER);
    expect(JSON.stringify(claims)).not.toMatch(/Grace|Hopper|lti13-learner|SIS-GH/);
    expect(claims[`${LTI}launch_presentation`]).toEqual({
      document_target: 'iframe',
      return_url: expect.stringMatching(new RegExp(`^${testApp.baseUrl}/lti/launches/${UUID}/return$`)),
      locale: 'en-US',
      width: 900,
      height: 640,
    });
    const { record } = await launchRecordOf(claims);
    expect(record).toMatchObject({ kind: 'learner', user_id: learnerId, pii_sent: [] });
  });

  it('should launch a test user, not the author, with the TestUser role when the author previews the activity', async () => {
    const { page } = await signedIn(AUTHOR);
    const before = tool.launches.length;
    await page.goto(`/author/courses/${courseId}/activities/${activityId}/preview`);
    await page.frameLocator('iframe.lti-frame').getByRole('heading', { name: 'LTI 1.3 tool launched' }).waitFor();
    const launch = await tool.waitForLaunch(before + 1);
    const claims = await verifiedClaims(launch, clientId);
    expect(claims[`${LTI}roles`]).toEqual(expect.arrayContaining([ROLE.learner, ROLE.testUser]));
    expect(claims.sub).toEqual(expect.any(String));
    expect([authorId, learnerId, instructorId]).not.toContain(claims.sub);
    expect(claims.name).toBe('Test Learner');
    expect(claims.email).toBeUndefined();
    expect(JSON.stringify(claims)).not.toContain(AUTHOR);
    expect(claims[`${LTI}context`]).toMatchObject({ id: `${courseId}:self-paced`, type: [CONTEXT_TYPE.offering] });
    expect(claims[`${LTI}resource_link`]).toEqual({ id: placed.frame.ltiResourceLinkId, title: placed.frame.title });
    const { record } = await launchRecordOf(claims);
    expect(record).toMatchObject({ lti_version: '1.3', kind: 'preview', user_id: authorId });
    expect(record.roles).toEqual(expect.arrayContaining([ROLE.testUser]));
  });
});
