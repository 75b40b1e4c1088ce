import { Page, ProgressService, RosterProgress } from '@tms/core';
import { toProgressDto } from '../apps/tms/src/http/learning/learning.dto';
import { mapPage } from '../apps/tms/src/http/shared/paging';
import { ApiClient, createPerson } from './support/api-client';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

/** Learners of the class: enough for every kind of row below to appear several times. */
const LEARNERS = 40;
/** A name that needs escaping in JSON: quotes, a backslash, a tab, a control character, non-ASCII, a line separator. */
const AWKWARD_NAME = 'O\'Brien "Ann" \\ \t\u0001 Zoë 😀 \u2028';

/** A roster row as the API answered it when it was assembled from domain objects: the reference shape. */
function rosterRowDto(row: RosterProgress) {
  return {
    ...toProgressDto(row),
    learner: { id: row.entry.userId, name: row.entry.userName, email: row.entry.userEmail },
  };
}

/**
 * Roster and report pages are read straight into their view (RosterViewRepository); the shape's
 * reference is the DTO of the progress the service assembles from domain objects. Every answer here
 * is compared byte for byte with JSON.stringify of that reference, on rows of every kind: class and self-paced,
 * active and removed, scores with decimals, times with microseconds, activities not started, a
 * course requiring nothing and one without activities, names that need escaping.
 */
