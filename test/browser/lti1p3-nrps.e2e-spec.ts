import { randomUUID } from 'node:crypto';
import { Browser } from 'playwright-core';
import { ApiClient, createPerson } from '../support/api-client';
import { launchBrowser, newPage, signInThroughForm } from '../support/browser';
import { Lti1p3Tool, registerToolAsProvider, startLti1p3Tool } from '../support/lti1p3-tool';
import {
  AGS_SCOPES,
  LIS_MEMBERSHIP_ROLES,
  linkOf,
  NRPS_MEMBERSHIP_SCOPE,
  RegisteredServiceTool,
  registerServiceTool,
  requestServiceToken,
} from '../support/lti-services-client';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app';
import { BuiltApp, startBuiltApp } from '../support/built-app';

const NRPS = 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice';
const MEMBERSHIP_SCOPE = NRPS_MEMBERSHIP_SCOPE;
const SCORE_SCOPE = AGS_SCOPES.score;
const { learner: LEARNER_ROLE, instructor: INSTRUCTOR_ROLE } = LIS_MEMBERSHIP_ROLES;
const PASSWORD = 'a-long-test-password';

describe('Names and Role Provisioning for a real LTI 1.3 tool (ltijs)', () => {
  let testApp: BuiltApp;
  let tool: Lti1p3Tool;
  let browser: Browser;
  let root: ApiClient;
  let classId: string;
  let activityId: string;
  let learnerIds: string[];
  let instructorId: string;
  let removedId: string;
  let suspendedId: string;
  let direct: RegisteredServiceTool;
  let firstEnrollmentId: string;

  const tokenFor = (scope: string) => requestServiceToken(testApp.baseUrl, direct, scope);

  const memberships = (contextId: string, token: string | null, query = '') =>
    fetch(`${testApp.baseUrl}/lti/1p3/nrps/contexts/${encodeURIComponent(contextId)}/memberships${query}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });

  beforeAll(async () => {
    testApp = await startBuiltApp();
    tool = await startLti1p3Tool();
    browser = await launchBrowser();
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const org = (await root.post('/api/v1/organizations', { name: 'Rosters' })).body.id;
    const { id: providerId } = await registerToolAsProvider(root, tool, testApp.baseUrl, org, {
      name: 'Roster tool',
      redirectUris: [tool.launchUrl],
      services: ['roster'],
      privacy: 'name_only',
    });
    const link = await root.post('/api/v1/lti/resource-links', {
      name: 'Roster lab',
      organizationId: org,
      providerId,
      url: tool.launchUrl,
      availableOrganizationIds: [org],
    });
    const author = (
      await createPerson(root, { email: 'nrps-author@example.com', organizationId: org, role: 'course_author' })
    ).client;
    const course = (await author.post('/api/v1/courses', { title: 'Roster course', organizationId: org })).body;
    activityId = (await author.post(`/api/v1/courses/${course.id}/activities`, { resourceLinkId: link.body.id })).body
      .id;
    const teacher = await createPerson(root, {
      email: 'nrps-teacher@example.com',
      organizationId: org,
      role: 'instructor',
    });
    instructorId = teacher.id;
    classId = (
      await teacher.client.post('/api/v1/classes', { courseId: course.id, title: 'Roster class', organizationId: org })
    ).body.id;
    learnerIds = [];
    const enrollmentOf = new Map<string, string>();
    for (const n of [1, 2, 3, 4, 5]) {
      const learner = await createPerson(root, {
        email: `nrps-learner-${n}@example.com`,
        name: `Learner ${n}`,
        organizationId: org,
        role: 'learner',
      });
      learnerIds.push(learner.id);
      const enrolled = await teacher.client.post(`/api/v1/classes/${classId}/enrollments`, { userId: learner.id });
      expect(enrolled.status).toBe(201);
      enrollmentOf.set(learner.id, enrolled.body.id);
    }
    await teacher.client.post(`/api/v1/classes/${classId}/enrollments`, { userId: instructorId, role: 'instructor' });
    [removedId, suspendedId] = [learnerIds[3], learnerIds[4]];
    const removal = await teacher.client.delete(
      `/api/v1/classes/${classId}/enrollments/${enrollmentOf.get(removedId)}`,
    );
    expect(removal.status).toBe(204);
    expect((await root.patch(`/api/v1/users/${suspendedId}`, { status: 'suspended' })).status).toBe(200);

    // A second registration of the same tool with a key the test holds, to call the service directly.
    direct = await registerServiceTool(root, {
      name: 'Roster tool (direct)',
      organizationId: org,
      loginUrl: tool.loginUrl,
      redirectUris: [tool.launchUrl],
      targetLinkUri: tool.launchUrl,
      services: ['roster', 'grades'],
    });
    // The service answers for contexts where the tool has a link placed: place one of this registration too.
    const directLink = await root.post('/api/v1/lti/resource-links', {
      name: 'Roster lab (direct)',
      organizationId: org,
      providerId: direct.id,
      url: tool.launchUrl,
      availableOrganizationIds: [org],
    });
    expect(
      (await author.post(`/api/v1/courses/${course.id}/activities`, { resourceLinkId: directLink.body.id })).status,
    ).toBe(201);
    firstEnrollmentId = enrollmentOf.get(learnerIds[0])!;
  });

  afterAll(async () => {
    await browser?.close();
    await tool?.close();
    await testApp?.close();
  });

  it('should announce the roster in the launch and page it to the tool through ltijs', async () => {
    const { context, page } = await newPage(browser, testApp.baseUrl);
    await signInThroughForm(page, 'nrps-learner-1@example.com', PASSWORD);
    await page.goto(`/learn/enrollments/${firstEnrollmentId}/activities/${activityId}/launch`);
    await page.frameLocator('iframe.lti-frame').getByRole('heading', { name: 'LTI 1.3 tool launched' }).waitFor();
    const launch = await tool.waitForLaunch(1);
    expect(launch.claims?.[NRPS]).toEqual({
      context_memberships_url: `${testApp.baseUrl}/lti/1p3/nrps/contexts/${classId}/memberships`,
      service_versions: ['2.0'],
    });
    const result = (await tool.lti.NamesAndRoles.getMembers(launch.idToken, { limit: 2, pages: 10 })) as {
      members: { user_id: string; status: string; roles: string[]; name?: string; email?: string }[];
    };
    const byId = new Map(result.members.map((m) => [m.user_id, m]));
    expect(result.members).toHaveLength(6);
    expect(byId.get(learnerIds[0])).toEqual({
      status: 'Active',
      user_id: learnerIds[0],
      roles: [LEARNER_ROLE],
      name: 'Learner 1',
    });
    expect(byId.get(instructorId)?.roles).toEqual([INSTRUCTOR_ROLE]);
    expect(byId.get(removedId)?.status).toBe('Deleted');
    expect(byId.get(suspendedId)?.status).toBe('Inactive');
    expect(result.members.every((m) => m.email === undefined)).toBe(true);
    expect(byId.get(launch.claims?.sub as string)).toBeDefined();
    await context.close();
  });

  it('should page with Link rel="next", filter by role, and refuse a limit over 1000', async () => {
    const token = await tokenFor(MEMBERSHIP_SCOPE);
    const first = await memberships(classId, token, '?limit=4');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('application/vnd.ims.lti-nrps.v2.membershipcontainer+json');
    const body = (await first.json()) as { context: { id: string }; members: unknown[] };
    expect(body.context.id).toBe(classId);
    expect(body.members).toHaveLength(4);
    const next = linkOf(first, 'next');
    expect(next).toContain('page=2');
    const second = (await (await fetch(next!, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      members: unknown[];
    };
    expect(second.members).toHaveLength(2);
    const instructors = (await (
      await memberships(classId, token, `?role=${encodeURIComponent(INSTRUCTOR_ROLE)}`)
    ).json()) as {
      members: { user_id: string }[];
    };
    expect(instructors.members.map((m) => m.user_id)).toEqual([instructorId]);
    expect((await memberships(classId, token, '?limit=1001')).status).toBe(400);
  });

  it('should answer 401 without a valid token, 403 without the roster scope, and 404 outside the tool’s contexts', async () => {
    const none = await memberships(classId, null);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('invalid_token');
    expect((await memberships(classId, 'not-a-token-at-all-0123456789')).status).toBe(401);
    const scoreOnly = await memberships(classId, await tokenFor(SCORE_SCOPE));
    expect(scoreOnly.status).toBe(403);
    expect(scoreOnly.headers.get('www-authenticate')).toContain('insufficient_scope');
    const token = await tokenFor(MEMBERSHIP_SCOPE);
    expect((await memberships(randomUUID(), token)).status).toBe(404);
    expect((await memberships(`${randomUUID()}:self-paced`, token)).status).toBe(404);
    expect((await memberships('anything', token)).status).toBe(404);
  });
});
