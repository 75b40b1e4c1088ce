import { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiClient, createPerson } from '../support/api-client';
import { launchBrowser, signInThroughForm, textOf } from '../support/browser';
import { Lti1p1Tool, Lti1p1ToolLaunch, startLti1p1Tool } from '../support/lti1p1-tool';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app';
import { BuiltApp, startBuiltApp } from '../support/built-app';

const PASSWORD = 'a-long-test-password';
const AUTHOR = 'lab-author@example.com';
const INSTRUCTOR = 'lab-teacher@example.com';
const LEARNER = 'ada@example.com';
const LEARNER_NAME = 'Ada Learner';
const INSTRUCTOR_NAME = 'Tess Teacher';
// Only unreserved characters: ims-lti 3.x does not percent-encode the secret in its signing key.
const FRAME_KEY = 'frame-lab-key';
const FRAME_SECRET = 'frame-lab-secret-0123456789._~';
const WINDOW_KEY = 'window-lab-key';
const WINDOW_SECRET = 'window-lab-secret-9876543210-~';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

describe('LTI 1.1 launches in a browser, against a real LTI 1.1 tool (ims-lti)', () => {
  let testApp: BuiltApp;
  let browser: Browser;
  let frameTool: Lti1p1Tool;
  let windowTool: Lti1p1Tool;
  let learnerId: string;
  let learnerClient: ApiClient;
  const contexts: BrowserContext[] = [];
  const ids: Record<string, string> = {};
  /** The learner's first launch of the graded lab (test 1), whose outcomes the later tests look at. */
  let gradedLaunch: Lti1p1ToolLaunch;

  const query = <T = Record<string, unknown>>(sql: string, parameters: unknown[] = []): Promise<T[]> =>
    testApp.dataSource.query(sql, parameters);

  async function newContext(options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
    const context = await browser.newContext({ baseURL: testApp.baseUrl, ...options });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    return context;
  }

  async function signedIn(email: string, password = PASSWORD, options: { javaScriptEnabled?: boolean } = {}) {
    const context = await newContext(options);
    const page = await context.newPage();
    await signInThroughForm(page, email, password);
    return { context, page };
  }

  const enrollmentPath = () => `/learn/enrollments/${ids.enrollment}`;
  const activityItem = (page: Page, activityId: string) => page.locator(`li[data-activity="${activityId}"]`);
  const progressOf = async (page: Page, activityId: string) =>
    ((await activityItem(page, activityId).locator('.progress').textContent()) ?? '').trim();
  const scoreOf = async (page: Page, activityId: string) => {
    const score = activityItem(page, activityId).locator('.score');
    return (await score.count()) === 0 ? null : ((await score.textContent()) ?? '').replace(/\s+/g, ' ').trim();
  };

  /** Clicks the activity's Launch link on the enrollment page and waits for the launch page. */
  async function clickLaunch(page: Page, activityId: string): Promise<void> {
    await Promise.all([
      page.waitForURL(`**${enrollmentPath()}/activities/${activityId}/launch`),
      activityItem(page, activityId).getByRole('link', { name: 'Launch' }).click(),
    ]);
  }

  /** Waits for the tool's page inside the launch page's iframe, and returns that frame. */
  async function toolFrame(page: Page) {
    const name = await page.locator('iframe.lti-frame').getAttribute('name');
    expect(name).toMatch(new RegExp(`^lti-${UUID}$`));
    await page.frameLocator('iframe.lti-frame').getByRole('heading', { name: 'Tool launched' }).waitFor();
    const frame = page.frame({ name: name! });
    expect(frame).not.toBeNull();
    return { name: name!, frame: frame! };
  }

  /**
   * Has the document in the launch frame navigate itself to `url`, as a tool's page does, and returns the response.
   * (Frame.goto rejects here with "Target page, context or browser has been closed" although the frame does
   * navigate: Playwright loses track of the frame's navigation, it seems when Chromium moves the frame between
   * processes.)
   */
  async function navigateFrame(page: Page, frameName: string, url: string) {
    const response = page.waitForResponse((r) => r.url() === url);
    await page.frame({ name: frameName })!.evaluate((target) => {
      (globalThis as any).location.href = target;
    }, url);
    return response;
  }

  const ledgerRows = async (page: Page, selector = 'tr[data-entry]') =>
    Promise.all(
      (await page.locator(`table.score-ledger tbody ${selector}`).all()).map(async (row) =>
        (await row.locator('td').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()),
      ),
    );
  const progressRows = () =>
    query(
      `SELECT enrollment_id, activity_id, status, score_given, score_maximum, score_percent, completed_at
       FROM activity_progress ORDER BY enrollment_id, activity_id`,
    );

  beforeAll(async () => {
    testApp = await startBuiltApp();
    frameTool = await startLti1p1Tool({ consumerKey: FRAME_KEY, consumerSecret: FRAME_SECRET });
    windowTool = await startLti1p1Tool({ consumerKey: WINDOW_KEY, consumerSecret: WINDOW_SECRET });
    const root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const rootOrg = (await root.get('/api/v1/organizations')).body.items[0].id;
    const orgA = (await root.post('/api/v1/organizations', { name: 'Lab org' })).body.id;
    const author = await createPerson(root, {
      email: AUTHOR,
      name: 'Arthur Author',
      organizationId: orgA,
      role: 'course_author',
      password: PASSWORD,
    });
    const instructor = await createPerson(root, {
      email: INSTRUCTOR,
      name: INSTRUCTOR_NAME,
      organizationId: orgA,
      role: 'instructor',
      password: PASSWORD,
    });
    const learner = await createPerson(root, {
      email: LEARNER,
      name: LEARNER_NAME,
      organizationId: orgA,
      role: 'learner',
      password: PASSWORD,
    });
    learnerId = learner.id;
    learnerClient = learner.client;

    const provider = async (body: Record<string, unknown>) => {
      const created = await root.post('/api/v1/lti/providers', {
        organizationId: rootOrg,
        ltiVersion: '1.1',
        availableOrganizationIds: [rootOrg, orgA],
        ...body,
      });
      if (created.status !== 201) throw new Error(`provider: ${created.status} ${created.text}`);
      return created.body as { id: string; presentation: string };
    };
    const frameProvider = await provider({
      name: 'Practice Lab',
      consumerKey: FRAME_KEY,
      sharedSecret: FRAME_SECRET,
    });
    const windowProvider = await provider({
      name: 'Popup Lab',
      consumerKey: WINDOW_KEY,
      sharedSecret: WINDOW_SECRET,
      presentation: 'window',
    });
    expect([frameProvider.presentation, windowProvider.presentation]).toEqual(['iframe', 'window']);

    const link = async (body: Record<string, unknown>) => {
      const created = await root.post('/api/v1/lti/resource-links', {
        organizationId: rootOrg,
        availableOrganizationIds: [orgA],
        ...body,
      });
      if (created.status !== 201) throw new Error(`resource link: ${created.status} ${created.text}`);
      return created.body.id as string;
    };
    const gradedLink = await link({
      name: 'Graded lab',
      providerId: frameProvider.id,
      url: frameTool.launchUrl,
      requiresScoreForCompletion: true,
      passingScore: 70,
    });
    const popupLink = await link({ name: 'Popup lab', providerId: windowProvider.id, url: windowTool.launchUrl });

    const course = await author.client.post('/api/v1/courses', { title: 'Secure labs', code: 'SL-1' });
    if (course.status !== 201) throw new Error(`course: ${course.status} ${course.text}`);
    ids.course = course.body.id;
    const activity = async (body: Record<string, unknown>) => {
      const created = await author.client.post(`/api/v1/courses/${ids.course}/activities`, body);
      if (created.status !== 201) throw new Error(`activity: ${created.status} ${created.text}`);
      return created.body.id as string;
    };
    ids.graded = await activity({ resourceLinkId: gradedLink });
    // Optional: the graded lab stays the only required activity of the course.
    ids.popup = await activity({ resourceLinkId: popupLink, required: false });

    const courseClass = await instructor.client.post('/api/v1/classes', {
      courseId: ids.course,
      title: 'Secure labs — April',
    });
    if (courseClass.status !== 201) throw new Error(`class: ${courseClass.status} ${courseClass.text}`);
    const enrolled = await instructor.client.post(`/api/v1/classes/${courseClass.body.id}/enrollments/bulk`, {
      emails: [LEARNER],
    });
    expect(enrolled.body.enrolled).toEqual([LEARNER]);
    ids.enrollment = (
      await query<{ id: string }>('SELECT id FROM enrollments WHERE user_id = $1 AND course_id = $2', [
        learnerId,
        ids.course,
      ])
    )[0].id;

    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await frameTool?.close();
    await windowTool?.close();
    await testApp?.close();
  });

  it('should show the tool inside the frame and follow its scores to completion and failure when the learner launches from My learning', async () => {
    const { page } = await signedIn(LEARNER);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My learning' }).click();
    await page.waitForURL('**/learn');
    await Promise.all([
      page.waitForURL(`**${enrollmentPath()}`),
      page.getByRole('link', { name: 'Secure labs', exact: true }).click(),
    ]);
    expect(await progressOf(page, ids.graded)).toBe('Not started');
    expect(await textOf(page, '.completion')).toBe('0 of 1 required completed');

    const before = frameTool.launches.length;
    await clickLaunch(page, ids.graded);
    expect(await textOf(page, 'h1')).toBe('Graded lab');
    const { name, frame } = await toolFrame(page);
    // The form posts into the frame of this page, never over the page itself.
    expect(await page.locator('form.lti-launch').getAttribute('target')).toBe(name);
    expect(await page.locator('form.lti-launch').getAttribute('action')).toBe(frameTool.launchUrl);
    expect(new URL(page.url()).pathname).toBe(`${enrollmentPath()}/activities/${ids.graded}/launch`);
    expect(frame.url()).toBe(frameTool.launchUrl);
    expect(await page.frameLocator('iframe.lti-frame').locator('p').textContent()).toBe(`Hello, ${LEARNER_NAME}`);
    // The signed form was posted once; loading it again means a new launch (the tool refuses a reused nonce).
    const launchForm = page.locator('form.lti-launch');
    expect(await launchForm.getByRole('button', { name: 'load it', exact: true }).isVisible()).toBe(false);
    expect(await launchForm.getByRole('link', { name: 'load it again' }).getAttribute('href')).toBe(
      `${enrollmentPath()}/activities/${ids.graded}/launch`,
    );

    gradedLaunch = await frameTool.waitForLaunch(before + 1);
    expect(frameTool.launches).toHaveLength(before + 1);
    expect(gradedLaunch.error).toBeNull();
    expect(gradedLaunch.valid).toBe(true);
    expect(gradedLaunch.params).toEqual(
      expect.objectContaining({
        oauth_consumer_key: FRAME_KEY,
        user_id: learnerId,
        roles: 'Learner',
        lis_person_name_full: LEARNER_NAME,
        resource_link_title: 'Graded lab',
        launch_presentation_document_target: 'iframe',
        launch_presentation_return_url: `${testApp.baseUrl}/lti/launches/${name.slice('lti-'.length)}/return`,
        lis_outcome_service_url: `${testApp.baseUrl}/lti/1p1/outcomes`,
        lis_result_sourcedid: expect.any(String),
      }),
    );

    // A score is required (passing 70%): the launch alone leaves the activity waiting for it.
    await page.goto(enrollmentPath());
    expect(await progressOf(page, ids.graded)).toBe('Awaiting score');
    expect(await scoreOf(page, ids.graded)).toBeNull();

    await expect(frameTool.sendReplaceResult(gradedLaunch, 0.9)).resolves.toBe(true);
    await page.reload();
    expect(await progressOf(page, ids.graded)).toBe('Completed');
    expect(await scoreOf(page, ids.graded)).toBe('Score 90%');
    expect(await textOf(page, '.completion')).toBe('Complete');

    await expect(frameTool.sendDeleteResult(gradedLaunch)).resolves.toBe(true);
    await page.reload();
    expect(await progressOf(page, ids.graded)).toBe('Awaiting score');
    expect(await scoreOf(page, ids.graded)).toBeNull();
    expect(await textOf(page, '.completion')).toBe('0 of 1 required completed');

    await expect(frameTool.sendReplaceResult(gradedLaunch, 0.5)).resolves.toBe(true);
    await page.reload();
    expect(await progressOf(page, ids.graded)).toBe('Failed — launch again');
    expect(await scoreOf(page, ids.graded)).toBe('Score 50%');
    expect(await textOf(page, '.completion')).toBe('0 of 1 required completed');
    expect(await activityItem(page, ids.graded).getByRole('link', { name: 'Launch' }).count()).toBe(1);
  });

  it('should open the tool in a new window with exactly one valid launch when the provider presents in a window', async () => {
    const { context, page } = await signedIn(LEARNER);
    await page.goto(enrollmentPath());
    expect(await progressOf(page, ids.popup)).toBe('Not started');
    const before = windowTool.launches.length;

    // Its Launch link opens the window itself: browsers allow a new window only from a click.
    const link = activityItem(page, ids.popup).getByRole('link', { name: 'Launch' });
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('href')).toBe(
      `${enrollmentPath()}/activities/${ids.popup}/launch?presentation=window`,
    );
    // The launch page reached without that link (a bookmark, a tab left open) still opens the window.
    const autoPopup = context.waitForEvent('page', { timeout: 5_000 }).catch(() => null);
    await page.goto(`${enrollmentPath()}/activities/${ids.popup}/launch`);
    expect(await textOf(page, 'h1')).toBe('Popup lab');
    // `_blank` in the page; the script names the window it opened, and posts there.
    expect(await page.locator('form.lti-launch').getAttribute('target')).toMatch(/^(_blank|lti-window-[0-9a-f-]{36})$/);
    expect(await page.locator('iframe.lti-frame').count()).toBe(0);
    const button = page.getByRole('button', { name: 'Open Popup Lab in a new window' });

    let popup = await autoPopup;
    // A browser that blocks the scripted window leaves the button (its form still unsent) as the way in;
    // once the form was sent, the button gives way to a link that starts a new launch.
    const openedBy = popup ? 'auto-submit' : 'button';
    expect(await button.isVisible()).toBe(!popup);
    expect(await page.getByRole('link', { name: 'Open Popup Lab again' }).isVisible()).toBe(!!popup);
    if (!popup) [popup] = await Promise.all([context.waitForEvent('page'), button.click()]);
    await popup.getByRole('heading', { name: 'Tool launched' }).waitFor();
    expect({ openedBy, url: popup.url() }).toEqual({ openedBy, url: windowTool.launchUrl });
    expect(await popup.locator('p').textContent()).toBe(`Hello, ${LEARNER_NAME}`);
    // The launch page itself stays where it was.
    expect(new URL(page.url()).pathname).toBe(`${enrollmentPath()}/activities/${ids.popup}/launch`);

    const launch = await windowTool.waitForLaunch(before + 1);
    // Give a second (duplicate) post the time to arrive, had there been one.
    await page.waitForTimeout(500);
    expect(windowTool.launches).toHaveLength(before + 1);
    expect(launch.error).toBeNull();
    expect(launch.valid).toBe(true);
    expect(launch.params).toEqual(
      expect.objectContaining({
        oauth_consumer_key: WINDOW_KEY,
        user_id: learnerId,
        launch_presentation_document_target: 'window',
        resource_link_title: 'Popup lab',
      }),
    );
    // This placement takes no score: no outcome service is offered, and the launch completes it.
    expect(launch.params).not.toHaveProperty('lis_outcome_service_url');
    expect(launch.params).not.toHaveProperty('lis_result_sourcedid');
    await page.goto(enrollmentPath());
    expect(await progressOf(page, ids.popup)).toBe('Completed');
    // Optional: the course still waits for its one required activity.
    expect(await textOf(page, '.completion')).toBe('0 of 1 required completed');
  });

  it('should launch the tool through the visible submit button when JavaScript is disabled', async () => {
    const { page } = await signedIn(LEARNER, PASSWORD, { javaScriptEnabled: false });
    await page.goto(enrollmentPath());
    const before = frameTool.launches.length;
    await clickLaunch(page, ids.graded);
    expect(await textOf(page, 'h1')).toBe('Graded lab');
    // Nothing submits the form without scripts.
    await page.waitForTimeout(750);
    expect(frameTool.launches).toHaveLength(before);

    const button = page.locator('form.lti-launch').getByRole('button', { name: 'load it', exact: true });
    expect(await button.isVisible()).toBe(true);
    await button.click();
    await toolFrame(page);
    const launch = await frameTool.waitForLaunch(before + 1);
    expect(frameTool.launches).toHaveLength(before + 1);
    expect(launch.error).toBeNull();
    expect(launch.valid).toBe(true);
    expect(launch.params.user_id).toBe(learnerId);
    expect(new URL(page.url()).pathname).toBe(`${enrollmentPath()}/activities/${ids.graded}/launch`);
  });

  it('should show the tool’s message and lead back to the enrollment when the tool sends the learner to the return URL', async () => {
    const { page } = await signedIn(LEARNER);
    await page.goto(enrollmentPath());
    const before = frameTool.launches.length;
    await clickLaunch(page, ids.graded);
    const { name } = await toolFrame(page);
    const launch = await frameTool.waitForLaunch(before + 1);
    expect(launch.valid).toBe(true);
    const returnUrl = launch.params.launch_presentation_return_url;
    expect(returnUrl).toBe(`${testApp.baseUrl}/lti/launches/${name.slice('lti-'.length)}/return`);

    // As the tool would: its page in the frame navigates to the return URL.
    const errored = await navigateFrame(page, name, `${returnUrl}?lti_errormsg=The%20lab%20crashed`);
    expect(errored.status()).toBe(200);
    const inFrame = page.frameLocator('iframe.lti-frame');
    await inFrame.getByRole('alert').waitFor();
    expect(await inFrame.locator('h1').textContent()).toBe('Back from the tool');
    expect(await inFrame.getByRole('alert').textContent()).toBe('The lab crashed');

    const returned = await navigateFrame(page, name, `${returnUrl}?lti_msg=All%20done`);
    expect(returned.status()).toBe(200);
    await inFrame.getByRole('status').waitFor();
    expect(await inFrame.getByRole('status').textContent()).toBe('All done');
    expect(await inFrame.getByRole('alert').count()).toBe(0);
    const back = inFrame.getByRole('link', { name: 'Back to the course' });
    expect(await back.getAttribute('href')).toBe(enrollmentPath());
    expect(await back.getAttribute('target')).toBe('_top');
    expect(new URL(page.url()).pathname).toBe(`${enrollmentPath()}/activities/${ids.graded}/launch`);

    // The link replaces the whole launch page, not just the frame.
    await Promise.all([page.waitForURL(`**${enrollmentPath()}`), back.click()]);
    expect(new URL(page.url()).pathname).toBe(enrollmentPath());
    expect(await textOf(page, 'h1')).toBe('Secure labs');
    expect(await page.locator('iframe.lti-frame').count()).toBe(0);
  });

  it('should launch as a test learner without credit and record nothing when the author previews an activity', async () => {
    const { page } = await signedIn(AUTHOR);
    await page.goto(`/author/courses/${ids.course}`);
    const before = frameTool.launches.length;
    await Promise.all([
      page.waitForURL(`**/author/courses/${ids.course}/activities/${ids.graded}/preview`),
      page.getByRole('link', { name: 'Preview Graded lab' }).click(),
    ]);
    expect(await textOf(page, 'h1')).toBe('Graded lab (preview as a test learner; nothing is recorded)');
    const { name } = await toolFrame(page);
    expect(await page.frameLocator('iframe.lti-frame').locator('p').textContent()).toBe('Hello, Test Learner');

    const previewLaunch = await frameTool.waitForLaunch(before + 1);
    expect(previewLaunch.valid).toBe(true);
    expect(previewLaunch.params.user_id).toMatch(/^test-learner-/);
    expect(previewLaunch.params.roles.split(',')).toEqual(
      expect.arrayContaining([expect.stringMatching(/NonCreditLearner$/)]),
    );
    expect(previewLaunch.params.lis_person_contact_email_primary).toBeUndefined();
    expect(previewLaunch.params.lis_person_name_full).toBe('Test Learner');
    expect(previewLaunch.params.launch_presentation_return_url).toBe(
      `${testApp.baseUrl}/lti/launches/${name.slice('lti-'.length)}/return`,
    );

    const progressBefore = await progressRows();
    const ledgerBefore = await query<{ decision: string; n: number }>(
      'SELECT decision, count(*)::int AS n FROM score_ledger GROUP BY decision ORDER BY decision',
    );
    await expect(frameTool.sendReplaceResult(previewLaunch, 1)).resolves.toBe(true);
    expect(await progressRows()).toEqual(progressBefore);
    const learnerProgress = await learnerClient.get(`/api/v1/enrollments/${ids.enrollment}/progress`);
    expect(learnerProgress.status).toBe(200);
    expect(learnerProgress.body.courseComplete).toBe(false);
    expect(learnerProgress.body.activities.find((a: { activityId: string }) => a.activityId === ids.graded)).toEqual(
      expect.objectContaining({ status: 'failed', scorePercent: 50 }),
    );
    const ledgerAfter = await query<{ decision: string; n: number }>(
      'SELECT decision, count(*)::int AS n FROM score_ledger GROUP BY decision ORDER BY decision',
    );
    const countOf = (rows: { decision: string; n: number }[], decision: string) =>
      rows.find((r) => r.decision === decision)?.n ?? 0;
    expect(countOf(ledgerAfter, 'applied')).toBe(countOf(ledgerBefore, 'applied'));
    expect(countOf(ledgerAfter, 'preview')).toBe(countOf(ledgerBefore, 'preview') + 1);

    // The preview's return leads back to the author's course page.
    const returned = await page.request.get(`${previewLaunch.params.launch_presentation_return_url}?lti_msg=Done`);
    expect(returned.status()).toBe(200);
    expect(await returned.text()).toContain(`href="/author/courses/${ids.course}" target="_top"`);

    const admin = await signedIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    const response = await admin.page.goto('/teach/score-ledger');
    expect(response?.status()).toBe(200);
    expect(await textOf(admin.page, 'h1')).toBe('Score ledger');
    const previews = await ledgerRows(admin.page, 'tr.decision-preview');
    expect(previews).toHaveLength(1);
    const [, tool, , activity, operation, sent, decision, result] = previews[0];
    expect([tool, activity, operation, sent, decision, result]).toEqual([
      'Practice Lab LTI 1.1',
      'Graded lab',
      'replaceResult',
      '1',
      'Preview (not recorded) A preview launch: not recorded',
      '',
    ]);
    expect(await textOf(admin.page, 'table.score-ledger tr.decision-preview .decision')).toBe('Preview (not recorded)');
  });

  it('should list the applied scores to the instructor and refuse the learner when the score ledger is opened', async () => {
    const { page } = await signedIn(INSTRUCTOR);
    await page.goto('/teach/classes');
    await Promise.all([
      page.waitForURL('**/teach/score-ledger'),
      page.getByRole('navigation', { name: 'Teaching' }).getByRole('link', { name: 'Score ledger' }).click(),
    ]);
    expect(await textOf(page, 'h1')).toBe('Score ledger');
    const when = expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
    // Newest first: the three outcomes of the learner's launch in the first test.
    expect(await ledgerRows(page, 'tr.decision-applied')).toEqual([
      [
        when,
        'Practice Lab LTI 1.1',
        LEARNER_NAME,
        'Graded lab',
        'replaceResult',
        '0.5',
        'Applied',
        'Failed — launch again 50%',
      ],
      [when, 'Practice Lab LTI 1.1', LEARNER_NAME, 'Graded lab', 'deleteResult', '', 'Applied', 'Awaiting score'],
      [when, 'Practice Lab LTI 1.1', LEARNER_NAME, 'Graded lab', 'replaceResult', '0.9', 'Applied', 'Completed 90%'],
    ]);
    expect(await page.locator('table.score-ledger tbody tr.decision-rejected').count()).toBe(0);

    // The decision filter narrows the list to one kind of entry.
    const filtered = await page.goto('/teach/score-ledger?decision=applied');
    expect(filtered?.status()).toBe(200);
    const decisions = await page.locator('table.score-ledger tbody tr[data-entry] .decision').allTextContents();
    expect(decisions).toEqual(['Applied', 'Applied', 'Applied']);

    const learner = await signedIn(LEARNER);
    expect(
      await learner.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Classes' }).count(),
    ).toBe(0);
    const refused = await learner.page.goto('/teach/score-ledger');
    expect(refused?.status()).toBe(403);
    expect(await textOf(learner.page, '.error-summary')).toBe(
      'Only site administrators and instructors can see the score ledger',
    );
    expect(await learner.page.locator('table.score-ledger').count()).toBe(0);
    expect(await learner.page.content()).not.toContain('0.9');
  });
});
