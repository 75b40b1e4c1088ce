import { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiClient, createPerson } from '../support/api-client';
import { launchBrowser, signedInPage } from '../support/browser';
import { Lti1p1Tool, startLti1p1Tool } from '../support/lti1p1-tool';
import { Lti1p3Tool, registerToolAsProvider, startLti1p3Tool } from '../support/lti1p3-tool';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app';
import { BuiltApp, startBuiltApp } from '../support/built-app';

const LEARNER = 'inspected-learner@example.com';
const LEARNER_NAME = 'Ada Inspected';
const PASSWORD = 'a-long-test-password';
const CONSUMER_KEY = 'inspector-key';
const SHARED_SECRET = 'inspector-shared-secret-never-shown';
const MESSAGE_TYPE = 'https://purl.imsglobal.org/spec/lti/claim/message_type';

describe('The launch inspector in a browser, after real launches of an LTI 1.1 and an LTI 1.3 tool', () => {
  let testApp: BuiltApp;
  let tool11: Lti1p1Tool;
  let tool13: Lti1p3Tool;
  let browser: Browser;
  let root: ApiClient;
  let provider11: string;
  let provider13: { id: string; clientId: string };
  const launchPaths: Record<'v11' | 'v13', string> = { v11: '', v13: '' };
  const contexts: BrowserContext[] = [];

  const signedIn = (email: string, password: string): Promise<Page> =>
    signedInPage(browser, testApp.baseUrl, contexts, email, password);

  /** The admin on the provider's page opens its latest launch in the inspector. */
  async function inspectLatest(admin: Page, providerId: string): Promise<void> {
    await admin.goto(`/admin/lti/providers/${providerId}`);
    await admin.locator('[data-launch-link]').first().click();
    await admin.getByRole('heading', { name: /^Launch of / }).waitFor();
  }

  beforeAll(async () => {
    testApp = await startBuiltApp();
    tool11 = await startLti1p1Tool({ consumerKey: CONSUMER_KEY, consumerSecret: SHARED_SECRET });
    tool13 = await startLti1p3Tool();
    browser = await launchBrowser();
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const organizationId = (await root.post('/api/v1/organizations', { name: 'Inspected' })).body.id as string;
    const created11 = await root.post('/api/v1/lti/providers', {
      name: 'Inspected 1.1',
      organizationId,
      ltiVersion: '1.1',
      consumerKey: CONSUMER_KEY,
      sharedSecret: SHARED_SECRET,
      availableOrganizationIds: [organizationId],
    });
    expect(created11.status).toBe(201);
    provider11 = created11.body.id;
    provider13 = await registerToolAsProvider(root, tool13, testApp.baseUrl, organizationId, {
      name: 'Inspected 1.3',
      privacy: 'public',
      redirectUris: [tool13.launchUrl],
    });
    const link = async (name: string, providerId: string, url: string) => {
      const created = await root.post('/api/v1/lti/resource-links', {
        name,
        organizationId,
        providerId,
        url,
        availableOrganizationIds: [organizationId],
      });
      expect(created.status).toBe(201);
      return created.body.id as string;
    };
    const link11 = await link('Inspected 1.1 unit', provider11, tool11.launchUrl);
    const link13 = await link('Inspected 1.3 unit', provider13.id, tool13.launchUrl);
    const author = await createPerson(root, {
      email: 'inspector-author@example.com',
      organizationId,
      role: 'course_author',
    });
    const course = (await author.client.post('/api/v1/courses', { title: 'Inspected', organizationId })).body.id;
    const place = async (resourceLinkId: string) =>
      (await author.client.post(`/api/v1/courses/${course}/activities`, { resourceLinkId })).body.id as string;
    const [activity11, activity13] = [await place(link11), await place(link13)];
    const learner = await createPerson(root, {
      email: LEARNER,
      name: LEARNER_NAME,
      organizationId,
      role: 'learner',
      password: PASSWORD,
    });
    const instructor = await createPerson(root, {
      email: 'inspector-instructor@example.com',
      organizationId,
      role: 'instructor',
    });
    const enrollment = (
      await instructor.client.post('/api/v1/self-paced-assignments', { courseId: course, userId: learner.id })
    ).body.id;
    launchPaths.v11 = `/learn/enrollments/${enrollment}/activities/${activity11}/launch`;
    launchPaths.v13 = `/learn/enrollments/${enrollment}/activities/${activity13}/launch`;
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await tool11?.close();
    await tool13?.close();
    await testApp?.close();
  });

  it('should show a 1.3 launch’s id_token claim by claim with the rule each satisfies, without the person’s values', async () => {
    const learner = await signedIn(LEARNER, PASSWORD);
    await learner.goto(launchPaths.v13);
    await learner.frameLocator('iframe.lti-frame').getByRole('heading', { name: 'LTI 1.3 tool launched' }).waitFor();
    const launch = await tool13.waitForLaunch(1);
    expect(launch.claims?.name).toBe(LEARNER_NAME);

    const admin = await signedIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    await inspectLatest(admin, provider13.id);
    const messageType = admin.locator(`tr[data-claim="${MESSAGE_TYPE}"]`);
    expect(await messageType.textContent()).toContain('LtiResourceLinkRequest');
    expect(await messageType.textContent()).toContain('LTI Core 1.3 §5.3.1');
    expect(await admin.locator('tr[data-claim="aud"]').textContent()).toContain(provider13.clientId);
    expect(await admin.locator('tr[data-claim="name"]').textContent()).toContain('(personal value, not kept)');
    const html = await admin.content();
    expect(html).not.toContain(LEARNER_NAME);
    expect(html).not.toContain(LEARNER);
    // Every claim the tool received has its row.
    for (const claim of Object.keys(launch.claims ?? {})) {
      await expect(admin.locator(`tr[data-claim="${claim}"]`).count()).resolves.toBe(1);
    }
  });

  it('should show a 1.3 launch’s login parameters, the redirect_uri it matched and how it ended when inspected', async () => {
    // The 1.3 launch of the test before: the inspector shows the exchange that led to its id_token.
    const admin = await signedIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    await inspectLatest(admin, provider13.id);
    const login = async (name: string) =>
      (await admin.locator(`tr[data-login-parameter="${name}"] td`).nth(1).textContent()) ?? '';
    expect(await login('iss')).toBe(testApp.baseUrl);
    expect(await login('client_id')).toBe(provider13.clientId);
    expect(await login('target_link_uri')).toBe(tool13.launchUrl);
    expect(await login('lti_storage_target')).toBe('lti-storage');
    expect(await login('login_hint')).toMatch(/^[\w-]{20,}$/);
    expect(await login('lti_message_hint')).toMatch(/^[\w-]{20,}$/);
    expect(await login('lti_deployment_id')).not.toBe('');
    expect(await admin.locator('[data-redirect-uri-requested]').textContent()).toBe(tool13.launchUrl);
    expect(await admin.locator('[data-redirect-uri-matched]').textContent()).toBe(tool13.launchUrl);
    expect(await admin.locator('[data-launch-ended]').textContent()).toBe('id_token posted to the redirect_uri');
  });

  it('should show a 1.1 launch’s signed parameters, base string and key, never the secret', async () => {
    const learner = await signedIn(LEARNER, PASSWORD);
    await learner.goto(launchPaths.v11);
    await learner.frameLocator('iframe.lti-frame').getByRole('heading', { name: 'Tool launched' }).waitFor();
    const launch = await tool11.waitForLaunch(1);
    expect(launch.valid).toBe(true);

    const admin = await signedIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    await inspectLatest(admin, provider11);
    const baseString = (await admin.locator('[data-base-string]').textContent()) ?? '';
    expect(baseString.startsWith(`POST&${encodeURIComponent(tool11.launchUrl)}&`)).toBe(true);
    expect(baseString).toContain(`oauth_consumer_key%3D${CONSUMER_KEY}`);
    expect(baseString).toContain(`oauth_nonce%3D${launch.params.oauth_nonce}`);
    expect(await admin.locator('[data-consumer-key]').textContent()).toBe(CONSUMER_KEY);
    expect(await admin.locator('table.sent-parameters').textContent()).toContain(launch.params.oauth_signature);
    const html = await admin.content();
    expect(html).not.toContain(SHARED_SECRET);
    expect(html).not.toContain(LEARNER_NAME);
    expect(html).not.toContain(encodeURIComponent(LEARNER_NAME));
  });

  it('should not show a launch of a provider the administrator does not manage', async () => {
    const [row] = await testApp.dataSource.query<{ id: string }[]>(
      'SELECT id FROM lti_launches WHERE provider_id = $1 LIMIT 1',
      [provider11],
    );
    const other = await createPerson(root, {
      email: 'inspector-other-admin@example.com',
      organizationId: (await root.post('/api/v1/organizations', { name: 'Elsewhere' })).body.id,
      role: 'site_admin',
      password: PASSWORD,
    });
    expect(other.id).toBeTruthy();
    const page = await signedIn('inspector-other-admin@example.com', PASSWORD);
    const response = await page.goto(`/admin/lti/launches/${row.id}`);
    expect(response?.status()).toBe(404);
  });
});
