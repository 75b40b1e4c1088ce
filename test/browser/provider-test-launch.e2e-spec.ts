import { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiClient } from '../support/api-client';
import { launchBrowser, newPage, signInThroughForm } from '../support/browser';
import { Lti1p1Tool, startLti1p1Tool } from '../support/lti1p1-tool';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app';
import { BuiltApp, startBuiltApp } from '../support/built-app';

const CONSUMER_KEY = 'self-test-key';
const SHARED_SECRET = 'self-test-shared-secret-never-shown';

describe('The LTI 1.1 self-test in a browser, against a real ims-lti tool', () => {
  let testApp: BuiltApp;
  let tool: Lti1p1Tool;
  let browser: Browser;
  let root: ApiClient;
  let organizationId: string;
  let admin: Page;
  const contexts: BrowserContext[] = [];

  async function provider(name: string, sharedSecret: string): Promise<string> {
    const created = await root.post('/api/v1/lti/providers', {
      name,
      organizationId,
      ltiVersion: '1.1',
      consumerKey: CONSUMER_KEY,
      sharedSecret,
      customParameters: 'course_code=$Context.label\nlevel=advanced',
      availableOrganizationIds: [organizationId],
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  }

  async function testLaunch(providerId: string, launchUrl: string): Promise<void> {
    await admin.goto(`/admin/lti/providers/${providerId}`);
    await admin.locator('#f-launchUrl').fill(launchUrl);
    await admin.getByRole('button', { name: 'Test launch' }).click();
    await admin.locator('#f-launchUrl').waitFor();
  }

  async function auditActions(providerId: string): Promise<string[]> {
    const events = await root.get(`/api/v1/audit-events?entityType=lti_provider&entityId=${providerId}`);
    expect(events.status).toBe(200);
    return (events.body.items as { action: string }[]).map((e) => e.action);
  }

  beforeAll(async () => {
    testApp = await startBuiltApp();
    tool = await startLti1p1Tool({ consumerKey: CONSUMER_KEY, consumerSecret: SHARED_SECRET });
    browser = await launchBrowser();
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    organizationId = (await root.post('/api/v1/organizations', { name: 'Self-tested' })).body.id as string;
    const { context, page } = await newPage(browser, testApp.baseUrl);
    contexts.push(context);
    await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    admin = page;
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await tool?.close();
    await testApp?.close();
  });

  it('should show the tool accepting a signed self-test launch when the provider has the right secret', async () => {
    const id = await provider('Self-tested 1.1', SHARED_SECRET);
    await testLaunch(id, tool.launchUrl);

    const received = await tool.waitForLaunch(1);
    expect(received.valid).toBe(true);
    expect(received.params).toMatchObject({
      context_id: 'self-test',
      resource_link_id: `self-test-${id}`,
      user_id: expect.stringMatching(/^test-learner-/),
      custom_course_code: 'self-test',
      custom_level: 'advanced',
    });
    expect(await admin.locator('[data-test-launch]').getAttribute('data-accepted')).toBe('true');
    expect(await admin.locator('[data-test-launch-status]').textContent()).toBe('200');
    const body = (await admin.locator('[data-test-launch-body]').textContent()) ?? '';
    // The tool's HTML is shown as text, never rendered into our page.
    expect(body).toContain('<');
    expect(await admin.locator('[data-test-launch-body] *').count()).toBe(0);
    expect(await admin.locator('[data-consumer-key]').textContent()).toBe(CONSUMER_KEY);
    const baseString = (await admin.locator('[data-base-string]').textContent()) ?? '';
    expect(baseString).toMatch(/^POST&/);
    expect(baseString).toContain('context_id%3Dself-test');
    expect(await admin.content()).not.toContain(SHARED_SECRET);
    expect(await auditActions(id)).toContain('test_launch');
  });

  it('should show the tool refusing the launch when the provider has the wrong secret', async () => {
    const id = await provider('Self-tested with a wrong secret', 'a-wrong-shared-secret');
    const before = tool.launches.length;
    await testLaunch(id, tool.launchUrl);

    const received = await tool.waitForLaunch(before + 1);
    expect(received.valid).toBe(false);
    expect(await admin.locator('[data-test-launch]').getAttribute('data-accepted')).toBe('false');
    expect(await admin.locator('[data-test-launch-status]').textContent()).toBe('401');
    expect(await admin.locator('[data-test-launch-verdict]').textContent()).toBe('not accepted by the tool');
    expect(await admin.locator('[data-test-launch-body]').textContent()).toContain('Launch refused');
  });

  it('should refuse a launch URL that is not a tool URL and send nothing when the field is bad', async () => {
    const id = await provider('Self-tested with a bad URL', SHARED_SECRET);
    const before = tool.launches.length;
    await testLaunch(id, 'javascript:alert(1)');

    expect(await admin.locator('.field-error[data-field="launchUrl"]').textContent()).toMatch(/^launchUrl /);
    expect(await admin.locator('[data-test-launch]').count()).toBe(0);
    expect(tool.launches.length).toBe(before);
    expect(await auditActions(id)).not.toContain('test_launch');
  });

  it('should show why nothing was sent when the launch URL is on an address the outbound guard refuses', async () => {
    const id = await provider('Self-tested through the guard', SHARED_SECRET);
    await testLaunch(id, 'https://10.0.0.1/launch');

    expect(await admin.locator('[data-test-launch]').getAttribute('data-accepted')).toBe('false');
    expect(await admin.locator('[data-test-launch]').textContent()).toContain(
      'launchUrl is not an allowed address (private or local networks are refused)',
    );
  });

  it('should keep each test launch and open it with what was sent and received when listed on the provider page', async () => {
    const id = await provider('Self-tested and kept', SHARED_SECRET);
    const before = tool.launches.length;
    await testLaunch(id, tool.launchUrl);
    const received = await tool.waitForLaunch(before + 1);

    await admin.goto(`/admin/lti/providers/${id}`);
    const runs = admin.locator('[data-self-test-run-link]');
    expect(await runs.count()).toBe(1);
    expect(await runs.first().getAttribute('data-kind')).toBe('lti1p1_test_launch');
    expect(await runs.first().getAttribute('data-passed')).toBe('true');
    await runs.first().click();
    await admin.getByRole('heading', { name: 'Self-test of Self-tested and kept' }).waitFor();
    expect(await admin.locator('[data-self-test-outcome]').textContent()).toBe(
      'passed: the tool answered HTTP 200 (accepted)',
    );
    expect(await admin.locator('[data-self-test-status]').textContent()).toBe('200');
    expect(await admin.locator('[data-self-test-body]').textContent()).toContain('<');
    expect(await admin.locator('[data-base-string]').textContent()).toContain(
      `oauth_nonce%3D${received.params.oauth_nonce}`,
    );
    expect(await admin.content()).not.toContain(SHARED_SECRET);
    // The audit entry stays beside the kept run.
    expect(await auditActions(id)).toContain('test_launch');
  });
});
