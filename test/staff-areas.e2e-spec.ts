import { ApiClient, createPerson } from './support/api-client';
import { FormSession } from './support/form-session';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

/**
 * Authoring and teaching are staff areas: a learner gets 403 (the error page, or problem+json),
 * not an empty page. Staff keep their way in: authors to authoring, instructors to teaching.
 */
describe('staff areas', () => {
  let testApp: TestApp;
  let root: ApiClient;
  let learner: ApiClient;
  let author: ApiClient;
  let instructor: ApiClient;
  let course: string;
  let klass: string;
  let activity: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const org = (await root.post('/api/v1/organizations', { name: 'Staff areas org' })).body.id;
    learner = (await createPerson(root, { email: 'learner@example.com', organizationId: org, role: 'learner' })).client;
    author = (await createPerson(root, { email: 'author@example.com', organizationId: org, role: 'course_author' }))
      .client;
    instructor = (await createPerson(root, { email: 'teacher@example.com', organizationId: org, role: 'instructor' }))
      .client;
    course = (await author.post('/api/v1/courses', { title: 'A course' })).body.id;
    klass = (await instructor.post('/api/v1/classes', { courseId: course, title: 'A class' })).body.id;
    const provider = await root.post('/api/v1/lti/providers', {
      name: 'Tool',
      organizationId: org,
      ltiVersion: '1.1',
      consumerKey: 'k',
      sharedSecret: 'a-secret',
    });
    const link = await root.post('/api/v1/lti/resource-links', {
      name: 'Link',
      organizationId: org,
      providerId: provider.body.id,
      url: 'https://tool.example/launch',
    });
    activity = (await author.post(`/api/v1/courses/${course}/activities`, { resourceLinkId: link.body.id })).body.id;
  });

  afterAll(() => testApp.close());

  const staffApi = () => [
    '/api/v1/courses',
    `/api/v1/courses/${course}`,
    `/api/v1/courses/${course}/progress`,
    '/api/v1/classes',
    `/api/v1/classes/${klass}`,
    `/api/v1/classes/${klass}/enrollments`,
    '/api/v1/self-paced-assignments',
    '/api/v1/score-ledger',
  ];

  const staffPages = () => [
    '/author/courses',
    '/author/courses/new',
    `/author/courses/${course}`,
    `/author/courses/${course}/progress`,
    `/author/courses/${course}/activities/${activity}/preview`,
    '/teach/classes',
    '/teach/classes/new',
    `/teach/classes/${klass}`,
    `/teach/classes/${klass}/activities/${activity}/launch`,
    '/teach/self-paced',
    '/teach/score-ledger',
  ];

  it('should answer 403 problem+json to a learner on the authoring and teaching APIs', async () => {
    for (const path of staffApi()) {
      const response = await learner.get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 403 });
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('should refuse a learner’s writes in the staff areas with 403 and write nothing', async () => {
    expect((await learner.post('/api/v1/courses', { title: 'Mine' })).status).toBe(403);
    expect((await learner.post('/api/v1/classes', { courseId: course, title: 'Mine' })).status).toBe(403);
    expect((await root.get('/api/v1/courses?search=Mine')).body.total).toBe(0);
    expect((await root.get('/api/v1/classes?search=Mine')).body.total).toBe(0);
  });

  it('should answer the 403 error page to a learner on the authoring and teaching pages', async () => {
    const browser = new FormSession(testApp.baseUrl);
    await browser.signIn('learner@example.com', 'a-long-test-password');
    for (const path of staffPages()) {
      const response = await browser.get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 403 });
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(await response.text()).toContain('class="error-summary"');
    }
    const home = await (await browser.get('/')).text();
    expect(home).not.toContain('href="/author/courses"');
    expect(home).not.toContain('href="/teach/classes"');
  });

  it('should keep authoring open to authors and teaching to instructors', async () => {
    expect((await author.get(`/api/v1/courses/${course}`)).status).toBe(200);
    expect((await instructor.get(`/api/v1/classes/${klass}/enrollments`)).status).toBe(200);
    expect((await instructor.get('/api/v1/score-ledger')).status).toBe(200);
    expect((await instructor.get(`/api/v1/courses/${course}/progress`)).status).toBe(200);
    const authorPages = new FormSession(testApp.baseUrl);
    await authorPages.signIn('author@example.com', 'a-long-test-password');
    expect((await authorPages.get(`/author/courses/${course}`)).status).toBe(200);
    expect((await authorPages.get('/teach/classes')).status).toBe(403);
    const teacherPages = new FormSession(testApp.baseUrl);
    await teacherPages.signIn('teacher@example.com', 'a-long-test-password');
    expect((await teacherPages.get(`/teach/classes/${klass}`)).status).toBe(200);
    expect((await teacherPages.get('/teach/score-ledger')).status).toBe(200);
  });
});
