import { ApiClient, createPerson } from './support/api-client';
import {
  LIS_MEMBERSHIP_ROLES,
  linkOf,
  NRPS_MEMBERSHIP_SCOPE,
  NrpsMember,
  RegisteredServiceTool,
  registerServiceTool,
  requestServiceToken,
  statusesOf,
} from './support/lti-services-client';
import { recordRequestQueries, RequestQueries } from './support/request-queries';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

const { learner: LEARNER, instructor: INSTRUCTOR } = LIS_MEMBERSHIP_ROLES;

/**
 * NRPS 2.0 rosters as the database holds them: each person once, by the enrollment that stands for
 * them (a live one over a removed one over a closed one), with the person's own status, in a class
 * and in a course's self-paced offering.
 */
describe('NRPS members of a context', () => {
  let testApp: TestApp;
  let root: ApiClient;
  let teacher: ApiClient;
  let org: string;
  let courseId: string;
  let classId: string;
  let activityId: string;
  let tool: RegisteredServiceTool;
  let token: string;
  const requests: RequestQueries[] = [];

  const person = async (n: string) =>
    createPerson(root, { email: `nrps-${n}@example.com`, name: `Person ${n}`, organizationId: org, role: 'learner' });
  const enrol = async (userId: string, role = 'learner', inClass = classId) => {
    const enrolled = await teacher.post(`/api/v1/classes/${inClass}/enrollments`, { userId, role });
    expect(enrolled.status).toBe(201);
    return enrolled.body.id as string;
  };
  const assign = async (userId: string) => {
    const assigned = await teacher.post('/api/v1/self-paced-assignments', { courseId, userId });
    expect(assigned.status).toBe(201);
    return assigned.body.id as string;
  };
  /** The members a context's roster (or a differences link, when given a URL) answers, and its differences link. */
  const read = async (contextIdOrUrl: string) => {
    const url = contextIdOrUrl.startsWith('http')
      ? contextIdOrUrl
      : `${testApp.baseUrl}/lti/1p3/nrps/contexts/${contextIdOrUrl}/memberships`;
    const answer = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(answer.status).toBe(200);
    const differences = linkOf(answer, 'differences')!;
    return { members: ((await answer.json()) as { members: NrpsMember[] }).members, differences };
  };
  const members = async (contextId: string) => (await read(contextId)).members;
  /** Every page of a context's roster from the first, following `next` links: the user ids of each. */
  const pages = async (contextId: string, query: string, bearer = token) => {
    const seen: string[][] = [];
    let url: string | undefined = `${testApp.baseUrl}/lti/1p3/nrps/contexts/${contextId}/memberships?${query}`;
    while (url) {
      const answer = await fetch(url, { headers: { authorization: `Bearer ${bearer}` } });
      expect(answer.status).toBe(200);
      seen.push(((await answer.json()) as { members: NrpsMember[] }).members.map((m) => m.user_id));
      url = linkOf(answer, 'next');
    }
    return seen;
  };

  beforeAll(async () => {
    testApp = await startTestApp();
    recordRequestQueries(testApp.app.getHttpServer(), requests);
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    org = (await root.post('/api/v1/organizations', { name: 'Roster school' })).body.id;
    tool = await registerServiceTool(root, {
      name: 'Roster reader',
      organizationId: org,
      services: ['roster'],
      privacy: 'public',
    });
    const link = await root.post('/api/v1/lti/resource-links', {
      name: 'Roster reader',
      organizationId: org,
      providerId: tool.id,
      url: 'http://127.0.0.1:9/launch',
    });
    courseId = (await root.post('/api/v1/courses', { title: 'Roster course', organizationId: org })).body.id;
    activityId = (await root.post(`/api/v1/courses/${courseId}/activities`, { resourceLinkId: link.body.id })).body.id;
    teacher = (await createPerson(root, { email: 'nrps-teacher@example.com', organizationId: org, role: 'instructor' }))
      .client;
    classId = (await teacher.post('/api/v1/classes', { courseId, title: 'Roster class', organizationId: org })).body.id;
    token = await requestServiceToken(testApp.baseUrl, tool, NRPS_MEMBERSHIP_SCOPE);
  });

  afterAll(async () => {
    await testApp?.close();
  });

  it('should answer each person once, by their live enrollment over a removed one, with their own status, in a class', async () => {
    const [back, left, suspended, teaching] = [
      await person('back'),
      await person('left'),
      await person('suspended'),
      await person('teaching'),
    ];
    const { differences } = await read(classId);
    const first = await enrol(back.id);
    expect((await teacher.delete(`/api/v1/classes/${classId}/enrollments/${first}`)).status).toBe(204);
    await enrol(back.id);
    const gone = await enrol(left.id);
    expect((await teacher.delete(`/api/v1/classes/${classId}/enrollments/${gone}`)).status).toBe(204);
    await enrol(suspended.id);
    expect((await root.patch(`/api/v1/users/${suspended.id}`, { status: 'suspended' })).status).toBe(200);
    await enrol(teaching.id, 'instructor');

    expect(await members(classId)).toEqual([
      expect.objectContaining({ user_id: back.id, status: 'Active', roles: [LEARNER], name: 'Person back' }),
      expect.objectContaining({ user_id: left.id, status: 'Deleted', roles: [LEARNER] }),
      expect.objectContaining({ user_id: suspended.id, status: 'Inactive', email: 'nrps-suspended@example.com' }),
      expect.objectContaining({ user_id: teaching.id, status: 'Active', roles: [INSTRUCTOR] }),
    ]);
    // The differences since before any of it: the same people, as they are now.
    const changed = (await read(differences)).members;
    expect(statusesOf(changed)).toEqual({
      [back.id]: 'Active',
      [left.id]: 'Deleted',
      [suspended.id]: 'Inactive',
      [teaching.id]: 'Active',
    });
  });

  it('should answer a retaken self-paced course once, Active, and a withdrawn assignment Deleted', async () => {
    const [retaking, withdrawn] = [await person('retaking'), await person('withdrawn')];
    const first = await assign(retaking.id);
    await testApp.dataSource.query(
      `INSERT INTO activity_progress (enrollment_id, activity_id, status, score_percent, first_launched_at, completed_at)
       VALUES ($1, $2, 'completed', 100, now(), now())`,
      [first, activityId],
    );
    const retake = await assign(retaking.id);
    const [closed] = await testApp.dataSource.query(`SELECT status FROM enrollments WHERE id = $1`, [first]);
    expect([closed.status, retake]).toEqual(['closed', expect.any(String)]);
    const dropped = await assign(withdrawn.id);
    expect((await teacher.delete(`/api/v1/self-paced-assignments/${dropped}`)).status).toBe(204);

    expect(await members(`${courseId}:self-paced`)).toEqual([
      expect.objectContaining({ user_id: retaking.id, status: 'Active', roles: [LEARNER] }),
      expect.objectContaining({ user_id: withdrawn.id, status: 'Deleted' }),
    ]);
  });

  it('should page and filter by role in roster order, each person by the enrollment that stands for them', async () => {
    const ownClass = (await teacher.post('/api/v1/classes', { courseId, title: 'Paged class', organizationId: org }))
      .body.id as string;
    const [ann, ben, cat, dan] = [
      await person('paged-a'),
      await person('paged-b'),
      await person('paged-c'),
      await person('paged-d'),
    ];
    await enrol(dan.id, 'learner', ownClass);
    await enrol(cat.id, 'learner', ownClass);
    // Ben was a learner here once; he teaches here now.
    const former = await enrol(ben.id, 'learner', ownClass);
    expect((await teacher.delete(`/api/v1/classes/${ownClass}/enrollments/${former}`)).status).toBe(204);
    await enrol(ben.id, 'instructor', ownClass);
    await enrol(ann.id, 'learner', ownClass);

    expect(await pages(ownClass, 'limit=2')).toEqual([
      [ann.id, ben.id],
      [cat.id, dan.id],
    ]);
    expect(await pages(ownClass, 'limit=2&role=Learner')).toEqual([[ann.id, cat.id], [dan.id]]);
    expect(await pages(ownClass, `role=${encodeURIComponent(INSTRUCTOR)}`)).toEqual([[ben.id]]);
    expect(await pages(ownClass, 'role=Mentor')).toEqual([[]]);
  });

  it('should page only the people a tool that knows people by SIS id can be told of', async () => {
    const sisTool = await registerServiceTool(root, {
      name: 'SIS roster reader',
      organizationId: org,
      services: ['roster'],
      privacy: 'public',
      userIdSource: 'sis_id',
    });
    const link = await root.post('/api/v1/lti/resource-links', {
      name: 'SIS roster reader',
      organizationId: org,
      providerId: sisTool.id,
      url: 'http://127.0.0.1:9/launch',
    });
    expect((await root.post(`/api/v1/courses/${courseId}/activities`, { resourceLinkId: link.body.id })).status).toBe(
      201,
    );
    const sisClass = (await teacher.post('/api/v1/classes', { courseId, title: 'SIS class', organizationId: org })).body
      .id as string;
    const people = [];
    for (const n of ['sis-a', 'sis-b', 'sis-c', 'sis-d', 'sis-e']) {
      const someone = await person(n);
      people.push(someone);
      await enrol(someone.id, 'learner', sisClass);
    }
    // b has no SIS id and d an empty one: neither can be named to this tool.
    for (const [someone, sisId] of [
      [people[0], 'SIS-A'],
      [people[2], 'SIS-C'],
      [people[3], ''],
      [people[4], 'SIS-E'],
    ] as const) {
      await testApp.dataSource.query(`UPDATE users SET sis_id = $2 WHERE id = $1`, [someone.id, sisId]);
    }
    const sisToken = await requestServiceToken(testApp.baseUrl, sisTool, NRPS_MEMBERSHIP_SCOPE);

    expect(await pages(sisClass, 'limit=1', sisToken)).toEqual([['SIS-A'], ['SIS-C'], ['SIS-E']]);
  });

  it('should read the whole roster with its people in one statement, whatever its size', async () => {
    const counted = async () => {
      requests.length = 0;
      await members(classId);
      return requests.find((r) => r.path.includes('/memberships'))!.statements.filter((s) => /\busers\b/.test(s));
    };
    const before = await counted();
    for (const n of ['a', 'b', 'c']) await enrol((await person(`more-${n}`)).id);
    const after = await counted();

    expect(before).toHaveLength(1);
    expect(after).toEqual(before);
  });
});
