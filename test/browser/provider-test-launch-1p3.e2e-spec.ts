import { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiClient, createPerson } from '../support/api-client';
import { launchBrowser, signedInPage } from '../support/browser';
import { Lti1p3Tool, registerToolAsProvider, startLti1p3Tool } from '../support/lti1p3-tool';
import { LIS_MEMBERSHIP_ROLES } from '../support/lti-services-client';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app';
import { BuiltApp, startBuiltApp } from '../support/built-app';

const PASSWORD = 'a-long-test-password';
const { learner: LEARNER_ROLE, instructor: INSTRUCTOR_ROLE } = LIS_MEMBERSHIP_ROLES;
const CLAIM = 'https://purl.imsglobal.org/spec/lti/claim/';
const AGS_CLAIM = 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint';
const NRPS_CLAIM = 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice';

describe('The LTI 1.3 test launches from a provider’s page in a browser, against a real ltijs tool', () => {
  let testApp: BuiltApp;
  let tool: Lti1p3Tool;
  let browser: Browser;
  let root: ApiClient;
  let provider: { id: string; clientId: string };
  let admin: Page;
  const contexts: BrowserContext[] = [];

  const signedIn = (email: string, password: string): Promise<Page> =>
    signedInPage(browser, testApp.baseUrl, contexts, email, password);

  /** Clicks the provider page's test launch link; the tool opens in the new window it opens. */
  async function testLaunchAs(role: 'learner' | 'instructor'): Promise<Page> {
    await admin.goto(`/admin/lti/providers/${provider.id}`);
    const link = admin.locator(`[data-test-launch-as="${role}"]`);
    expect(await link.getAttribute('target')).toBe('_blank');
    const [window] = await Promise.all([admin.context().waitForEvent('page'), link.click()]);
    await window.getByRole('heading', { name: 'LTI 1.3 tool launched' }).waitFor();
    return window;
  }

  beforeAll(async () => {
    testApp = await startBuiltApp();
    tool = await startLti1p3Tool();
    browser = await launchBrowser();
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const organizationId = (await root.post('/api/v1/organizations', { name: 'Self-tested 1.3' })).body.id as string;
    provider = await registerToolAsProvider(root, tool, testApp.baseUrl, organizationId, {
      name: 'Self-tested 1.3 tool',
      privacy: 'public',
      redirectUris: [tool.launchUrl],
      customParameters: 'course_code=$Context.label\nlevel=advanced',
    });
    admin = await signedIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await tool?.close();
    await testApp?.close();
  });

  it('should launch the tool as a test learner in the self-test context with no services when the admin clicks the learner test', async () => {
    const window = await testLaunchAs('learner');
    const roles = (await window.locator('[data-roles]').getAttribute('data-roles')) ?? '';
    expect(roles.split(' ')).toContain(LEARNER_ROLE);
    expect(roles).not.toContain(INSTRUCTOR_ROLE);
    expect(await window.locator('[data-context]').getAttribute('data-context')).toBe('self-test');

    const launch = await tool.waitForLaunch(1);
    expect(launch.claims).toMatchObject({
      sub: expect.stringMatching(/^test-learner-[0-9a-f-]{36}$/),
      name: 'Test Learner',
      [`${CLAIM}message_type`]: 'LtiResourceLinkRequest',
      [`${CLAIM}context`]: expect.objectContaining({ id: 'self-test', title: expect.stringMatching(/Self-test/) }),
      [`${CLAIM}resource_link`]: expect.objectContaining({ id: `self-test-${provider.id}` }),
      [`${CLAIM}custom`]: { course_code: 'self-test', level: 'advanced' },
    });
    expect(launch.claims).not.toHaveProperty([AGS_CLAIM]);
    expect(launch.claims).not.toHaveProperty([NRPS_CLAIM]);
    // The tool's return URL leads back to the provider's page, where the test started.
    const presentation = launch.claims?.[`${CLAIM}launch_presentation`] as { return_url: string };
    await window.goto(`${presentation.return_url}?lti_msg=Test%20passed`);
    expect(await window.getByRole('status').textContent()).toBe('Test passed');
    expect(await window.locator('section a.button').getAttribute('href')).toBe(`/admin/lti/providers/${provider.id}`);
  });

  it('should launch the tool as a test instructor when the admin clicks the instructor test', async () => {
    const before = tool.launches.length;
    const window = await testLaunchAs('instructor');
    const roles = (await window.locator('[data-roles]').getAttribute('data-roles')) ?? '';
    expect(roles.split(' ')).toContain(INSTRUCTOR_ROLE);
    expect(roles).not.toContain(LEARNER_ROLE);

    const launch = await tool.waitForLaunch(before + 1);
    expect(launch.claims).toMatchObject({
      sub: expect.stringMatching(/^test-instructor-[0-9a-f-]{36}$/),
      name: 'Test Instructor',
      [`${CLAIM}context`]: expect.objectContaining({ id: 'self-test' }),
    });
    expect(launch.claims).not.toHaveProperty([AGS_CLAIM]);
  });

  it('should show both test launches in the inspector with their kind, roles and OIDC exchange', async () => {
    await admin.goto(`/admin/lti/providers/${provider.id}`);
    const links = admin.locator('[data-launch-link]');
    expect(await links.count()).toBe(2);
    expect(await links.first().textContent()).toContain('self_test');
    await links.first().click();
    await admin.getByRole('heading', { name: /^Launch of / }).waitFor();
    expect(await admin.locator('[data-launch-kind]').getAttribute('data-launch-kind')).toBe('self_test');
    expect(await admin.locator(`tr[data-claim="${CLAIM}roles"]`).textContent()).toContain(INSTRUCTOR_ROLE);
    expect(await admin.locator(`tr[data-claim="${CLAIM}context"]`).textContent()).toContain('self-test');
    expect(await admin.locator('tr[data-claim="name"]').textContent()).toContain('Test Instructor');
    expect(await admin.locator('[data-redirect-uri-matched]').textContent()).toBe(tool.launchUrl);
    expect(await admin.locator('[data-launch-ended]').textContent()).toBe('id_token posted to the redirect_uri');
  });

  it('should keep the test launches and the 1.3 checks as self-test runs, each opening in the inspector view', async () => {
    await admin.goto(`/admin/lti/providers/${provider.id}`);
    await admin.getByRole('button', { name: 'Run the self-test' }).click();
    await admin.locator('[data-self-test]').waitFor();
    await admin.goto(`/admin/lti/providers/${provider.id}`);
    const runs = admin.locator('[data-self-test-run-link]');
    expect(await runs.evaluateAll((links) => links.map((l) => l.getAttribute('data-kind')))).toEqual([
      'lti1p3_checks',
      'lti1p3_test_launch',
      'lti1p3_test_launch',
    ]);
    expect(await runs.first().getAttribute('data-passed')).toBe('true');
    await runs.first().click();
    await admin.getByRole('heading', { name: 'Self-test of Self-tested 1.3 tool' }).waitFor();
    expect(await admin.locator('[data-self-test-checks] tr[data-check-ok="true"]').count()).toBeGreaterThan(1);
    expect(await admin.locator('[data-self-test-outcome]').textContent()).toMatch(/^passed: all \d+ checks passed$/);

    // A test launch opens in the launch inspector: its launch record.
    await admin.goto(`/admin/lti/providers/${provider.id}`);
    await admin.locator('[data-self-test-run-link][data-kind="lti1p3_test_launch"]').first().click();
    await admin.getByRole('heading', { name: /^Launch of / }).waitFor();
    expect(await admin.locator('[data-launch-kind]').getAttribute('data-launch-kind')).toBe('self_test');
  });

  it('should refuse an unregistered redirect_uri on our own page and show the admin the refusal with the reason', async () => {
    // The tool asks to come back to its launch URL (ltijs: the target_link_uri), no longer registered.
    const patched = await root.patch(`/api/v1/lti/providers/${provider.id}`, { redirectUris: [tool.deepLinkUrl] });
    expect(patched.status).toBe(200);
    const before = tool.launches.length;
    await admin.goto(`/admin/lti/providers/${provider.id}`);
    const [window] = await Promise.all([
      admin.context().waitForEvent('page'),
      admin.locator('[data-test-launch-as="learner"]').click(),
    ]);
    await window.getByText('The tool asked to return to a redirect_uri that is not registered for it.').waitFor();
    // RFC 6749 §4.1.2.1: said on our page, never redirected to the unregistered URI.
    expect(new URL(window.url()).origin).toBe(testApp.baseUrl);
    expect(new URL(window.url()).pathname).toBe('/lti/1p3/authorize');
    expect(tool.launches.length).toBe(before);

    await admin.goto(`/admin/lti/providers/${provider.id}`);
    const row = admin.locator('[data-refusal]').first();
    expect(await row.locator('[data-refusal-error]').textContent()).toBe('invalid_request');
    expect(await row.locator('[data-refusal-description]').textContent()).toContain(
      'redirect_uri that is not registered',
    );
    await row.locator('[data-refusal-link]').click();
    await admin.getByRole('heading', { name: /^Refused authorization of / }).waitFor();
    expect(await admin.locator('[data-redirect-uri-requested]').textContent()).toBe(tool.launchUrl);
    expect(await admin.locator('[data-redirect-uris-registered]').textContent()).toContain(tool.deepLinkUrl);
    expect(await admin.locator('tr[data-refusal-parameter="client_id"] td').nth(1).textContent()).toBe(
      provider.clientId,
    );
    // The single-use hints are kept shortened, never whole.
    const loginHint = (await admin.locator('tr[data-refusal-parameter="login_hint"] td').nth(1).textContent()) ?? '';
    expect(loginHint).toMatch(/^.{8}…$/);
    await root.patch(`/api/v1/lti/providers/${provider.id}`, { redirectUris: [tool.launchUrl] });
  });

  it('should show a request naming an unknown client_id to platform administrators only', async () => {
    const unknown = await admin.goto(
      `/lti/1p3/authorize?client_id=no-such-client&redirect_uri=${encodeURIComponent('https://evil.example/x')}`,
    );
    expect(unknown?.status()).toBeGreaterThanOrEqual(400);
    await admin.goto('/admin/lti/refused-authorizations');
    const row = admin.locator('[data-refusal]').first();
    expect(await row.locator('[data-refusal-error]').textContent()).toBe('unauthorized_client');
    const id = await row.getAttribute('data-refusal');

    await createPerson(root, {
      email: 'refusal-org-admin@example.com',
      organizationId: (await root.post('/api/v1/organizations', { name: 'Refusal org' })).body.id,
      role: 'site_admin',
      password: PASSWORD,
    });
    const orgAdmin = await signedIn('refusal-org-admin@example.com', PASSWORD);
    expect((await orgAdmin.goto('/admin/lti/refused-authorizations'))?.status()).toBe(403);
    expect((await orgAdmin.goto(`/admin/lti/refused-authorizations/${id}`))?.status()).toBe(404);
  });

  it('should refuse the test launch to an admin of another organization and to a learner, and start no login', async () => {
    const elsewhere = (await root.post('/api/v1/organizations', { name: 'Elsewhere 1.3' })).body.id as string;
    await createPerson(root, {
      email: 'self-test-other-admin@example.com',
      organizationId: elsewhere,
      role: 'site_admin',
      password: PASSWORD,
    });
    await createPerson(root, {
      email: 'self-test-learner@example.com',
      organizationId: elsewhere,
      role: 'learner',
      password: PASSWORD,
    });
    const [{ count: hintsBefore }] = await testApp.dataSource.query<{ count: string }[]>(
      'SELECT count(*) FROM lti1p3_message_hints WHERE provider_id = $1',
      [provider.id],
    );
    const otherAdmin = await signedIn('self-test-other-admin@example.com', PASSWORD);
    const asOtherAdmin = await otherAdmin.goto(`/admin/lti/providers/${provider.id}/test-launch/learner`);
    expect(asOtherAdmin?.status()).toBe(404);
    const learner = await signedIn('self-test-learner@example.com', PASSWORD);
    const asLearner = await learner.goto(`/admin/lti/providers/${provider.id}/test-launch/instructor`);
    expect(asLearner?.status()).toBe(403);
    const unknownRole = await admin.goto(`/admin/lti/providers/${provider.id}/test-launch/administrator`);
    expect(unknownRole?.status()).toBe(404);
    const [{ count: hintsAfter }] = await testApp.dataSource.query<{ count: string }[]>(
      'SELECT count(*) FROM lti1p3_message_hints WHERE provider_id = $1',
      [provider.id],
    );
    expect(hintsAfter).toBe(hintsBefore);
  });
});
