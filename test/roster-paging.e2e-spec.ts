import { ApiClient, createPerson } from './support/api-client';
import { FormSession } from './support/form-session';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

/** More than two export batches (500 rows each), so a CSV must join three keyset batches. */
const LEARNERS = 1_050;
/** Learners sharing one name and one enrollment time: the roster order falls back to the id. */
const NAMESAKES = 300;

describe('roster and course report paging and streamed exports', () => {
  let testApp: TestApp;
  let instructor: ApiClient;
  let author: ApiClient;
  let outsider: ApiClient;
  let courseId: string;
  let classId: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    const root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const org = (await root.post('/api/v1/organizations', { name: 'Big school' })).body.id;
    const other = (await root.post('/api/v1/organizations', { name: 'Other school' })).body.id;
    instructor = (
      await createPerson(root, { email: 'big-teacher@example.com', organizationId: org, role: 'instructor' })
    ).client;
    author = (await createPerson(root, { email: 'big-author@example.com', organizationId: org, role: 'course_author' }))
      .client;
    outsider = (
      await createPerson(root, { email: 'other-teacher@example.com', organizationId: other, role: 'instructor' })
    ).client;
    courseId = (await author.post('/api/v1/courses', { title: 'Big course' })).body.id;
    classId = (await instructor.post('/api/v1/classes', { courseId, title: 'Big class' })).body.id;
    // A class of 1,050 learners, written in SQL: enrolling them one by one through the API would take minutes.
    await testApp.dataSource.query(
      `WITH people AS (
         INSERT INTO users (email, name, organization_id)
         SELECT format('big-%s@example.com', n),
                CASE WHEN n < $4 THEN 'Namesake' ELSE format('Learner %s', lpad(n::text, 4, '0')) END, $1
           FROM generate_series(0, $5 - 1) AS n
         RETURNING id, name)
       INSERT INTO enrollments (kind, course_id, class_id, user_id, role, status, created_at)
       SELECT 'class', $2, $3, id, 'learner', 'active',
              CASE WHEN name = 'Namesake' THEN timestamptz '2026-01-01T00:00:00.123456Z' ELSE now() END
         FROM people`,
      [org, courseId, classId, NAMESAKES, LEARNERS],
    );
  });

  afterAll(async () => {
    await testApp?.close();
  });

  const ids = (body: { items: Array<{ enrollment: { id: string } }> }) => body.items.map((row) => row.enrollment.id);

  it('should answer a second page that differs from the first when a class roster is longer than a page', async () => {
    const first = await instructor.get(`/api/v1/classes/${classId}/enrollments?limit=100`);
    const second = await instructor.get(`/api/v1/classes/${classId}/enrollments?limit=100&page=2`);

    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: LEARNERS, page: 1, limit: 100 });
    expect(second.body).toMatchObject({ total: LEARNERS, page: 2, limit: 100 });
    expect(ids(first.body)).toHaveLength(100);
    expect(ids(second.body)).toHaveLength(100);
    expect(ids(second.body).filter((id) => ids(first.body).includes(id))).toEqual([]);
    expect(first.body.items[0].learner.name).toBe('Learner 0300');
  });

  it('should page a course report to the end without repeating or losing anyone when names tie', async () => {
    const seen = new Set<string>();
    for (let page = 1; page <= 6; page += 1) {
      const answer = await author.get(`/api/v1/courses/${courseId}/progress?limit=200&page=${page}`);
      expect(answer.status).toBe(200);
      ids(answer.body).forEach((id) => seen.add(id));
    }

    expect(seen.size).toBe(LEARNERS);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=ten', 'limit'],
    ['page=0', 'page'],
    ['page=-1', 'page'],
  ])('should refuse with 400 and a worded field message when the paging is %s', async (query, field) => {
    for (const path of [`/api/v1/classes/${classId}/enrollments`, `/api/v1/courses/${courseId}/progress`]) {
      const answer = await author.request('GET', `${path}?${query}`);

      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
      expect(answer.body.errors[0].message).toMatch(/\w+ \w+/);
    }
  });

  it('should export every enrollment exactly once when the CSV has more rows than one batch', async () => {
    const exports: Array<[ApiClient, string]> = [
      [instructor, `/api/v1/classes/${classId}/enrollments.csv`],
      [author, `/api/v1/courses/${courseId}/progress.csv`],
    ];
    for (const [client, path] of exports) {
      const answer = await client.request('GET', path);

      expect(answer.status).toBe(200);
      const lines = answer.text.trim().split('\r\n');
      expect(lines[0]).toMatch(/^learner,email,role,offering/);
      const emails = lines.slice(1).map((line) => line.split(',')[1]);
      expect(emails).toHaveLength(LEARNERS);
      expect(new Set(emails).size).toBe(LEARNERS);
    }
  });

  it('should list a renamed learner under the new name, in the new name’s place, in the roster, report and export', async () => {
    const root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const [last] = await testApp.dataSource.query<Array<{ id: string }>>(
      `SELECT id FROM users WHERE name = 'Learner 1049'`,
    );
    const renamed = await root.patch(`/api/v1/users/${last.id}`, { name: 'Aaron Renamed' });
    expect(renamed.status).toBe(200);

    const roster = await instructor.get(`/api/v1/classes/${classId}/enrollments?limit=10`);
    const report = await author.get(`/api/v1/courses/${courseId}/progress?limit=10`);
    const csv = await instructor.request('GET', `/api/v1/classes/${classId}/enrollments.csv`);

    expect(roster.body.items[0].learner).toMatchObject({ id: last.id, name: 'Aaron Renamed' });
    expect(report.body.items[0].learner).toMatchObject({ id: last.id, name: 'Aaron Renamed' });
    expect(csv.text.split('\r\n')[1]).toMatch(/^Aaron Renamed,big-1049@example.com,/);
    expect(csv.text).not.toContain('Learner 1049');
  });

  it('should refuse an export with 404 and send no row when the class is outside the caller’s organizations', async () => {
    const answer = await outsider.request('GET', `/api/v1/classes/${classId}/enrollments.csv`);

    expect(answer.status).toBe(404);
    expect(answer.text).not.toContain('big-');
  });

  it('should show a page of the class roster with links to the next page when the class is longer than a page', async () => {
    const browser = new FormSession(testApp.baseUrl);
    await browser.signIn('big-teacher@example.com', 'a-long-test-password');

    const first = await (await browser.get(`/teach/classes/${classId}`)).text();
    const second = await (await browser.get(`/teach/classes/${classId}?page=2`)).text();

    expect(first).toContain(`Page 1 of 21 (${LEARNERS} enrollments)`);
    expect(first).toContain(`href="/teach/classes/${classId}?page=2" rel="next"`);
    expect(second).toContain('Page 2 of 21');
    const rowsOf = (html: string): string[] => html.match(/data-enrollment="[^"]+"/g) ?? [];
    expect(rowsOf(first)).toHaveLength(50);
    expect(rowsOf(second).filter((row) => rowsOf(first).includes(row))).toEqual([]);
    // The summary counts the whole class, not the page.
    expect(first).toMatch(new RegExp(`\\b${LEARNERS}\\b[^<]*learners?`));
  });

  it('should show a page of the course report with the whole course in its summary when the course is longer than a page', async () => {
    const browser = new FormSession(testApp.baseUrl);
    await browser.signIn('big-author@example.com', 'a-long-test-password');

    const second = await browser.get(`/author/courses/${courseId}/progress?page=2`);
    const html = await second.text();

    expect(second.status).toBe(200);
    expect(html).toContain('Page 2 of 21');
    expect(html.match(/data-enrollment="[^"]+"/g)).toHaveLength(50);
    expect(html).toContain(`href="/author/courses/${courseId}/progress?page=3" rel="next"`);
  });
});
