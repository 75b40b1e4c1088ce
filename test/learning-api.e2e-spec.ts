import { ApiClient, createPerson } from './support/api-client';
import { FormSession } from './support/form-session';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

describe('courses, classes, self-paced assignments and progress (API)', () => {
  let testApp: TestApp;
  let root: ApiClient;
  let orgA: string;
  let orgB: string;
  let authorA: ApiClient;
  let authorB: ApiClient;
  let instructorA: ApiClient;
  let learner: { id: string; client: ApiClient };
  let availableLink: string;
  let linkOnlyForB: string;

  const count = async (table: string) =>
    Number((await testApp.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

  beforeAll(async () => {
    testApp = await startTestApp();
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    orgA = (await root.post('/api/v1/organizations', { name: 'A' })).body.id;
    orgB = (await root.post('/api/v1/organizations', { name: 'B' })).body.id;
    authorA = (await createPerson(root, { email: 'author-a@example.com', organizationId: orgA, role: 'course_author' }))
      .client;
    authorB = (await createPerson(root, { email: 'author-b@example.com', organizationId: orgB, role: 'course_author' }))
      .client;
    instructorA = (
      await createPerson(root, { email: 'teacher-a@example.com', organizationId: orgA, role: 'instructor' })
    ).client;
    learner = await createPerson(root, { email: 'learner-a@example.com', organizationId: orgA, role: 'learner' });
    await createPerson(root, { email: 'learner-a2@example.com', organizationId: orgA, role: 'learner' });

    const rootOrg = (await root.get('/api/v1/organizations')).body.items[0].id;
    const provider = await root.post('/api/v1/lti/providers', {
      name: 'Lab',
      organizationId: rootOrg,
      ltiVersion: '1.1',
      consumerKey: 'lab',
      sharedSecret: 'lab-secret',
    });
    const link = (name: string, availableOrganizationIds: string[]) =>
      root.post('/api/v1/lti/resource-links', {
        name,
        organizationId: rootOrg,
        providerId: provider.body.id,
        url: 'https://lab.example/launch',
        availableOrganizationIds,
      });
    availableLink = (await link('Lab for A', [orgA])).body.id;
    linkOnlyForB = (await link('Lab for B', [orgB])).body.id;
  });

  afterAll(() => testApp.close());

  it('should place only links available to the course’s organization, writing nothing otherwise', async () => {
    const course = await authorA.post('/api/v1/courses', { title: 'Secure coding', code: 'SC-1' });
    expect(course.status).toBe(201);
    const offered = (await authorA.get(`/api/v1/courses/${course.body.id}/placeable-links`)).body.map(
      (l: { id: string }) => l.id,
    );
    expect(offered).toEqual([availableLink]);

    const before = await count('course_activities');
    const refused = await authorA.post(`/api/v1/courses/${course.body.id}/activities`, {
      resourceLinkId: linkOnlyForB,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].field).toBe('resourceLinkId');
    expect(await count('course_activities')).toBe(before);

    const placed = await authorA.post(`/api/v1/courses/${course.body.id}/activities`, {
      resourceLinkId: availableLink,
    });
    expect(placed.status).toBe(201);
    const again = await authorA.post(`/api/v1/courses/${course.body.id}/activities`, {
      resourceLinkId: availableLink,
      required: false,
      title: 'Optional practice',
    });
    // Each placement has its own LTI resource_link_id.
    expect(again.body.ltiResourceLinkId).not.toBe(placed.body.ltiResourceLinkId);
    const reordered = await authorA.request('PUT', `/api/v1/courses/${course.body.id}/activities/order`, {
      activityIds: [again.body.id, placed.body.id],
    });
    expect(reordered.status).toBe(204);
    const activities = (await authorA.get(`/api/v1/courses/${course.body.id}/activities`)).body;
    expect(activities.map((a: { title: string }) => a.title)).toEqual(['Optional practice', 'Lab for A']);
  });

  it('should answer 404 to an author of B for A’s courses', async () => {
    const course = (await authorA.post('/api/v1/courses', { title: 'A only' })).body;
    expect((await authorB.get(`/api/v1/courses/${course.id}`)).status).toBe(404);
    expect((await authorB.patch(`/api/v1/courses/${course.id}`, { title: 'Taken' })).status).toBe(404);
    expect(
      (await authorB.post(`/api/v1/courses/${course.id}/activities`, { resourceLinkId: linkOnlyForB })).status,
    ).toBe(404);
    expect((await authorB.get('/api/v1/courses')).body.items).toEqual([]);
    expect((await authorA.get(`/api/v1/courses/${course.id}`)).body.title).toBe('A only');
  });

  it('should start a retake with fresh progress while the earlier completion stays in history and the CSV', async () => {
    const course = (await authorA.post('/api/v1/courses', { title: 'Compliance', code: 'CMP' })).body;
    const activity = (await authorA.post(`/api/v1/courses/${course.id}/activities`, { resourceLinkId: availableLink }))
      .body;

    const courseClass = await instructorA.post('/api/v1/classes', { courseId: course.id, title: 'Compliance — March' });
    expect(courseClass.status).toBe(201);
    const bulk = await instructorA.post(`/api/v1/classes/${courseClass.body.id}/enrollments/bulk`, {
      emails: ['learner-a@example.com, learner-a2@example.com', 'nobody@example.com', 'author-b@example.com'],
    });
    expect(bulk.body).toEqual({
      enrolled: ['learner-a@example.com', 'learner-a2@example.com'],
      alreadyEnrolled: [],
      notFound: ['nobody@example.com', 'author-b@example.com'],
    });

    const assigned = await instructorA.post('/api/v1/self-paced-assignments', {
      courseId: course.id,
      userId: learner.id,
    });
    expect(assigned.status).toBe(201);
    // Not completed yet: a second assignment is a conflict.
    const early = await instructorA.post('/api/v1/self-paced-assignments', { courseId: course.id, userId: learner.id });
    expect(early.status).toBe(409);

    // The tool's score completed the activity (launches and outcomes come with the LTI issues).
    await testApp.dataSource.query(
      `INSERT INTO activity_progress (enrollment_id, activity_id, status, score_percent, first_launched_at, completed_at)
       VALUES ($1, $2, 'completed', 92, now(), now())`,
      [assigned.body.id, activity.id],
    );
    const first = await learner.client.get(`/api/v1/enrollments/${assigned.body.id}/progress`);
    expect(first.body).toMatchObject({ courseComplete: true, activities: [{ status: 'completed', scorePercent: 92 }] });

    const retake = await instructorA.post('/api/v1/self-paced-assignments', {
      courseId: course.id,
      userId: learner.id,
    });
    expect(retake.status).toBe(201);
    expect(retake.body.id).not.toBe(assigned.body.id);
    const fresh = await learner.client.get(`/api/v1/enrollments/${retake.body.id}/progress`);
    expect(fresh.body).toMatchObject({
      courseComplete: false,
      activities: [{ status: 'not_started', scorePercent: null }],
    });

    const mine = (await learner.client.get('/api/v1/me/learning')).body;
    const selfPaced = mine.filter(
      (p: { course: { id: string }; class: unknown }) => p.course.id === course.id && !p.class,
    );
    expect(
      selfPaced.map((p: { enrollment: { status: string }; courseComplete: boolean }) => [
        p.enrollment.status,
        p.courseComplete,
      ]),
    ).toEqual([
      ['active', false],
      ['closed', true],
    ]);
    expect(mine.some((p: { class: { title: string } | null }) => p.class?.title === 'Compliance — March')).toBe(true);

    const csv = await authorA.request('GET', `/api/v1/courses/${course.id}/progress.csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows = csv.text.trim().split('\r\n');
    expect(rows[0]).toBe(
      'learner,email,role,offering,enrolled_at,enrollment_status,course_complete,Lab for A status,Lab for A score',
    );
    const learnerRows = rows.filter((r) => r.includes('learner-a@example.com') && r.includes('self-paced'));
    expect(learnerRows).toHaveLength(2);
    expect(learnerRows.some((r) => r.endsWith(',closed,yes,completed,92'))).toBe(true);
    expect(learnerRows.some((r) => r.endsWith(',active,no,not_started,'))).toBe(true);

    // Another learner cannot read this learner's progress; B's author cannot export A's course.
    expect((await authorB.get(`/api/v1/enrollments/${assigned.body.id}/progress`)).status).toBe(404);
    expect((await authorB.request('GET', `/api/v1/courses/${course.id}/progress.csv`)).status).toBe(404);
  });

  it('should keep a removed learner on the class roster as history', async () => {
    const course = (await authorA.post('/api/v1/courses', { title: 'Roster course' })).body;
    const courseClass = (await instructorA.post('/api/v1/classes', { courseId: course.id, title: 'Roster class' }))
      .body;
    const enrollment = await instructorA.post(`/api/v1/classes/${courseClass.id}/enrollments`, { userId: learner.id });
    expect(enrollment.status).toBe(201);
    expect(
      (await instructorA.post(`/api/v1/classes/${courseClass.id}/enrollments`, { userId: learner.id })).status,
    ).toBe(409);
    const removed = await instructorA.delete(`/api/v1/classes/${courseClass.id}/enrollments/${enrollment.body.id}`);
    expect(removed.status).toBe(204);
    const roster = (await instructorA.get(`/api/v1/classes/${courseClass.id}/enrollments`)).body.items;
    expect(roster.map((r: { enrollment: { status: string } }) => r.enrollment.status)).toEqual(['removed']);
    const csv = await instructorA.request('GET', `/api/v1/classes/${courseClass.id}/enrollments.csv`);
    expect(csv.text).toContain('learner-a@example.com,learner,Roster class');
  });

  it('should answer a launch of a withdrawn activity with a clear “no longer available” page, keeping the activity', async () => {
    const course = (await authorA.post('/api/v1/courses', { title: 'Launch course' })).body;
    const activity = (await authorA.post(`/api/v1/courses/${course.id}/activities`, { resourceLinkId: availableLink }))
      .body;
    const enrollment = (
      await instructorA.post('/api/v1/self-paced-assignments', { courseId: course.id, userId: learner.id })
    ).body;
    const browser = new FormSession(testApp.baseUrl);
    await browser.signIn('learner-a@example.com', 'a-long-test-password');
    const launchPath = `/learn/enrollments/${enrollment.id}/activities/${activity.id}/launch`;
    const launchable = await browser.get(launchPath);
    expect(launchable.status).toBe(200);
    expect(await launchable.text()).toContain('action="https://lab.example/launch"');

    expect(
      (await root.patch(`/api/v1/lti/resource-links/${availableLink}`, { availableOrganizationIds: [orgB] })).status,
    ).toBe(200);
    const withdrawn = await browser.get(launchPath);
    expect(withdrawn.status).toBe(410);
    expect(await withdrawn.text()).toContain('no longer available in your organization');
    expect((await authorA.get(`/api/v1/courses/${course.id}/activities`)).body).toMatchObject([
      { id: activity.id, available: false },
    ]);

    // Someone else's enrollment does not exist for this learner.
    const other = new FormSession(testApp.baseUrl);
    await other.signIn('learner-a2@example.com', 'a-long-test-password');
    expect((await other.get(launchPath)).status).toBe(404);
    expect(
      (await root.patch(`/api/v1/lti/resource-links/${availableLink}`, { availableOrganizationIds: [orgA] })).status,
    ).toBe(200);
  });
});