describe('roster and report pages read into their view', () => {
  let testApp: TestApp;
  let instructorId: string;
  let instructor: ApiClient;
  let courseId: string;
  let optionalCourseId: string;
  let emptyCourseId: string;
  let classId: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    const root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const org = (await root.post('/api/v1/organizations', { name: 'JSON school' })).body.id;
    const teacher = await createPerson(root, {
      email: 'json-teacher@example.com',
      organizationId: org,
      role: 'instructor',
    });
    [instructor, instructorId] = [teacher.client, teacher.id];
    const provider = await root.post('/api/v1/lti/providers', {
      name: 'Lab',
      organizationId: org,
      ltiVersion: '1.1',
      consumerKey: 'json-lab',
      sharedSecret: 'json-lab-secret',
    });
    const link = (
      await root.post('/api/v1/lti/resource-links', {
        name: 'Lab',
        organizationId: org,
        providerId: provider.body.id,
        url: 'https://lab.example/launch',
      })
    ).body.id;
    const course = (title: string, code: string | null) =>
      root.post('/api/v1/courses', { title, code, organizationId: org }).then((answer) => answer.body.id as string);
    const activity = (course: string, title: string, required: boolean) =>
      root
        .post(`/api/v1/courses/${course}/activities`, { resourceLinkId: link, title, required })
        .then((answer) => answer.body.id as string);
    courseId = await course('Course "quoted" \\ é', 'JSON-1');
    const lab = await activity(courseId, 'Lab', true);
    const quiz = await activity(courseId, 'Quiz "final"', true);
    const practice = await activity(courseId, 'Practice', false);
    optionalCourseId = await course('Optional only', null);
    const optional = await activity(optionalCourseId, 'Optional', false);
    emptyCourseId = await course('Nothing yet', null);
    classId = (await root.post('/api/v1/classes', { courseId, title: 'Class "B" \\ ü', organizationId: org })).body.id;
    await seed({ org, lab, quiz, practice, optional });
  });

  afterAll(async () => {
    await testApp?.close();
  });

  /**
   * Learner n (n < LEARNERS) is in the class; every third one removed (ended); learner 0 has the
   * awkward name. Progress: the lab completed with a score of n·1.001 % (n even) or launched (n odd),
   * the quiz completed when n % 3 = 0, the practice stored as not started for learner 1 only. Five more learners are self-paced in the
   * course (due, one complete), in the course requiring nothing (completed) and in the empty course.
   */
  async function seed(ids: { org: string; lab: string; quiz: string; practice: string; optional: string }) {
    await testApp.dataSource.query(
      `WITH people AS (
         INSERT INTO users (email, name, organization_id)
         SELECT format('json-%s@example.com', n), CASE WHEN n = 0 THEN $9 ELSE format('Learner %s', n % 7) END, $1
           FROM generate_series(0, $4::int + 4) AS n
         RETURNING id, substring(email FROM 'json-(\\d+)@')::int AS n),
       enrolled AS (
         INSERT INTO enrollments (kind, course_id, class_id, user_id, role, status, due_at, completed_at, ended_at, created_at)
         SELECT CASE WHEN n < $4::int THEN 'class' ELSE 'self_paced' END,
                CASE WHEN n < $4::int + 2 THEN $2::uuid WHEN n < $4::int + 4 THEN $10::uuid ELSE $11::uuid END,
                CASE WHEN n < $4::int THEN $3::uuid END, id, 'learner',
                CASE WHEN n < $4::int AND n % 3 = 2 THEN 'removed' ELSE 'active' END,
                CASE WHEN n >= $4::int THEN timestamptz '2027-01-31T23:59:59.999999Z' END,
                CASE WHEN n = $4::int + 1 THEN timestamptz '2026-06-01T12:00:00.000001Z' END,
                CASE WHEN n < $4::int AND n % 3 = 2 THEN timestamptz '2026-05-05T05:05:05.05Z' END,
                timestamptz '2026-01-01T00:00:00Z' + n * interval '1 second 1 microsecond'
           FROM people
         RETURNING id, user_id, course_id),
       numbered AS (SELECT e.id, e.course_id, p.n FROM enrolled e JOIN people p ON p.id = e.user_id)
       INSERT INTO activity_progress (enrollment_id, activity_id, status, score_percent, first_launched_at, completed_at)
       SELECT id, $5::uuid, CASE WHEN n % 2 = 0 THEN 'completed' ELSE 'launched' END,
              CASE WHEN n % 2 = 0 THEN n * 1.001 END, timestamptz '2026-03-01T10:00:00.123456Z' + n * interval '1 ms',
              CASE WHEN n % 2 = 0 THEN timestamptz '2026-03-02T11:30:00.987654Z' END
         FROM numbered WHERE course_id = $2
       UNION ALL
       SELECT id, $6::uuid, 'completed', 100, timestamptz '2026-03-03T00:00:00Z', timestamptz '2026-03-03T00:00:01Z'
         FROM numbered WHERE course_id = $2 AND n % 3 = 0
       UNION ALL
       SELECT id, $7::uuid, 'not_started', NULL, NULL, NULL FROM numbered WHERE course_id = $2 AND n = 1
       UNION ALL
       SELECT id, $8::uuid, 'completed', 0.001, NULL, timestamptz '2026-04-01T00:00:00Z'
         FROM numbered WHERE course_id = $10`,
      [
        ids.org,
        courseId,
        classId,
        LEARNERS,
        ids.lab,
        ids.quiz,
        ids.practice,
        ids.optional,
        AWKWARD_NAME,
        optionalCourseId,
        emptyCourseId,
      ],
    );
  }

  async function rawGet(path: string): Promise<{ status: number; contentType: string | null; text: string }> {
    const answer = await fetch(testApp.baseUrl + path, { headers: { authorization: `Bearer ${instructor.token}` } });
    return { status: answer.status, contentType: answer.headers.get('content-type'), text: await answer.text() };
  }

  function expected(page: Page<RosterProgress>): string {
    return JSON.stringify(mapPage(page, rosterRowDto));
  }

  const progress = () => testApp.app.get(ProgressService);
  const principal = () => ({ userId: instructorId });

  it.each([
    { page: 1, limit: 1000 },
    { page: 2, limit: 7 },
    { page: 9, limit: 5 },
  ])(
    'should answer the same bytes as the progress DTOs when a class roster page $page of $limit is asked for',
    async (page) => {
      const answer = await rawGet(`/api/v1/classes/${classId}/enrollments?page=${page.page}&limit=${page.limit}`);

      expect(answer.status).toBe(200);
      expect(answer.contentType).toBe('application/json; charset=utf-8');
      expect(answer.text).toBe(expected(await progress().classRoster(principal(), classId, page)));
    },
  );

  it('should answer the same bytes as the progress DTOs when a course report mixes class and self-paced enrollments', async () => {
    const page = { page: 1, limit: 1000 };

    const answer = await rawGet(`/api/v1/courses/${courseId}/progress?limit=1000`);

    expect(answer.status).toBe(200);
    const reference = await progress().courseReport(principal(), courseId, page);
    expect(reference.items.some((row) => row.enrollment.kind === 'self_paced')).toBe(true);
    expect(answer.text).toBe(expected(reference));
  });

  it.each([
    ['requires nothing', () => optionalCourseId],
    ['has no activities', () => emptyCourseId],
  ])('should answer the same bytes as the progress DTOs when the course %s', async (_case, course) => {
    const answer = await rawGet(`/api/v1/courses/${course()}/progress`);

    expect(answer.status).toBe(200);
    const reference = await progress().courseReport(principal(), course(), { page: 1, limit: 50 });
    expect(reference.items.length).toBeGreaterThan(0);
    expect(answer.text).toBe(expected(reference));
  });

  it('should answer an empty page in the same shape when the page is past the last row', async () => {
    const answer = await rawGet(`/api/v1/classes/${classId}/enrollments?page=50&limit=10`);

    expect(answer.text).toBe(JSON.stringify({ items: [], total: LEARNERS, page: 50, limit: 10 }));
  });

  it('should answer problem+json when the class is not found', async () => {
    const answer = await rawGet('/api/v1/classes/00000000-0000-4000-8000-000000000000/enrollments?limit=1000');

    expect(answer.status).toBe(404);
    expect(answer.contentType).toMatch(/^application\/problem\+json/);
  });
});
