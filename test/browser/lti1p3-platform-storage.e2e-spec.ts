import { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { ApiClient, createPerson } from '../support/api-client';
import { launchBrowser, newPage, signInThroughForm } from '../support/browser';
import { BuiltApp, startBuiltApp } from '../support/built-app';
import { StorageTool, startStorageTool } from '../support/storage-tool';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app';

const PASSWORD = 'a-long-test-password';
const LEARNER = 'storage-learner@example.com';
const STORAGE_FRAME = 'lti-storage';
/** @atomicjolt/lti-client keeps the state under this prefix (its STATE_KEY_PREFIX). */
const STATE_KEY = (state: string) => `aj_lti${state}`;

/** A client-side message sent from inside `frame` to a window of the launch page, and the answer that came back. */
interface Probe {
  readonly to: 'storage' | 'page';
  readonly message: Record<string, unknown>;
}
interface ProbeAnswer {
  readonly origin: string;
  readonly data: Record<string, any>;
}

/**
 * Posts `message` with a fresh message_id from `frame` (a tool's window inside the launch page) to the
 * page's storage frame or to the page itself, as a tool does (LTI Client Side postMessages), and
 * resolves with the answer carrying that id. A missing answer fails the test after 5 s.
 */
function probe(frame: Frame, { to, message }: Probe): Promise<ProbeAnswer> {
  return frame.evaluate(
    ({ to, message, storageFrame }) =>
      new Promise<ProbeAnswer>((resolve, reject) => {
        const window = globalThis as any;
        const id = `probe-${window.crypto.randomUUID()}`;
        const target = to === 'storage' ? window.top.frames[storageFrame] : window.top;
        const timer = setTimeout(() => reject(new Error(`no answer to ${String(message.subject)}`)), 5_000);
        window.addEventListener('message', (event: { data?: Record<string, any>; origin: string }) => {
          if (event.data?.message_id !== id) return;
          clearTimeout(timer);
          resolve({ origin: event.origin, data: event.data });
        });
        target.postMessage({ ...message, message_id: id }, '*');
      }),
    { to, message, storageFrame: STORAGE_FRAME },
  );
}

/**
 * Debian's Chromium blocks third-party cookies. The platform runs at 127.0.0.1; the tools are reached
 * as `localhost`, another site, so inside the platform's frame their cookies are dropped. A tool that
 * keeps its OIDC state in platform storage (@atomicjolt/lti-client's browser code) opens in the frame
 * all the same, and completes its launch there.
 */
describe('an LTI 1.3 launch through platform storage, in a browser that blocks third-party cookies', () => {
  let testApp: BuiltApp;
  let tool: StorageTool;
  let otherTool: StorageTool;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let launchPath: string;
  let coursePath: string;
  let activityId: string;
  let providerId: string;
  let otherProviderId: string;
  let root: ApiClient;
  let org: string;

  beforeAll(async () => {
    [testApp, tool, otherTool, browser] = await Promise.all([
      startBuiltApp(),
      startStorageTool(),
      startStorageTool(),
      launchBrowser(),
    ]);
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    org = (await root.post('/api/v1/organizations', { name: 'Storage elsewhere' })).body.id;
    const register = async (registered: StorageTool, name: string) => {
      const created = await root.post('/api/v1/lti/providers', {
        name,
        organizationId: org,
        ltiVersion: '1.3',
        loginUrl: registered.urls.login,
        redirectUris: [registered.urls.launch],
        targetLinkUri: registered.urls.launch,
        publicKeyPem: registered.publicKeyPem,
        services: ['grades'],
        presentation: 'iframe',
        platformStorage: true,
        availableOrganizationIds: [org],
      });
      if (created.status !== 201) throw new Error(`provider ${name}: ${created.status} ${created.text}`);
      registered.register({ issuer: testApp.baseUrl, clientId: created.body.platform.clientId });
      return created.body;
    };
    const provider = await register(tool, 'Storage lab');
    providerId = provider.id;
    expect(provider.platformStorage).toBe(true);
    otherProviderId = (await register(otherTool, 'Other storage lab')).id;
    const link = await root.post('/api/v1/lti/resource-links', {
      name: 'Storage lab unit',
      organizationId: org,
      providerId: provider.id,
      url: tool.urls.launch,
      requiresScoreForCompletion: true,
      availableOrganizationIds: [org],
    });
    const author = (
      await createPerson(root, { email: 'storage-author@example.com', organizationId: org, role: 'course_author' })
    ).client;
    const course = (await author.post('/api/v1/courses', { title: 'Storage course', organizationId: org })).body;
    activityId = (await author.post(`/api/v1/courses/${course.id}/activities`, { resourceLinkId: link.body.id })).body
      .id;
    const instructor = (
      await createPerson(root, { email: 'storage-teacher@example.com', organizationId: org, role: 'instructor' })
    ).client;
    const learnerId = (
      await createPerson(root, { email: LEARNER, name: 'Ada Storage', organizationId: org, role: 'learner' })
    ).id;
    const enrollment = (
      await instructor.post('/api/v1/self-paced-assignments', { courseId: course.id, userId: learnerId })
    ).body;
    coursePath = `/learn/enrollments/${enrollment.id}`;
    launchPath = `${coursePath}/activities/${activityId}/launch`;
    ({ context, page } = await newPage(browser, testApp.baseUrl));
    await signInThroughForm(page, LEARNER, PASSWORD);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await Promise.all([tool?.close(), otherTool?.close()]);
    await testApp?.close();
  });

  const toolFrame = (): Frame => {
    const frame = page.frames().find((f) => f.url().startsWith(tool.urls.origin));
    if (!frame)
      throw new Error(
        `no frame of the tool: ${page
          .frames()
          .map((f) => f.url())
          .join(', ')}`,
      );
    return frame;
  };

  it('should complete the launch inside the frame through platform storage and take the learner’s score back', async () => {
    await page.goto(launchPath);
    expect(await page.locator('form.lti-launch input[name="lti_storage_target"]').getAttribute('value')).toBe(
      STORAGE_FRAME,
    );
    expect(await page.locator(`iframe[name="${STORAGE_FRAME}"]`).count()).toBe(1);
    const status = page.frameLocator('iframe.lti-frame').locator('#status');
    await status.getByText('Storage tool launched').waitFor();

    expect(tool.refusals).toEqual([]);
    expect(tool.launches).toHaveLength(1);
    const [launch] = tool.launches;
    expect(launch).toMatchObject({
      stateCookieArrived: false,
      verifiedInBrowser: true,
      storageTarget: STORAGE_FRAME,
      scoreStatus: 204,
    });
    expect(launch.claims).toMatchObject({
      iss: testApp.baseUrl,
      'https://purl.imsglobal.org/spec/lti/claim/launch_presentation': expect.objectContaining({
        document_target: 'iframe',
      }),
    });
    expect(new URL(page.url()).pathname).toBe(launchPath);

    const records: { presentation_path: string }[] = await testApp.dataSource.query(
      'SELECT presentation_path FROM lti_launches WHERE provider_id = $1',
      [providerId],
    );
    expect(records.map((r) => r.presentation_path)).toEqual(['frame_platform_storage']);

    await page.goto(coursePath);
    expect((await page.locator(`li[data-activity="${activityId}"] .progress`).textContent())?.trim()).toBe('Completed');
  });

  it('should refuse with the spec’s errors, and store nothing, messages from another tool, oversized or malformed', async () => {
    await page.goto(launchPath);
    await page.frameLocator('iframe.lti-frame').locator('#status').getByText('Storage tool launched').waitFor();
    const launch = tool.launches[tool.launches.length - 1];
    const key = STATE_KEY(launch.state);
    const frame = toolFrame();
    const storage = (message: Record<string, unknown>) => probe(frame, { to: 'storage', message });

    // The tool's own state is there, for the tool's origin.
    expect((await storage({ subject: 'lti.get_data', key })).data).toMatchObject({ key, value: launch.state });

    // Another registered tool, in a window inside this tool's frame, asks for this tool's key and tries to overwrite it.
    await frame.evaluate(
      (url) =>
        new Promise((loaded) => {
          const document = (globalThis as any).document;
          const nested = document.createElement('iframe');
          nested.addEventListener('load', loaded);
          nested.src = url;
          document.body.append(nested);
        }),
      otherTool.urls.probe,
    );
    const other = page.frames().find((f) => f.url().startsWith(otherTool.urls.origin))!;
    const stolen = await probe(other, { to: 'storage', message: { subject: 'lti.get_data', key } });
    expect(stolen).toEqual({
      origin: testApp.baseUrl,
      data: {
        subject: 'lti.get_data.response',
        message_id: expect.stringMatching(/^probe-/),
        error: { code: 'wrong_origin', message: expect.stringContaining(otherTool.urls.origin) },
      },
    });
    const forged = await probe(other, { to: 'storage', message: { subject: 'lti.put_data', key, value: 'forged' } });
    expect(forged.data.error.code).toBe('wrong_origin');
    const resize = await probe(other, { to: 'page', message: { subject: 'lti.frameResize', height: 300 } });
    expect(resize.data.error.code).toBe('wrong_origin');

    // Oversized and malformed messages from the tool itself.
    const oversized = await storage({ subject: 'lti.put_data', key, value: 'x'.repeat(5000) });
    expect(oversized.data).toMatchObject({ subject: 'lti.put_data.response', error: { code: 'storage_exhaustion' } });
    const longKey = await storage({ subject: 'lti.put_data', key: 'k'.repeat(300), value: 'v' });
    expect(longKey.data.error.code).toBe('bad_request');
    const noKey = await storage({ subject: 'lti.put_data', value: 'v' });
    expect(noKey.data.error.code).toBe('bad_request');
    const objectValue = await storage({ subject: 'lti.put_data', key: 'other', value: { not: 'a string' } });
    expect(objectValue.data.error.code).toBe('bad_request');
    const unknown = await storage({ subject: 'lti.showModal', url: tool.urls.probe });
    expect(unknown.data.error.code).toBe('unsupported_subject');

    // Nothing of that was stored: the tool's state is as it put it, the refused keys are absent.
    expect((await storage({ subject: 'lti.get_data', key })).data.value).toBe(launch.state);
    expect((await storage({ subject: 'lti.get_data', key: 'other' })).data.value).toBeNull();
  });

  it('should size the tool’s frame within bounds and scroll to it when the tool asks', async () => {
    await page.goto(launchPath);
    await page.frameLocator('iframe.lti-frame').locator('#status').getByText('Storage tool launched').waitFor();
    const frame = toolFrame();
    const height = () => page.locator('iframe.lti-frame').evaluate((element) => element.getBoundingClientRect().height);

    const resized = await probe(frame, { to: 'page', message: { subject: 'lti.frameResize', height: 1234 } });
    expect(resized.data).toEqual({
      subject: 'lti.frameResize.response',
      message_id: resized.data.message_id,
      height: 1234,
    });
    expect(await height()).toBe(1234);

    const capped = await probe(frame, { to: 'page', message: { subject: 'lti.frameResize', height: 1e9 } });
    expect(capped.data.height).toBe(10_000);
    expect(await height()).toBe(10_000);

    const refused = await probe(frame, { to: 'page', message: { subject: 'lti.frameResize', height: 'tall' } });
    expect(refused.data.error.code).toBe('bad_request');
    expect(await height()).toBe(10_000);

    await page.evaluate(() => (globalThis as any).scrollTo(0, (globalThis as any).document.body.scrollHeight));
    const scrolled = await probe(frame, { to: 'page', message: { subject: 'lti.scrollToTop' } });
    expect(scrolled.data.error).toBeUndefined();
    expect(
      await page.locator('iframe.lti-frame').evaluate((element) => element.getBoundingClientRect().top),
    ).toBeCloseTo(0, 0);

    const capabilities = await probe(frame, { to: 'page', message: { subject: 'lti.capabilities' } });
    expect(capabilities.data.supported_messages).toEqual([
      { subject: 'lti.capabilities' },
      { subject: 'lti.put_data', frame: STORAGE_FRAME },
      { subject: 'lti.get_data', frame: STORAGE_FRAME },
      { subject: 'lti.frameResize' },
      { subject: 'lti.scrollToTop' },
    ]);
  });

  it('should show the tool’s message inside the frame, and take the whole window to the course without one, when the tool returns the learner', async () => {
    await page.goto(launchPath);
    await page.frameLocator('iframe.lti-frame').locator('#status').getByText('Storage tool launched').waitFor();
    const launch = tool.launches[tool.launches.length - 1];
    const returnUrl = (
      launch.claims['https://purl.imsglobal.org/spec/lti/claim/launch_presentation'] as {
        return_url: string;
      }
    ).return_url;

    await toolFrame().evaluate((url) => (globalThis as any).location.assign(url), `${returnUrl}?lti_msg=Unit+finished`);
    const framed = page.frameLocator('iframe.lti-frame');
    await framed.getByText('Unit finished').waitFor();
    expect(await framed.locator('nav').count()).toBe(0);
    expect(new URL(page.url()).pathname).toBe(launchPath);

    const returned = page.frames().find((f) => f.url().startsWith(returnUrl))!;
    await Promise.all([
      page.waitForURL((url) => url.pathname === coursePath),
      returned.evaluate((url) => (globalThis as any).location.assign(url), returnUrl),
    ]);
    expect(await page.locator(`li[data-activity="${activityId}"]`).count()).toBe(1);
  });

  it('should say on the provider page which presentation a launch gets and why, as the setting changes', async () => {
    const { context: adminContext, page: admin } = await newPage(browser, testApp.baseUrl);
    await signInThroughForm(admin, ADMIN_EMAIL, ADMIN_PASSWORD);
    await admin.goto(`/admin/lti/providers/${otherProviderId}`);
    expect(await admin.locator('#f-platformStorage').isChecked()).toBe(true);
    expect(await admin.locator('[data-presentation-note]').textContent()).toMatch(
      /in the frame although the tool is on another site: it keeps its login state in the platform storage/,
    );

    await admin.locator('#f-platformStorage').uncheck();
    await Promise.all([admin.waitForURL(/notice=saved/), admin.getByRole('button', { name: 'Save' }).click()]);
    expect(await admin.locator('#f-platformStorage').isChecked()).toBe(false);
    expect(await admin.locator('[data-presentation-note]').textContent()).toMatch(
      /in a new window although “In a frame” is chosen: the tool is on another site and does not use platform storage/,
    );
    expect((await root.get(`/api/v1/lti/providers/${otherProviderId}`)).body.platformStorage).toBe(false);
    await adminContext.close();
  });

  it('should refuse platform storage for an LTI 1.1 provider, naming the field', async () => {
    const refused = await root.post('/api/v1/lti/providers', {
      name: 'Old lab',
      organizationId: org,
      ltiVersion: '1.1',
      consumerKey: 'old-lab',
      sharedSecret: 'old-lab-secret',
      platformStorage: true,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'platformStorage' })]),
    );
  });
});
