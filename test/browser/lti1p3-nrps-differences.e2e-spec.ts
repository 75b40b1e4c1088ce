import { Browser } from 'playwright-core';
import { ApiClient, createPerson } from '../support/api-client';
import { launchBrowser, newPage, signInThroughForm } from '../support/browser';
import { Lti1p3Tool, Lti1p3ToolLaunch, registerToolAsProvider, startLti1p3Tool } from '../support/lti1p3-tool';
import {
  LIS_MEMBERSHIP_ROLES,
  linkOf,
  NRPS_MEMBERSHIP_SCOPE,
  NrpsMember,
  RegisteredServiceTool,
  registerServiceTool,
  requestServiceToken,
  statusesOf,
} from '../support/lti-services-client';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app';
import { BuiltApp, startBuiltApp } from '../support/built-app';

const { learner: LEARNER_ROLE, instructor: INSTRUCTOR_ROLE } = LIS_MEMBERSHIP_ROLES;
const PASSWORD = 'a-long-test-password';

interface MembersResult {
  members: NrpsMember[];
  differences?: string;
}

describe('NRPS differences for a real LTI 1.3 tool (ltijs)', () => {
  let testApp: BuiltApp;
  let tool: Lti1p3Tool;
  let browser: Browser;
  let root: ApiClient;
  let teacher: ApiClient;
  let org: string;
  let classId: string;
  let activityId: string;
  let learners: { id: string; enrollmentId: string }[];
  let instructorId: string;
  let direct: RegisteredServiceTool;
  let launch: Lti1p3ToolLaunch;

  const enrol = async (n: number) => {
    const person = await createPerson(root, {
      email: `diff-learner-${n}@example.com`,
      name: `Learner ${n}`,
      organizationId: org,
      role: 'learner',
    });
    const enrolled = await teacher.post(`/api/v1/classes/${classId}/enrollments`, { userId: person.id });
    expect(enrolled.status).toBe(201);
    return { id: person.id, enrollmentId: enrolled.body.id as string };
  };
  const getMembers = async (options: Record<string, unknown>) =>
    (await tool.lti.NamesAndRoles.getMembers(launch.idToken, options)) as MembersResult;
  const memberships = (token: string, query: string) =>
    fetch(`${testApp.baseUrl}/lti/1p3/nrps/contexts/${classId}/memberships${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });

  beforeAll(async () => {
    testApp = await startBuiltApp();
    tool = await startLti1p3Tool();
    browser = await launchBrowser();
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    org = (await root.post('/api/v1/organizations', { name: 'Changing rosters' })).body.id;
    const { id: providerId } = await registerToolAsProvider(root, tool, testApp.baseUrl, org, {
      name: 'Roster sync tool',
      redirectUris: [tool.launchUrl],
      services: ['roster'],
      privacy: 'name_only',
    });
    const link = await root.post('/api/v1/lti/resource-links', {
      name: 'Roster sync',
      organizationId: org,
      providerId,
      url: tool.launchUrl,
      availableOrganizationIds: [org],
    });
    const course = (await root.post('/api/v1/courses', { title: 'Sync course', organizationId: org })).body;
    activityId = (await root.post(`/api/v1/courses/${course.id}/activities`, { resourceLinkId: link.body.id })).body.id;
    const instructor = await createPerson(root, {
      email: 'diff-teacher@example.com',
      organizationId: org,
      role: 'instructor',
    });
    teacher = instructor.client;
    instructorId = instructor.id;
    classId = (await teacher.post('/api/v1/classes', { courseId: course.id, title: 'Sync class', organizationId: org }))
      .body.id;
    learners = [await enrol(1), await enrol(2), await enrol(3)];
    await teacher.post(`/api/v1/classes/${classId}/enrollments`, { userId: instructorId, role: 'instructor' });

    // A second registration with a key the test holds, placed in the course, to call the service directly.
    direct = await registerServiceTool(root, {
      name: 'Roster sync tool (direct)',
      organizationId: org,
      loginUrl: tool.loginUrl,
      redirectUris: [tool.launchUrl],
      targetLinkUri: tool.launchUrl,
      services: ['roster'],
      privacy: 'name_only',
    });
    const directLink = await root.post('/api/v1/lti/resource-links', {
      name: 'Roster sync (direct)',
      organizationId: org,
      providerId: direct.id,
      url: tool.launchUrl,
      availableOrganizationIds: [org],
    });
    await root.post(`/api/v1/courses/${course.id}/activities`, { resourceLinkId: directLink.body.id });

    const { context, page } = await newPage(browser, testApp.baseUrl);
    await signInThroughForm(page, 'diff-learner-1@example.com', PASSWORD);
    await page.goto(`/learn/enrollments/${learners[0].enrollmentId}/activities/${activityId}/launch`);
    await page.frameLocator('iframe.lti-frame').getByRole('heading', { name: 'LTI 1.3 tool launched' }).waitFor();
    launch = await tool.waitForLaunch(1);
    await context.close();
  });

  afterAll(async () => {
    await browser?.close();
    await tool?.close();
    await testApp?.close();
  });

  it('should answer exactly the changes with their statuses when the tool follows differences, then nothing when nothing changed', async () => {
    const roster = await getMembers({ pages: false, limit: 2 });
    expect(roster.members).toHaveLength(4);
    expect(roster.differences).toContain('since=');

    const [added1, added2] = [await enrol(4), await enrol(5)];
    const [removed, suspended] = [learners[1], learners[2]];
    expect((await teacher.delete(`/api/v1/classes/${classId}/enrollments/${removed.enrollmentId}`)).status).toBe(204);
    expect((await root.patch(`/api/v1/users/${suspended.id}`, { status: 'suspended' })).status).toBe(200);

    const changes = await getMembers({ url: roster.differences, pages: false });
    expect(statusesOf(changes.members)).toEqual({
      [added1.id]: 'Active',
      [added2.id]: 'Active',
      [removed.id]: 'Deleted',
      [suspended.id]: 'Inactive',
    });
    expect(changes.members.find((m) => m.user_id === added1.id)).toEqual({
      status: 'Active',
      user_id: added1.id,
      roles: [LEARNER_ROLE],
      name: 'Learner 4',
    });
    expect(changes.differences).toContain('since=');
    expect(changes.differences).not.toBe(roster.differences);

    const nothing = await getMembers({ url: changes.differences, pages: false });
    expect(nothing.members).toEqual([]);
  });

  it('should report a reactivation, a name change the privacy shows, and not an email change it hides when differences are followed', async () => {
    const token = await requestServiceToken(testApp.baseUrl, direct, NRPS_MEMBERSHIP_SCOPE);
    const first = await memberships(token, '');
    const since = linkOf(first, 'differences')!;
    const [learner1, , learner3] = learners;
    expect((await root.patch(`/api/v1/users/${learner3.id}`, { status: 'active' })).status).toBe(200);
    expect((await root.patch(`/api/v1/users/${learner1.id}`, { email: 'diff-learner-1b@example.com' })).status).toBe(
      200,
    );
    const emailOnly = await fetch(since, { headers: { authorization: `Bearer ${token}` } });
    expect(emailOnly.headers.get('lti-nrps-differences')).toBe('changes-only');
    expect(statusesOf(((await emailOnly.json()) as MembersResult).members)).toEqual({ [learner3.id]: 'Active' });

    const next = linkOf(emailOnly, 'differences')!;
    expect((await root.patch(`/api/v1/users/${learner1.id}`, { name: 'Learner One' })).status).toBe(200);
    const renamed = (await (
      await fetch(next, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as MembersResult;
    expect(renamed.members).toEqual([
      { status: 'Active', user_id: learner1.id, roles: [LEARNER_ROLE], name: 'Learner One' },
    ]);
  });

  it('should keep the role filter and paging on differences, and mark who left the role Deleted', async () => {
    const token = await requestServiceToken(testApp.baseUrl, direct, NRPS_MEMBERSHIP_SCOPE);
    const instructors = await memberships(token, `?role=${encodeURIComponent(INSTRUCTOR_ROLE)}&limit=1`);
    const since = linkOf(instructors, 'differences')!;
    expect(new URL(since).searchParams.get('role')).toBe(INSTRUCTOR_ROLE);
    expect(new URL(since).searchParams.get('limit')).toBe('1');
    const [a, b] = [await enrol(6), await enrol(7)];
    const page1 = await fetch(since, { headers: { authorization: `Bearer ${token}` } });
    const body1 = (await page1.json()) as MembersResult;
    // Two learners joined: seen through an instructor filter, neither is (or is still) an instructor.
    expect(body1.members).toHaveLength(1);
    const next = linkOf(page1, 'next')!;
    expect(next).toContain('since=');
    expect(next).toContain('anchor=');
    const page2 = (await (
      await fetch(next, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as MembersResult;
    expect(statusesOf([...body1.members, ...page2.members])).toEqual({ [a.id]: 'Deleted', [b.id]: 'Deleted' });
    // Both pages name the same differences link: the changes since the first page was read.
    expect(linkOf(page1, 'differences')).toBeDefined();
  });

  it('should refuse a forged or another context’s differences link with 400 and answer nothing', async () => {
    const token = await requestServiceToken(testApp.baseUrl, direct, NRPS_MEMBERSHIP_SCOPE);
    const since = new URL(linkOf(await memberships(token, ''), 'differences')!).searchParams.get('since')!;
    const forged = `${since.slice(0, -2)}${since.endsWith('AA') ? 'BB' : 'AA'}`;
    const refused = await memberships(token, `?since=${encodeURIComponent(forged)}`);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(await refused.text()).toMatch(/since is not a link this platform gave for this context/i);
    expect((await memberships(token, '?since=not-a-link')).status).toBe(400);
    expect((await memberships(token, `?anchor=${encodeURIComponent(forged)}`)).status).toBe(400);
  });
});
