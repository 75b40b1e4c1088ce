import { ProgressService } from '@tms/core';
import { ApiClient, createPerson } from './support/api-client';
import { recordRequestQueries, RequestQueries } from './support/request-queries';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

/** A class of 1,000: the largest roster page (issue 20's "1,000-learner page"). */
const LEARNERS = 1_000;
/** Every hundredth learner (n % 100 = 99) was removed: history in the roster, not counted in the summary. */
const REMOVED = LEARNERS / 100;
/** SQL statements a roster page may take, whatever its size (session, scope, class, course, page, progress…). */
const MAX_STATEMENTS = 8;

const LAUNCHED_AT = '2026-03-01T10:00:00.123456Z';
const COMPLETED_AT = '2026-03-02T11:30:00.987654Z';

/**
 * A class of 1,000 learners with progress written in SQL: learner n has the required lab completed
 * with 95.5 % (n % 4 = 0) or 12.345 % (n % 4 = 2), launched (n % 4 = 1) or not started (n % 4 = 3);
 * the optional practice completed with 50 % when n % 10 = 0.
 */
describe('rosters and reports of a 1,000-learner class', () => {
  let testApp: TestApp;
  let instructor: ApiClient;
  let instructorId: string;
  let courseId: string;
  let classId: string;
  let lab: string;
  let practice: string;
  const requests: RequestQueries[] = [];

  beforeAll(async () => {
    testApp = await startTestApp();
    recordRequestQueries(testApp.app.getHttpServer(), requests);
    const root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const org = (await root.post('/api/v1/organizations', { name: 'Large school' })).body.id;
    const teacher = await createPerson(root, {
      email: 'large-teacher@example.com',
      organizationId: org,
      role: 'instructor',
    });
    [instructor, instructorId] = [teacher.client, teacher.id];
    const author = (
      await createPerson(root, { email: 'large-author@example.com', organizationId: org, role: 'course_author' })
    ).client;
    const provider = await root.post('/api/v1/lti/providers', {
      name: 'Lab',
      organizationId: org,
      ltiVersion: '1.1',
      consumerKey: 'large-lab',
      sharedSecret: 'large-lab-secret',
    });
    const link = (
      await root.post('/api/v1/lti/resource-links', {
        name: 'Lab',
        organizationId: org,
        providerId: provider.body.id,
        url: 'https://lab.example/launch',
      })
    ).body.id;
    courseId = (await author.post('/api/v1/courses', { title: 'Large course' })).body.id;
    lab = (await author.post(`/api/v1/courses/${courseId}/activities`, { resourceLinkId: link, title: 'Lab' })).body.id;
    practice = (
      await author.post(`/api/v1/courses/${courseId}/activities`, {
        resourceLinkId: link,
        title: 'Practice',
        required: false,
      })
    ).body.id;
    classId = (await instructor.post('/api/v1/classes', { courseId, title: 'Large class' })).body.id;
    await seedClass(org);
  });

  afterAll(async () => {
    await testApp?.close();
  });

  async function seedClass(org: string): Promise<void> {
    await testApp.dataSource.query(
      `WITH people AS (
         INSERT INTO users (email, name, organization_id)
         SELECT format('large-%s@example.com', n), format('Learner %s', lpad(n::text, 4, '0')), $1
           FROM generate_series(0, $4 - 1) AS n
         RETURNING id, email),
       numbered AS (SELECT id, substring(email FROM 'large-(\\d+)@')::int AS n FROM people),
       enrolled AS (
         INSERT INTO enrollments (kind, course_id, class_id, user_id, role, status, created_at, ended_at)
         SELECT 'class', $2, $3, id, 'learner', CASE WHEN n % 100 = 99 THEN 'removed' ELSE 'active' END,
                timestamptz '2026-02-01T08:00:00.5Z', CASE WHEN n % 100 = 99 THEN timestamptz '2026-02-03T09:00:00Z' END
           FROM numbered
         RETURNING id, user_id),
       progress AS (SELECT e.id, p.n FROM enrolled e JOIN numbered p ON p.id = e.user_id)
       INSERT INTO activity_progress (enrollment_id, activity_id, status, score_percent, score_given, score_maximum,
                                      scored_at, first_launched_at, completed_at)
       SELECT id, $5::uuid, CASE WHEN n % 2 = 0 THEN 'completed' ELSE 'launched' END,
              CASE n % 4 WHEN 0 THEN 95.5 WHEN 2 THEN 12.345 END, CASE WHEN n % 2 = 0 THEN 0.5 END,
              CASE WHEN n % 2 = 0 THEN 1 END, CASE WHEN n % 2 = 0 THEN $8::timestamptz END,
              $7::timestamptz, CASE WHEN n % 2 = 0 THEN $8::timestamptz END
         FROM progress WHERE n % 4 <> 3
       UNION ALL
       SELECT id, $6::uuid, 'completed', 50, NULL::numeric, NULL::numeric, NULL::timestamptz, $7::timestamptz, $8::timestamptz FROM progress WHERE n % 10 = 0`,
      [org, courseId, classId, LEARNERS, lab, practice, LAUNCHED_AT, COMPLETED_AT],
    );
  }

  it('should answer every learner with their progress in roster order when one page of 1,000 is asked for', async () => {
    const answer = await instructor.get(`/api/v1/classes/${classId}/enrollments?limit=1000`);

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ total: LEARNERS, page: 1, limit: 1000 });
    const names = answer.body.items.map((row: { learner: { name: string } }) => row.learner.name);
    expect(names).toHaveLength(LEARNERS);
    expect(names).toEqual([...names].sort());
    const row = answer.body.items[2];
    expect(row).toEqual({
      enrollment: {
        id: expect.any(String),
        kind: 'class',
        courseId,
        classId,
        userId: row.learner.id,
        role: 'learner',
        status: 'active',
        dueAt: null,
        completedAt: null,
        endedAt: null,
        createdAt: '2026-02-01T08:00:00.500Z',
        userName: 'Learner 0002',
        userEmail: 'large-2@example.com',
      },
      course: { id: courseId, title: 'Large course', code: null },
      class: { id: classId, title: 'Large class' },
      courseComplete: true,
      activities: [
        {
          activityId: lab,
          title: 'Lab',
          required: true,
          status: 'completed',
          scorePercent: 12.345,
          firstLaunchedAt: '2026-03-01T10:00:00.123Z',
          completedAt: '2026-03-02T11:30:00.987Z',
        },
        {
          activityId: practice,
          title: 'Practice',
          required: false,
          status: 'not_started',
          scorePercent: null,
          firstLaunchedAt: null,
          completedAt: null,
        },
      ],
      learner: { id: expect.any(String), name: 'Learner 0002', email: 'large-2@example.com' },
    });
    expect(answer.body.items[99].enrollment).toMatchObject({ status: 'removed', endedAt: '2026-02-03T09:00:00.000Z' });
  });

  it('should answer no rows with the roster’s total when the page is past the end', async () => {
    const answer = await instructor.get(`/api/v1/classes/${classId}/enrollments?limit=1000&page=2`);

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ items: [], total: LEARNERS, page: 2, limit: 1000 });
  });

  it('should send as many SQL statements for a page of 1,000 as for a page of 10 when the class is large', async () => {
    const statementsOf = async (path: string): Promise<number> => {
      const before = requests.length;
      expect((await instructor.get(path)).status).toBe(200);
      return requests.slice(before).reduce((sum, request) => sum + request.statements.length, 0);
    };

    const small = await statementsOf(`/api/v1/classes/${classId}/enrollments?limit=10`);
    const large = await statementsOf(`/api/v1/classes/${classId}/enrollments?limit=1000`);
    const report = await statementsOf(`/api/v1/courses/${courseId}/progress?limit=1000`);

    expect(large).toBe(small);
    expect(large).toBeLessThanOrEqual(MAX_STATEMENTS);
    expect(report).toBeLessThanOrEqual(MAX_STATEMENTS);
  });

  it('should count the class summary over its active learners only when some were removed', async () => {
    const summary = await testApp.app.get(ProgressService).classSummary({ userId: instructorId }, classId, new Date());
    const active = LEARNERS - REMOVED;

    expect(summary).toEqual({
      learners: active,
      completed: 500,
      completionRate: 500 / active,
      statuses: [
        { status: 'not_started', count: 250 - REMOVED + (active - 100) },
        { status: 'launched', count: 250 },
        { status: 'awaiting_score', count: 0 },
        { status: 'awaiting_review', count: 0 },
        { status: 'completed', count: 500 + 100 },
        { status: 'failed', count: 0 },
      ],
      scores: [
        { label: '0–19%', count: 250 },
        { label: '20–39%', count: 0 },
        { label: '40–59%', count: 100 },
        { label: '60–79%', count: 0 },
        { label: '80–100%', count: 250 },
      ],
      activities: [
        { activityId: lab, title: 'Lab', required: true, completed: 500, learners: active },
        { activityId: practice, title: 'Practice', required: false, completed: 100, learners: active },
      ],
      overdue: 0,
    });
  });

  it('should count an overdue self-paced assignment in the course summary when its due date has passed', async () => {
    const [late] = await testApp.dataSource.query(
      `INSERT INTO users (email, name, organization_id)
       SELECT 'late@example.com', 'Late learner', organization_id FROM courses WHERE id = $1 RETURNING id`,
      [courseId],
    );
    await testApp.dataSource.query(
      `INSERT INTO enrollments (kind, course_id, user_id, role, status, due_at)
       VALUES ('self_paced', $1, $2, 'learner', 'active', now() - interval '1 day')`,
      [courseId, late.id],
    );

    const summary = await testApp.app
      .get(ProgressService)
      .courseSummary({ userId: instructorId }, courseId, new Date());

    expect(summary).toMatchObject({ learners: LEARNERS - REMOVED + 1, completed: 500, overdue: 1 });
  });

  it('should refuse the summary of a class outside the caller’s organizations as not found', async () => {
    const root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const other = (await root.post('/api/v1/organizations', { name: 'Small school' })).body.id;
    const outsider = await createPerson(root, {
      email: 'small-teacher@example.com',
      organizationId: other,
      role: 'instructor',
    });

    await expect(
      testApp.app.get(ProgressService).classSummary({ userId: outsider.id }, classId, new Date()),
    ).rejects.toMatchObject({ code: 'not_found' });
  });
});
