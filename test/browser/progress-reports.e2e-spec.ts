import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiClient, createPerson } from '../support/api-client';
import { launchBrowser, newPage, signInThroughForm, submit, textOf } from '../support/browser';
import { BuiltApp, startBuiltApp } from '../support/built-app';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app';

const LEARNERS = ['ada@example.com', 'ben@example.com', 'cy@example.com'];
const PASSWORD = 'a-long-test-password';

describe('Progress reports in a browser', () => {
  let testApp: BuiltApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const ids: Record<string, string> = {};
  const people: Record<string, string> = {};
  let root: ApiClient;

  /** The enrollment of a learner in the class. */
  const enrollmentOf = async (email: string): Promise<string> =>
    (
      await testApp.dataSource.query(
        `SELECT e.id FROM enrollments e JOIN users u ON u.id = e.user_id WHERE u.email = $1 AND e.class_id = $2`,
        [email, ids.class],
      )
    )[0].id;

  async function progress(email: string, activity: string, status: string, score: number | null): Promise<void> {
    await testApp.dataSource.query(
      `INSERT INTO activity_progress (enrollment_id, activity_id, status, score_percent, first_launched_at, completed_at)
       VALUES ($1, $2, $3::varchar, $4, now(), CASE WHEN $3::varchar = 'completed' THEN now() END)`,
      [await enrollmentOf(email), activity, status, score],
    );
  }

  beforeAll(async () => {
    testApp = await startBuiltApp();
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const rootOrg = (await root.get('/api/v1/organizations')).body.items[0].id;
    for (const email of LEARNERS) {
      people[email] = (
        await createPerson(root, { email, organizationId: rootOrg, role: 'learner', password: PASSWORD })
      ).id;
    }
    const provider = await root.post('/api/v1/lti/providers', {
      name: 'Lab',
      ltiVersion: '1.1',
      consumerKey: 'lab',
      sharedSecret: 'lab-secret',
    });
    const link = (
      await root.post('/api/v1/lti/resource-links', {
        name: 'Lab',
        providerId: provider.body.id,
        url: 'https://lab.example/launch',
      })
    ).body.id;
    const course = (await root.post('/api/v1/courses', { title: 'Safety basics' })).body;
    ids.course = course.id;
    ids.first = (await root.post(`/api/v1/courses/${course.id}/activities`, { resourceLinkId: link })).body.id;
    ids.second = (await root.post(`/api/v1/courses/${course.id}/activities`, { resourceLinkId: link })).body.id;
    ids.class = (await root.post('/api/v1/classes', { courseId: course.id, title: 'Safety — May' })).body.id;
    const enrolled = await root.post(`/api/v1/classes/${ids.class}/enrollments/bulk`, { emails: LEARNERS });
    expect(enrolled.body.enrolled).toHaveLength(3);
    // Ada finished both (90%, 75%); Ben finished the first (45%) and launched the second; Cy has not started.
    await progress(LEARNERS[0], ids.first, 'completed', 90);
    await progress(LEARNERS[0], ids.second, 'completed', 75);
    await progress(LEARNERS[1], ids.first, 'completed', 45);
    await progress(LEARNERS[1], ids.second, 'launched', null);
    browser = await launchBrowser();
    ({ context, page } = await newPage(browser, testApp.baseUrl));
    await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await testApp?.close();
  });

  const bars = async (chart: string): Promise<Record<string, number>> =>
    Object.fromEntries(
      await Promise.all(
        (await page.locator(`[data-chart="${chart}"] [data-bar]`).all()).map(async (bar) => [
          await bar.getAttribute('data-bar'),
          Number(await bar.getAttribute('data-count')),
        ]),
      ),
    );

  it('should show the completion rate and charts that match the seeded progress when an instructor opens the class', async () => {
    await page.goto(`/teach/classes/${ids.class}`);

    expect(await page.locator('[data-completion-rate]').getAttribute('data-completion-rate')).toBe('33');
    expect(await textOf(page, '.completion-rate')).toBe(
      '33% complete: 1 of 3 learners completed every required activity.',
    );
    expect(await bars('status-chart')).toEqual({
      not_started: 2,
      launched: 1,
      awaiting_score: 0,
      awaiting_review: 0,
      completed: 3,
      failed: 0,
    });
    expect(await bars('score-chart')).toEqual({ 'band-0': 0, 'band-1': 0, 'band-2': 1, 'band-3': 1, 'band-4': 1 });
    // The bars' text alternative says the same numbers.
    expect(await textOf(page, '#status-chart-desc')).toBe(
      'Not started: 2, Launched: 1, Awaiting score: 0, Awaiting review: 0, Completed: 3, Failed — launch again: 0 (learner activities)',
    );
    const width = (selector: string) => page.locator(selector).getAttribute('width');
    expect(await width('[data-chart="status-chart"] [data-bar="completed"] rect')).toBe('300');
    expect(await width('[data-chart="status-chart"] [data-bar="launched"] rect')).toBe('100');

    const learnerBars = await page
      .locator('table.progress-table [role="progressbar"]')
      .evaluateAll((nodes) =>
        nodes.map((node) => [node.getAttribute('aria-label'), node.getAttribute('aria-valuenow')]),
      );
    expect(learnerBars.sort()).toEqual([
      ['Progress of ada', '100'],
      ['Progress of ben', '50'],
      ['Progress of cy', '0'],
    ]);
    const activityBars = await page
      .locator('table.activity-progress tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => row.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow')),
      );
    expect(activityBars).toEqual(['67', '33']);

    const folder = process.env.SCREENSHOTS_DIR;
    if (folder) {
      mkdirSync(folder, { recursive: true });
      await page.screenshot({ path: join(folder, 'class-report.png'), fullPage: true });
    }
  });

  it('should show the same figures over the whole course when the author opens its progress report', async () => {
    await page.goto(`/author/courses/${ids.course}/progress`);
    expect(await page.locator('[data-completion-rate]').getAttribute('data-completion-rate')).toBe('33');
    expect(await bars('score-chart')).toEqual({ 'band-0': 0, 'band-1': 0, 'band-2': 1, 'band-3': 1, 'band-4': 1 });
  });

  it('should say who was already enrolled and what is not an email, after a redirect, when an instructor enrolls again', async () => {
    await page.goto(`/teach/classes/${ids.class}`);
    await page.locator('#f-emails').fill(`${LEARNERS[0]}\nnot-an-email`);
    const response = await submit(page, page.getByRole('button', { name: 'Enroll' }));
    expect(response.status()).toBe(200);
    expect(response.request().method()).toBe('GET');
    expect(new URL(page.url()).pathname).toBe(`/teach/classes/${ids.class}`);
    expect(await textOf(page, '[data-result="nobody-new"]')).toBe('Nobody new was enrolled.');
    expect(await page.locator('[data-result="enrolled"]').count()).toBe(0);
    expect(await textOf(page, '[data-result="already-enrolled"]')).toBe(`Already enrolled (1): ${LEARNERS[0]}`);
    expect(await textOf(page, '[data-result="invalid"]')).toMatch(/^Not an email address \(1\): not-an-email/);
    expect(await page.locator('[data-result="not-found"]').count()).toBe(0);
    expect(await page.locator('#f-emails').inputValue()).toBe('not-an-email');
  });

  it('should refuse a due date in the past in the user’s words when a self-paced course is assigned', async () => {
    const refused = await root.post('/api/v1/self-paced-assignments', {
      courseId: ids.course,
      userId: people[LEARNERS[2]],
      dueAt: '2020-01-01T00:00:00Z',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      {
        field: 'dueAt',
        message: expect.stringMatching(/^Due date is in the past: choose a date and time still to come\./),
      },
    ]);
    const [{ n }] = await testApp.dataSource.query(
      `SELECT count(*)::int AS n FROM enrollments WHERE kind = 'self_paced'`,
    );
    expect(n).toBe(0);
  });

  it('should flag an overdue assignment and keep an ended class out of Current when a learner opens My learning', async () => {
    const assigned = await root.post('/api/v1/self-paced-assignments', {
      courseId: ids.course,
      userId: people[LEARNERS[0]],
      dueAt: '2031-01-01T00:00:00Z',
    });
    expect(assigned.status).toBe(201);
    // Time passes: the due date and the class's last day are behind us. Two days back: a class ends
    // once its last day is over everywhere (UTC−12), so yesterday is still a class day until noon UTC.
    await testApp.dataSource.query(`UPDATE enrollments SET due_at = now() - interval '2 days' WHERE id = $1`, [
      assigned.body.id,
    ]);
    await testApp.dataSource.query(`UPDATE classes SET ends_on = current_date - 2 WHERE id = $1`, [ids.class]);

    const learner = await browser.newContext({ baseURL: testApp.baseUrl });
    try {
      const own = await learner.newPage();
      await signInThroughForm(own, LEARNERS[0], PASSWORD);
      await own.goto('/learn');
      const current = own.locator('table.current tbody tr');
      expect(await current.count()).toBe(1);
      expect(await current.locator('td').nth(1).textContent()).toBe('Self-paced');
      expect(await current.locator('[data-overdue]').textContent()).toBe('Overdue');
      expect(await current.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('0');
      const history = own.locator('table.history tbody tr');
      expect(await history.count()).toBe(1);
      expect((await history.locator('td').allTextContents()).map((t) => t.trim())).toEqual([
        'Safety basics',
        'Safety — May',
        '',
        'Class ended',
        'Complete',
      ]);
    } finally {
      await learner.close();
    }
    await page.goto(`/author/courses/${ids.course}/progress`);
    expect(await page.locator('[data-overdue-count]').getAttribute('data-overdue-count')).toBe('1');
  });

  it('should page a long roster with Next and Previous, the summary counting the whole class, when a class outgrows a page', async () => {
    const rootOrg = (await root.get('/api/v1/organizations')).body.items[0].id;
    await testApp.dataSource.query(
      `WITH people AS (
         INSERT INTO users (email, name, organization_id)
         SELECT format('zz-%s@example.com', n), format('Zz learner %s', lpad(n::text, 2, '0')), $1
           FROM generate_series(1, 60) AS n RETURNING id)
       INSERT INTO enrollments (kind, course_id, class_id, user_id, role, status)
       SELECT 'class', $2, $3, id, 'learner', 'active' FROM people`,
      [rootOrg, ids.course, ids.class],
    );
    const rows = page.locator('table.progress-table tbody tr');

    await page.goto(`/teach/classes/${ids.class}`);
    expect(await textOf(page, '.pager')).toMatch(/^Page 1 of 2 \(63 enrollments\)/);
    expect(await rows.count()).toBe(50);
    const firstPage = await rows.locator('td:first-child').allTextContents();
    expect(await page.locator('.completion-rate').textContent()).toContain('of 63 learners');

    await page.getByRole('link', { name: 'Next' }).click();
    await page.waitForURL(/page=2/);
    expect(await textOf(page, '.pager')).toMatch(/^Page 2 of 2/);
    expect(await rows.count()).toBe(13);
    const secondPage = await rows.locator('td:first-child').allTextContents();
    expect(secondPage.filter((name) => firstPage.includes(name))).toEqual([]);
    expect(new Set([...firstPage, ...secondPage]).size).toBe(63);
    expect(await page.locator('.completion-rate').textContent()).toContain('of 63 learners');

    await page.getByRole('link', { name: 'Previous' }).click();
    await page.waitForURL(/page=1/);
    expect(await rows.locator('td:first-child').allTextContents()).toEqual(firstPage);
  });
});
