import { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { ApiClient, createPerson } from '../support/api-client';
import { launchBrowser, signedInPage, submit, textOf } from '../support/browser';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app';
import { BuiltApp, startBuiltApp } from '../support/built-app';

const PASSWORD = 'a-long-test-password';
const AUTHOR = 'author-a@example.com';
const INSTRUCTOR = 'teacher-a@example.com';
const LEARNER_1 = 'learner-1@example.com';
const LEARNER_2 = 'learner-2@example.com';

describe('authoring, teaching and learning pages in a browser', () => {
  let testApp: BuiltApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const ids: Record<string, string> = {};

  const query = <T = Record<string, unknown>>(sql: string, parameters: unknown[] = []): Promise<T[]> =>
    testApp.dataSource.query(sql, parameters);
  const count = async (table: 'course_activities' | 'enrollments') =>
    Number((await query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

  const signedIn = (email: string): Promise<Page> => signedInPage(browser, testApp.baseUrl, contexts, email, PASSWORD);

  const optionTexts = async (select: Locator) =>
    (await select.locator('option').allTextContents()).map((t) => t.replace(/\u00a0/g, ' ').trim());

  /** Selects the option whose text is `label`. */
  async function choose(select: Locator, label: string): Promise<void> {
    const options = await Promise.all(
      (await select.locator('option').all()).map(async (o) => ({
        value: (await o.getAttribute('value')) ?? '',
        text: ((await o.textContent()) ?? '').trim(),
      })),
    );
    const found = options.filter((o) => o.text === label);
    if (found.length !== 1) throw new Error(`${found.length} options named ${label}: ${JSON.stringify(options)}`);
    await select.selectOption(found[0].value);
  }

  const rowsOf = async (page: Page, selector: string) =>
    Promise.all(
      (await page.locator(`${selector} tbody tr`).all()).map(async (row) =>
        (await row.locator('td').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()),
      ),
    );

  const enrollmentOf = async (email: string) =>
    (
      await query<{ id: string }>(
        `SELECT e.id FROM enrollments e JOIN users u ON u.id = e.user_id
         WHERE u.email = $1 AND e.course_id = $2 AND e.kind = 'class'`,
        [email, ids.course],
      )
    )[0].id;

  beforeAll(async () => {
    testApp = await startBuiltApp();
    const root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const rootOrg = (await root.get('/api/v1/organizations')).body.items[0].id;
    const orgA = (await root.post('/api/v1/organizations', { name: 'A' })).body.id;
    const orgB = (await root.post('/api/v1/organizations', { name: 'B' })).body.id;
    for (const [email, role] of [
      [AUTHOR, 'course_author'],
      [INSTRUCTOR, 'instructor'],
      [LEARNER_1, 'learner'],
      [LEARNER_2, 'learner'],
    ]) {
      await createPerson(root, { email, organizationId: orgA, role, password: PASSWORD });
    }
    const provider = await root.post('/api/v1/lti/providers', {
      name: 'Lab',
      organizationId: rootOrg,
      ltiVersion: '1.1',
      consumerKey: 'lab',
      sharedSecret: 'lab-secret',
    });
    const link = async (name: string, availableOrganizationIds: string[]) =>
      (
        await root.post('/api/v1/lti/resource-links', {
          name,
          organizationId: rootOrg,
          providerId: provider.body.id,
          url: 'https://lab.example/launch',
          availableOrganizationIds,
        })
      ).body.id as string;
    ids.linkForA = await link('Lab for A', [orgA]);
    ids.linkForB = await link('Lab for B', [orgB]);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await testApp?.close();
  });

  it('should offer only the link available to A, and refuse the link for B, when the author adds an activity', async () => {
    const page = await signedIn(AUTHOR);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual([
      'Home',
      'Courses',
      'My learning',
    ]);
    await page.goto('/author/courses/new');
    // One organization where they author: the course goes there, no choice to make.
    expect(await page.locator('#f-organizationId').count()).toBe(0);
    await page.locator('#f-title').fill('Secure coding');
    await page.locator('#f-code').fill('SC-1');
    const created = await submit(page, page.getByRole('button', { name: 'Create' }));
    expect(created.status()).toBe(200);
    expect(page.url()).toMatch(/\/author\/courses\/[0-9a-f-]{36}\?notice=created$/);
    ids.course = /\/author\/courses\/([0-9a-f-]{36})/.exec(page.url())![1];
    expect(await textOf(page, 'h1')).toBe('Secure coding SC-1');

    const select = page.locator('#f-a-resourceLinkId');
    expect(await optionTexts(select)).toEqual(['Lab for A']);

    // A forged choice of B's link is refused inline, and nothing is written.
    const before = await count('course_activities');
    await select.evaluate((element, value) => {
      (element as any).options[0].value = value;
    }, ids.linkForB);
    const refused = await submit(page, page.getByRole('button', { name: 'Add activity' }));
    expect(refused.status()).toBe(400);
    expect(await textOf(page, 'p.field-error[data-field="resourceLinkId"]')).toMatch(/not available/);
    expect(await count('course_activities')).toBe(before);

    await page.goto(`/author/courses/${ids.course}`);
    await choose(page.locator('#f-a-resourceLinkId'), 'Lab for A');
    expect(await page.locator('#f-a-required').isChecked()).toBe(true);
    await submit(page, page.getByRole('button', { name: 'Add activity' }));
    expect(await textOf(page, '.notice')).toBe('Activity added.');
    expect(await rowsOf(page, 'table.activities')).toEqual([
      ['1', 'Lab for A', 'Lab for A', 'Yes', 'Preview Up Down Remove'],
    ]);
    ids.activity = (await page.locator('table.activities tbody tr').getAttribute('data-activity'))!;
  });

  it('should enroll both learners and report the unknown email when the instructor pastes emails into a new class', async () => {
    const page = await signedIn(INSTRUCTOR);
    await page.goto('/teach/classes');
    await page.getByRole('link', { name: 'Create a class' }).click();
    await choose(page.locator('#f-courseId'), 'Secure coding (SC-1)');
    await page.locator('#f-title').fill('Secure coding — March');
    await submit(page, page.getByRole('button', { name: 'Create' }));
    expect(page.url()).toMatch(/\/teach\/classes\/[0-9a-f-]{36}\?notice=created$/);
    expect(await textOf(page, 'h1')).toBe('Secure coding — March');

    const before = await count('enrollments');
    await page.locator('#f-emails').fill(`${LEARNER_1}, ${LEARNER_2}\nnobody@example.com`);
    const enrolled = await submit(page, page.getByRole('button', { name: 'Enroll' }));
    expect(enrolled.status()).toBe(200);
    expect(await textOf(page, '[data-result="enrolled"]')).toBe(`Enrolled (2): ${LEARNER_1}, ${LEARNER_2}`);
    expect(await textOf(page, '[data-result="not-found"]')).toMatch(/^Not found \(1\): nobody@example\.com/);
    expect(await page.locator('#f-emails').inputValue()).toBe('nobody@example.com');
    expect(await count('enrollments')).toBe(before + 2);
    const roster = await rowsOf(page, 'table.progress-table');
    expect(roster.map((row) => row.slice(0, 4))).toEqual([
      [`learner-1 ${LEARNER_1}`, 'Active', 'No 0%', 'Not started'],
      [`learner-2 ${LEARNER_2}`, 'Active', 'No 0%', 'Not started'],
    ]);
    expect(await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).toMatch(
      /^\/teach\/classes\/[0-9a-f-]{36}\/roster\.csv$/,
    );

    // Learner 2 leaves the class: the enrollment stays as history.
    const row = page.locator('table.progress-table tbody tr', { hasText: LEARNER_2 });
    await submit(page, row.getByRole('button', { name: 'Remove' }));
    expect(await textOf(page, '.notice')).toBe('Removed from the class; their progress stays as history.');
    expect(await textOf(page, `tr[data-enrollment="${await enrollmentOf(LEARNER_2)}"] td:nth-child(2)`)).toBe(
      'Removed',
    );
  });

  it('should list the assignment with its due date, and refuse a second one inline, when the instructor assigns by email', async () => {
    const page = await signedIn(INSTRUCTOR);
    await page.goto('/teach/self-paced');
    const assign = async () => {
      await choose(page.locator('#f-a-courseId'), 'Secure coding (SC-1)');
      await page.locator('#f-email').fill(LEARNER_2);
      await page.locator('#f-dueAt').fill('2031-05-31');
      return submit(page, page.getByRole('button', { name: 'Assign' }));
    };
    await assign();
    expect(await textOf(page, '.notice')).toBe('Course assigned.');
    const [row] = await rowsOf(page, 'table.assignments');
    expect([row[0], row[1], row[3], row[4]]).toEqual([
      `learner-2 ${LEARNER_2}`,
      'Secure coding',
      '2031-05-31',
      'Active',
    ]);

    const before = await count('enrollments');
    const refused = await assign();
    expect(refused.status()).toBe(409);
    expect(await textOf(page, 'p.field-error[data-field="email"]')).toMatch(/already has this course/);
    expect(await count('enrollments')).toBe(before);

    await submit(page, page.locator('table.assignments tbody tr').first().getByRole('button', { name: 'Remove' }));
    expect(await textOf(page, '.notice')).toBe('Assignment removed; it stays as history.');
    expect((await rowsOf(page, 'table.assignments'))[0][4]).toBe('Removed');
  });

  it('should list every enrollment with history and offer the CSV when the author opens the progress report', async () => {
    const page = await signedIn(AUTHOR);
    await page.goto(`/author/courses/${ids.course}`);
    await page.getByRole('link', { name: 'Progress report' }).click();
    await page.waitForURL(`**/author/courses/${ids.course}/progress`);
    const rows = (await rowsOf(page, 'table.progress-table')).map((row) => row.slice(0, 4)).sort();
    expect(rows).toEqual([
      [`learner-1 ${LEARNER_1}`, 'Secure coding — March', 'Active', 'No 0%'],
      [`learner-2 ${LEARNER_2}`, 'Secure coding — March', 'Removed', 'No 0%'],
      [`learner-2 ${LEARNER_2}`, 'Self-paced', 'Removed', 'No 0%'],
    ]);
    const csv = await page.request.get(`/author/courses/${ids.course}/progress.csv`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
    expect((await csv.text()).trim().split('\r\n')).toHaveLength(4);
  });

  it('should show the course "Not started" with its Launch link when the learner opens My learning', async () => {
    const page = await signedIn(LEARNER_1);
    await page.getByRole('link', { name: 'Go to my learning' }).click();
    await page.waitForURL('**/learn');
    expect(await rowsOf(page, 'table.current')).toEqual([
      ['Secure coding', 'Secure coding — March', '', '0 of 1 required activity completed 0%'],
    ]);
    await submit(page, page.getByRole('link', { name: 'Secure coding', exact: true }));
    const enrollmentId = await enrollmentOf(LEARNER_1);
    expect(new URL(page.url()).pathname).toBe(`/learn/enrollments/${enrollmentId}`);
    const activity = page.locator(`li[data-activity="${ids.activity}"]`);
    expect(await activity.locator('.activity-title').textContent()).toBe('Lab for A');
    expect(await activity.locator('.progress').textContent()).toBe('Not started');
    expect(await activity.getByRole('link', { name: 'Launch' }).getAttribute('href')).toBe(
      `/learn/enrollments/${enrollmentId}/activities/${ids.activity}/launch`,
    );
  });

  it('should answer 404 when a learner opens another learner’s enrollment page', async () => {
    const page = await signedIn(LEARNER_1);
    const response = await page.goto(`/learn/enrollments/${await enrollmentOf(LEARNER_2)}`);
    expect(response?.status()).toBe(404);
    expect(await page.content()).not.toContain('Lab for A');
  });

  it('should keep the course under History without a Launch link when the learner was removed from the class', async () => {
    const page = await signedIn(LEARNER_2);
    await page.goto('/learn');
    expect(await page.locator('table.current').count()).toBe(0);
    const day = expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/);
    // Newest first: the withdrawn self-paced assignment, then the class.
    expect(await rowsOf(page, 'table.history')).toEqual([
      ['Secure coding', 'Self-paced', day, 'Removed', '0 of 1 required activity completed'],
      ['Secure coding', 'Secure coding — March', day, 'Removed', '0 of 1 required activity completed'],
    ]);
    await page.goto(`/learn/enrollments/${await enrollmentOf(LEARNER_2)}`);
    expect(await textOf(page, `li[data-activity="${ids.activity}"] .progress`)).toBe('Not started');
    expect(await page.getByRole('link', { name: 'Launch' }).count()).toBe(0);
  });
});
