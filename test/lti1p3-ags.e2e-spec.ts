import { randomUUID } from 'node:crypto';
import { ApiClient, createPerson } from './support/api-client';
import {
  AGS_SCOPES,
  LineItemJson,
  linkOf,
  RegisteredServiceTool,
  registerServiceTool,
  requestServiceToken,
} from './support/lti-services-client';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

const AGS = AGS_SCOPES;
const ALL_SCOPES = Object.values(AGS).join(' ');
const LINE_ITEM_TYPE = 'application/vnd.ims.lis.v2.lineitem+json';
const CONTAINER_TYPE = 'application/vnd.ims.lis.v2.lineitemcontainer+json';
const SCORE_TYPE = 'application/vnd.ims.lis.v1.score+json';
const RESULTS_TYPE = 'application/vnd.ims.lis.v2.resultcontainer+json';
const CONCURRENT_LEARNERS = 200;

type Tool = RegisteredServiceTool;

/**
 * Assignment and Grade Services 2.0 over the wire, as a tool calls them: tokens from the token
 * endpoint with signed client assertions, line items, score publishes and results. What each call
 * leaves behind is read from the database, never from the application's code.
 */
describe('LTI Assignment and Grade Services (line items, scores, results)', () => {
  let testApp: TestApp;
  let root: ApiClient;
  let org: string;
  let toolX: Tool;
  let toolY: Tool;
  let courseId: string;
  let classId: string;
  /** X's placement that requires a score (passing 50) and X's that requires none (Y has one too). */
  let scored: { activityId: string; ltiResourceLinkId: string };
  let unscored: { activityId: string };
  let learners: { id: string; enrollmentId: string }[];
  let instructorId: string;
  let outsiderId: string;
  let selfPaced: { id: string; enrollmentId: string }[];

  const count = async (sql: string, params: unknown[] = []) =>
    Number((await testApp.dataSource.query(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n);

  const progressOf = async (enrollmentId: string, activityId: string) =>
    (
      await testApp.dataSource.query(
        `SELECT status, score_given, score_maximum, score_percent::float AS score_percent
           FROM activity_progress WHERE enrollment_id = $1 AND activity_id = $2`,
        [enrollmentId, activityId],
      )
    )[0] ?? null;

  const snapshot = async () =>
    JSON.stringify([
      await testApp.dataSource.query(`SELECT * FROM activity_progress ORDER BY enrollment_id, activity_id`),
      await testApp.dataSource.query(`SELECT * FROM lti1p3_results ORDER BY line_item_id, enrollment_id`),
      await testApp.dataSource.query(`SELECT * FROM lti1p3_line_items ORDER BY id`),
      await testApp.dataSource.query(
        `SELECT id, completed_at FROM enrollments WHERE completed_at IS NOT NULL ORDER BY id`,
      ),
    ]);

  const tokenFor = (tool: Tool, scope = ALL_SCOPES) => requestServiceToken(testApp.baseUrl, tool, scope);

  const containerUrl = (contextId: string) =>
    `${testApp.baseUrl}/lti/1p3/ags/contexts/${encodeURIComponent(contextId)}/lineitems`;

  async function call(
    method: string,
    url: string,
    token: string | null,
    body?: unknown,
    contentType = method === 'POST' && url.endsWith('/scores') ? SCORE_TYPE : LINE_ITEM_TYPE,
  ) {
    const response = await fetch(url, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': contentType } : {}),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      link: response.headers.get('link'),
      location: response.headers.get('location'),
      wwwAuthenticate: response.headers.get('www-authenticate'),
      body: text ? JSON.parse(text) : undefined,
    };
  }

  let stamp = Date.parse('2026-11-22T08:00:00.000Z');
  /** A score publish with a timestamp later than every one before it. */
  const publish = (userId: string, overrides: Record<string, unknown> = {}) => ({
    userId,
    scoreGiven: 80,
    scoreMaximum: 100,
    activityProgress: 'Completed',
    gradingProgress: 'FullyGraded',
    timestamp: new Date((stamp += 1000)).toISOString(),
    ...overrides,
  });

  async function declarativeItem(token: string, contextId = classId): Promise<LineItemJson> {
    const list = await call('GET', `${containerUrl(contextId)}?resource_link_id=${scoredLinkIdIn(contextId)}`, token);
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(1);
    return list.body[0];
  }

  function register(name: string, extra: Record<string, unknown> = {}): Promise<Tool> {
    return registerServiceTool(root, { name, organizationId: org, services: ['grades'], ...extra });
  }

  let scoredLinkIds: Map<string, string>;
  const scoredLinkIdIn = (contextId: string) => encodeURIComponent(scoredLinkIds.get(contextId)!);

  beforeAll(async () => {
    testApp = await startTestApp();
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    org = (await root.post('/api/v1/organizations', { name: 'Grades' })).body.id;
    toolX = await register('Tool X');
    toolY = await register('Tool Y');
    const link = async (tool: Tool, name: string, requiresScoreForCompletion: boolean) =>
      (
        await root.post('/api/v1/lti/resource-links', {
          name,
          organizationId: org,
          providerId: tool.id,
          url: 'http://127.0.0.1:9/launch',
          requiresScoreForCompletion,
          ...(requiresScoreForCompletion ? { passingScore: 50 } : {}),
          availableOrganizationIds: [org],
        })
      ).body.id;
    const author = (
      await createPerson(root, { email: 'ags-author@example.com', organizationId: org, role: 'course_author' })
    ).client;
    courseId = (await author.post('/api/v1/courses', { title: 'Graded course', organizationId: org })).body.id;
    const place = async (resourceLinkId: string) =>
      (await author.post(`/api/v1/courses/${courseId}/activities`, { resourceLinkId })).body;
    const scoredActivity = await place(await link(toolX, 'X quiz', true));
    scored = { activityId: scoredActivity.id, ltiResourceLinkId: scoredActivity.ltiResourceLinkId };
    unscored = { activityId: (await place(await link(toolX, 'X reading', false))).id };
    await place(await link(toolY, 'Y lab', true));

    const teacher = await createPerson(root, {
      email: 'ags-teacher@example.com',
      organizationId: org,
      role: 'instructor',
    });
    instructorId = teacher.id;
    classId = (await teacher.client.post('/api/v1/classes', { courseId, title: 'Graded class', organizationId: org }))
      .body.id;
    learners = [];
    for (const n of [1, 2, 3, 4]) {
      const learner = await createPerson(root, {
        email: `ags-learner-${n}@example.com`,
        organizationId: org,
        role: 'learner',
      });
      const enrolled = await teacher.client.post(`/api/v1/classes/${classId}/enrollments`, { userId: learner.id });
      expect(enrolled.status).toBe(201);
      learners.push({ id: learner.id, enrollmentId: enrolled.body.id });
    }
    await teacher.client.post(`/api/v1/classes/${classId}/enrollments`, { userId: instructorId, role: 'instructor' });
    outsiderId = (await createPerson(root, { email: 'ags-outsider@example.com', organizationId: org, role: 'learner' }))
      .id;

    // The self-paced offering's crowd, written directly: two hundred people with passwords would only slow the test.
    selfPaced = await testApp.dataSource.query(
      `WITH people AS (
         INSERT INTO users (email, name, organization_id)
         SELECT 'ags-crowd-' || n || '@example.com', 'Crowd ' || n, $1 FROM generate_series(1, $2) AS n
         RETURNING id)
       INSERT INTO enrollments (kind, course_id, user_id, role)
       SELECT 'self_paced', $3, id, 'learner' FROM people
       RETURNING user_id AS id, id AS "enrollmentId"`,
      [org, CONCURRENT_LEARNERS, courseId],
    );
    scoredLinkIds = new Map([[`${courseId}:self-paced`, scored.ltiResourceLinkId]]);
    const list = await call('GET', containerUrl(classId), await tokenFor(toolX, AGS.lineItemReadOnly));
    scoredLinkIds.set(classId, list.body.find((item: LineItemJson) => item.label === 'X quiz').resourceLinkId);
  }, 120_000);

  afterAll(async () => {
    await testApp?.close();
  });

  describe('line items', () => {
    it('should have made one line item per placement of the tool in the context, and none of another tool', async () => {
      const token = await tokenFor(toolX, AGS.lineItemReadOnly);
      const response = await call('GET', containerUrl(classId), token);

      expect(response.status).toBe(200);
      expect(response.type).toContain(CONTAINER_TYPE);
      expect(response.body.map((item: LineItemJson) => [item.label, item.scoreMaximum])).toEqual([
        ['X quiz', 100],
        ['X reading', 100],
      ]);
      const quiz: LineItemJson = response.body[0];
      expect(quiz.id).toMatch(new RegExp(`^${containerUrl(classId)}/[0-9a-f-]{36}$`));
      // A class has its own resource_link_id for the placement; the self-paced offering keeps the placement's.
      expect(quiz.resourceLinkId).toMatch(/^[0-9a-f]{40}$/);
      expect(quiz.resourceLinkId).not.toBe(scored.ltiResourceLinkId);
      const selfPacedQuiz = await declarativeItem(token, `${courseId}:self-paced`);
      expect(selfPacedQuiz.resourceLinkId).toBe(scored.ltiResourceLinkId);
      expect(selfPacedQuiz.id).not.toBe(quiz.id);
      // Asking again makes nothing new.
      expect((await call('GET', containerUrl(classId), token)).body).toEqual(response.body);
      expect(await count(`lti1p3_line_items WHERE provider_id = $1`, [toolX.id])).toBe(4);
    });

    it('should create, read, filter, page, replace and delete a line item of the tool, keeping resourceId and tag untouched', async () => {
      const token = await tokenFor(toolX, AGS.lineItem);
      const resourceId = ' Quiz/7?a=b&c=%20 ';
      const tag = 'Ünïcode <tag>';
      const created = await call('POST', containerUrl(classId), token, {
        label: 'Bonus',
        scoreMaximum: 10,
        resourceId,
        tag,
        resourceLinkId: scoredLinkIds.get(classId),
        endDateTime: '2026-12-31T23:59:00Z',
      });

      expect(created.status).toBe(201);
      expect(created.type).toContain(LINE_ITEM_TYPE);
      expect(created.location).toBe(created.body.id);
      expect(created.body).toEqual({
        id: expect.stringMatching(new RegExp(`^${containerUrl(classId)}/[0-9a-f-]{36}$`)),
        label: 'Bonus',
        scoreMaximum: 10,
        resourceLinkId: scoredLinkIds.get(classId),
        resourceId,
        tag,
        endDateTime: '2026-12-31T23:59:00.000Z',
      });
      const read = await call('GET', created.body.id, token);
      expect(read.body).toEqual(created.body);
      const second = await call('POST', containerUrl(classId), token, { label: 'Extra', scoreMaximum: 5, tag });
      expect(second.status).toBe(201);

      const byResource = await call(
        'GET',
        `${containerUrl(classId)}?resource_id=${encodeURIComponent(resourceId)}`,
        token,
      );
      expect(byResource.body.map((item: LineItemJson) => item.id)).toEqual([created.body.id]);
      const byTag = await call('GET', `${containerUrl(classId)}?tag=${encodeURIComponent(tag)}`, token);
      expect(byTag.body.map((item: LineItemJson) => item.label)).toEqual(['Bonus', 'Extra']);
      const byLink = await call('GET', `${containerUrl(classId)}?resource_link_id=${scoredLinkIdIn(classId)}`, token);
      expect(byLink.body.map((item: LineItemJson) => item.label)).toEqual(['X quiz', 'Bonus']);

      const first = await call('GET', `${containerUrl(classId)}?limit=3`, token);
      expect(first.body).toHaveLength(3);
      const next = linkOf(first.link, 'next');
      expect(next).toContain('page=2');
      const rest = await call('GET', next!, token);
      expect(rest.body.map((item: LineItemJson) => item.label)).toEqual(['Extra']);
      expect(rest.link).toBeNull();

      const replaced = await call('PUT', created.body.id, token, { label: 'Bonus round', scoreMaximum: 12 });
      expect(replaced.status).toBe(200);
      expect(replaced.body).toEqual({ id: created.body.id, label: 'Bonus round', scoreMaximum: 12 });

      expect((await call('DELETE', second.body.id, token)).status).toBe(204);
      expect((await call('GET', second.body.id, token)).status).toBe(404);
      expect((await call('DELETE', created.body.id, token)).status).toBe(204);
    });

    it('should refuse line items without a label or a positive scoreMaximum, or bound to a resource link outside the tool and context, creating nothing', async () => {
      const token = await tokenFor(toolX, AGS.lineItem);
      const otherToolsLinkId = (await call('GET', containerUrl(classId), await tokenFor(toolY, AGS.lineItem))).body[0]
        .resourceLinkId;
      const before = await snapshot();

      for (const body of [
        { scoreMaximum: 10 },
        { label: 'No maximum' },
        { label: 'Zero', scoreMaximum: 0 },
        { label: 'Text', scoreMaximum: '10' },
        { label: 'Tag', scoreMaximum: 10, tag: 5 },
      ]) {
        const response = await call('POST', containerUrl(classId), token, body);
        expect(response.status).toBe(400);
        expect(response.type).toContain('application/problem+json');
      }
      expect((await call('POST', containerUrl(classId), token, '{"label":', LINE_ITEM_TYPE)).status).toBe(400);
      expect(
        (await call('POST', containerUrl(classId), token, { label: 'x', scoreMaximum: 1 }, 'text/plain')).status,
      ).toBe(415);
      for (const resourceLinkId of [otherToolsLinkId, scored.ltiResourceLinkId, 'made-up']) {
        const response = await call('POST', containerUrl(classId), token, {
          label: 'Bound',
          scoreMaximum: 1,
          resourceLinkId,
        });
        expect(response.status).toBe(404);
      }
      expect(await snapshot()).toBe(before);
    });

    it('should keep the platform’s line item bound to its resource link: it can be renamed, not moved or deleted', async () => {
      const token = await tokenFor(toolX, AGS.lineItem);
      const item = await declarativeItem(token);

      expect((await call('DELETE', item.id, token)).status).toBe(409);
      const moved = await call('PUT', item.id, token, {
        label: 'Moved',
        scoreMaximum: 100,
        resourceLinkId: 'elsewhere',
      });
      expect(moved.status).toBe(400);
      const renamed = await call('PUT', item.id, token, { label: 'X quiz (final)', scoreMaximum: 100 });
      expect(renamed.body).toEqual({ ...item, label: 'X quiz (final)' });
      await call('PUT', item.id, token, { label: 'X quiz', scoreMaximum: 100 });
    });
  });

  describe('authorization', () => {
    it('should answer 401 with a bearer challenge without a valid token, and 403 without the scope the route needs', async () => {
      const item = await declarativeItem(await tokenFor(toolX, AGS.lineItemReadOnly));
      for (const token of [null, 'not-a-token-at-all-0123456789']) {
        const response = await call('GET', containerUrl(classId), token);
        expect(response.status).toBe(401);
        expect(response.wwwAuthenticate).toContain('error="invalid_token"');
      }
      const scoreOnly = await tokenFor(toolX, AGS.score);
      const readOnly = await tokenFor(toolX, `${AGS.lineItemReadOnly} ${AGS.resultReadOnly}`);
      const refusals = [
        await call('GET', containerUrl(classId), scoreOnly),
        await call('GET', `${item.id}/results`, scoreOnly),
        await call('POST', containerUrl(classId), readOnly, { label: 'x', scoreMaximum: 1 }),
        await call('PUT', item.id, readOnly, { label: 'x', scoreMaximum: 1 }),
        await call('POST', `${item.id}/scores`, readOnly, publish(learners[0].id)),
      ];
      expect(refusals.map((r) => r.status)).toEqual([403, 403, 403, 403, 403]);
      expect(refusals.every((r) => r.wwwAuthenticate?.includes('insufficient_scope'))).toBe(true);
    });

    it('should answer 404 for provider X’s token on provider Y’s line item, and for contexts without X’s links', async () => {
      const yItem = (await call('GET', containerUrl(classId), await tokenFor(toolY, AGS.lineItemReadOnly))).body[0];
      const xItem = await declarativeItem(await tokenFor(toolX, AGS.lineItemReadOnly));
      const x = await tokenFor(toolX);
      const before = await snapshot();

      // Y's line item under X's container path is not X's, whatever the path says.
      const yUnderX = `${containerUrl(classId)}/${yItem.id.split('/').pop()}`;
      expect((await call('GET', yItem.id, x)).status).toBe(404);
      expect((await call('GET', yUnderX, x)).status).toBe(404);
      expect((await call('PUT', yItem.id, x, { label: 'Mine', scoreMaximum: 1 })).status).toBe(404);
      expect((await call('DELETE', yItem.id, x)).status).toBe(404);
      expect((await call('POST', `${yItem.id}/scores`, x, publish(learners[0].id))).status).toBe(404);
      expect((await call('GET', `${yItem.id}/results`, x)).status).toBe(404);
      // X's own line item in another context's path, unknown contexts, a course without X's links.
      expect(
        (await call('GET', `${containerUrl(`${courseId}:self-paced`)}/${xItem.id.split('/').pop()}`, x)).status,
      ).toBe(404);
      const yOnlyCourse = (await root.post('/api/v1/courses', { title: 'Y only', organizationId: org })).body.id;
      for (const context of [randomUUID(), `${randomUUID()}:self-paced`, 'anything', `${yOnlyCourse}:self-paced`]) {
        expect((await call('GET', containerUrl(context), x)).status).toBe(404);
      }
      expect(await snapshot()).toBe(before);
    });
  });

  describe('scores', () => {
    const scoresOf = async (item: LineItemJson) => `${item.id}/scores`;

    it('should store a score of 0, complete at the passing score, and keep a later score over an older timestamp', async () => {
      const token = await tokenFor(toolX);
      const item = await declarativeItem(token);
      const [learner] = learners;

      const zero = await call('POST', await scoresOf(item), token, publish(learner.id, { scoreGiven: 0 }));
      expect(zero.status).toBe(204);
      expect(await progressOf(learner.enrollmentId, scored.activityId)).toEqual({
        status: 'failed',
        score_given: '0',
        score_maximum: '100',
        score_percent: 0,
      });

      const later = publish(learner.id, { scoreGiven: 80 });
      expect((await call('POST', await scoresOf(item), token, later)).status).toBe(204);
      expect(await progressOf(learner.enrollmentId, scored.activityId)).toMatchObject({
        status: 'completed',
        score_given: '80',
      });

      const before = await snapshot();
      const older = {
        ...later,
        scoreGiven: 20,
        timestamp: new Date(Date.parse(later.timestamp) - 60_000).toISOString(),
      };
      const refused = await call('POST', await scoresOf(item), token, older);
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toContain('later timestamp');
      const sameTimeOtherScore = await call('POST', await scoresOf(item), token, { ...later, scoreGiven: 30 });
      expect(sameTimeOtherScore.status).toBe(409);
      // The same publish again (a retry) is harmless.
      expect((await call('POST', await scoresOf(item), token, later)).status).toBe(204);
      expect(await snapshot()).toBe(before);
      const ledger = await testApp.dataSource.query(
        `SELECT decision, raw_score FROM score_ledger WHERE enrollment_id = $1 AND lti_version = '1.3' ORDER BY received_at`,
        [learner.enrollmentId],
      );
      expect(ledger).toEqual([
        { decision: 'applied', raw_score: '0/100' },
        { decision: 'applied', raw_score: '80/100' },
        { decision: 'rejected', raw_score: '20/100' },
        { decision: 'rejected', raw_score: '30/100' },
        { decision: 'unchanged', raw_score: '80/100' },
      ]);
    });

    it('should refuse a score timestamped in the future with a reason, storing nothing, so a later correct score applies', async () => {
      const token = await tokenFor(toolX);
      const item = await declarativeItem(token);
      const [, learner] = learners;
      const before = await snapshot();

      const future = await call(
        'POST',
        await scoresOf(item),
        token,
        publish(learner.id, { scoreGiven: 100, timestamp: '9999-12-31T23:59:59.000Z' }),
      );
      expect(future.status).toBe(400);
      expect(future.body.detail).toContain('timestamp 9999-12-31T23:59:59.000Z is in the future');
      expect(future.body.detail).toContain('at most 60 seconds ahead');
      expect(await snapshot()).toBe(before);
      const [entry] = await testApp.dataSource.query(
        `SELECT decision, reason FROM score_ledger WHERE reason LIKE 'timestamp 9999-12-31%' ORDER BY received_at`,
      );
      expect(entry).toEqual({ decision: 'rejected', reason: expect.stringContaining('is in the future') });

      const correct = await call('POST', await scoresOf(item), token, publish(learner.id, { scoreGiven: 55 }));
      expect(correct.status).toBe(204);
      expect(await progressOf(learner.enrollmentId, scored.activityId)).toMatchObject({
        status: 'completed',
        score_given: '55',
      });
    });

    it('should keep a score above the maximum, await review for PendingManual, and clear the score when none is given', async () => {
      const token = await tokenFor(toolX);
      const item = await declarativeItem(token);
      const [, second, third] = learners;

      await call('POST', await scoresOf(item), token, publish(second.id, { scoreGiven: 150 }));
      expect(await progressOf(second.enrollmentId, scored.activityId)).toEqual({
        status: 'completed',
        score_given: '150',
        score_maximum: '100',
        score_percent: 150,
      });
      await call(
        'POST',
        await scoresOf(item),
        token,
        publish(second.id, { scoreGiven: undefined, gradingProgress: 'NotReady' }),
      );
      expect(await progressOf(second.enrollmentId, scored.activityId)).toEqual({
        status: 'awaiting_score',
        score_given: null,
        score_maximum: null,
        score_percent: null,
      });

      const review = publish(third.id, {
        scoreGiven: 10,
        activityProgress: 'Submitted',
        gradingProgress: 'PendingManual',
      });
      expect((await call('POST', await scoresOf(item), token, review)).status).toBe(204);
      expect(await progressOf(third.enrollmentId, scored.activityId)).toMatchObject({ status: 'awaiting_review' });
    });

    it('should complete an activity that requires no score when the tool says the learner completed it', async () => {
      const token = await tokenFor(toolX);
      const reading = (await call('GET', containerUrl(classId), token)).body.find(
        (item: LineItemJson) => item.label === 'X reading',
      );
      const learner = learners[3];

      const response = await call(
        'POST',
        `${reading.id}/scores?tool=query`, // a query after /scores changes nothing
        token,
        publish(learner.id, { scoreGiven: undefined, gradingProgress: 'NotReady' }),
        SCORE_TYPE,
      );

      expect(response.status).toBe(204);
      expect(await progressOf(learner.enrollmentId, unscored.activityId)).toMatchObject({
        status: 'completed',
        score_given: null,
      });
    });

    it('should refuse a score for someone not enrolled in the context, an instructor, or a malformed publish, changing nothing', async () => {
      const token = await tokenFor(toolX);
      const item = await declarativeItem(token);
      const before = await snapshot();
      const rejectedBefore = await count(`score_ledger WHERE decision = 'rejected'`);

      const outsider = await call('POST', await scoresOf(item), token, publish(outsiderId));
      expect(outsider.status).toBe(400);
      expect(outsider.body.detail).toBe(
        `No learner with userId ${outsiderId} is enrolled in this context; nothing was stored`,
      );
      const selfPacedLearner = await call('POST', await scoresOf(item), token, publish(selfPaced[0].id));
      expect(selfPacedLearner.status).toBe(400);
      const instructor = await call('POST', await scoresOf(item), token, publish(instructorId));
      expect(instructor.status).toBe(400);
      expect(instructor.body.detail).toContain('only learners');
      expect(await count(`score_ledger WHERE decision = 'rejected'`)).toBe(rejectedBefore + 3);

      for (const overrides of [
        { timestamp: undefined },
        { timestamp: 'yesterday' },
        { activityProgress: 'Finished' },
        { gradingProgress: undefined },
        { scoreGiven: -1 },
        { scoreMaximum: undefined },
        { userId: undefined },
      ]) {
        const response = await call('POST', await scoresOf(item), token, publish(learners[0].id, overrides));
        expect(response.status).toBe(400);
        expect(response.type).toContain('application/problem+json');
      }
      for (const type of ['text/plain', 'application/json']) {
        expect((await call('POST', await scoresOf(item), token, publish(learners[0].id), type)).status).toBe(415);
      }
      expect(await snapshot()).toBe(before);
      // Every publish of an authenticated tool is in the ledger with the reason it was refused.
      expect(await count(`score_ledger WHERE decision = 'rejected'`)).toBe(rejectedBefore + 3 + 7);
    });

    it(`should store each of ${CONCURRENT_LEARNERS} concurrent score posts for distinct learners exactly once`, async () => {
      const token = await tokenFor(toolX);
      const item = await declarativeItem(token, `${courseId}:self-paced`);
      const scoreOf = (i: number) => 50 + (i % 50);

      const responses = await Promise.all(
        selfPaced.map((learner, i) =>
          call('POST', `${item.id}/scores`, token, publish(learner.id, { scoreGiven: scoreOf(i) })),
        ),
      );

      expect(responses.map((r) => r.status)).toEqual(selfPaced.map(() => 204));
      const enrollmentIds = selfPaced.map((l) => l.enrollmentId);
      const stored = await testApp.dataSource.query(
        `SELECT enrollment_id, score_given FROM lti1p3_results WHERE enrollment_id = ANY($1)`,
        [enrollmentIds],
      );
      expect(stored).toHaveLength(CONCURRENT_LEARNERS);
      const ledger = await testApp.dataSource.query(
        `SELECT enrollment_id, decision FROM score_ledger WHERE enrollment_id = ANY($1)`,
        [enrollmentIds],
      );
      expect(ledger).toHaveLength(CONCURRENT_LEARNERS);
      expect(ledger.every((row: { decision: string }) => row.decision === 'applied')).toBe(true);
      const progress = await testApp.dataSource.query(
        `SELECT enrollment_id, status, score_given FROM activity_progress WHERE enrollment_id = ANY($1) AND activity_id = $2`,
        [enrollmentIds, scored.activityId],
      );
      const byEnrollment = new Map(progress.map((row: { enrollment_id: string }) => [row.enrollment_id, row]));
      selfPaced.forEach((learner, i) =>
        expect(byEnrollment.get(learner.enrollmentId)).toEqual({
          enrollment_id: learner.enrollmentId,
          status: 'completed',
          score_given: String(scoreOf(i)),
        }),
      );
    }, 60_000);
  });

  describe('results', () => {
    it('should list each learner’s latest result, filter by user_id and page with limit', async () => {
      const token = await tokenFor(toolX, `${AGS.lineItemReadOnly} ${AGS.resultReadOnly}`);
      const item = await declarativeItem(token);

      const all = await call('GET', `${item.id}/results`, token);
      expect(all.status).toBe(200);
      expect(all.type).toContain(RESULTS_TYPE);
      const byUser = new Map(all.body.map((r: { userId: string }) => [r.userId, r]));
      expect(byUser.get(learners[0].id)).toEqual({
        id: `${item.id}/results/${learners[0].id}`,
        scoreOf: item.id,
        userId: learners[0].id,
        resultScore: 80,
        resultMaximum: 100,
      });
      // A cleared score is a result without a score.
      expect(byUser.get(learners[1].id)).toEqual({
        id: `${item.id}/results/${learners[1].id}`,
        scoreOf: item.id,
        userId: learners[1].id,
      });
      expect(byUser.get(learners[2].id)).toMatchObject({ resultScore: 10 });

      const one = await call('GET', `${item.id}/results?user_id=${learners[2].id}`, token);
      expect(one.body.map((r: { userId: string }) => r.userId)).toEqual([learners[2].id]);
      const paged = await call('GET', `${item.id}/results?limit=2`, token);
      expect(paged.body).toHaveLength(2);
      const next = linkOf(paged.link, 'next');
      const rest = await call('GET', next!, token);
      expect([...paged.body, ...rest.body].map((r: { userId: string }) => r.userId).sort()).toEqual(
        [...byUser.keys()].sort(),
      );
      expect((await call('GET', `${item.id}/results?limit=1001`, token)).status).toBe(400);
    });
  });
  describe('who a score is for', () => {
    it('should find the learner by the id the tool knows them by, take plain JSON from a tool allowed it, and acknowledge a preview’s test learner without recording it', async () => {
      const toolZ = await register('Tool Z (SIS ids, plain JSON)', {
        userIdSource: 'sis_id',
        compatibility: ['ags_plain_json'],
      });
      const course = (await root.post('/api/v1/courses', { title: 'SIS course', organizationId: org })).body.id;
      const linkId = (
        await root.post('/api/v1/lti/resource-links', {
          name: 'Z quiz',
          organizationId: org,
          providerId: toolZ.id,
          url: 'http://127.0.0.1:9/launch',
          requiresScoreForCompletion: true,
          availableOrganizationIds: [org],
        })
      ).body.id;
      const activityId = (await root.post(`/api/v1/courses/${course}/activities`, { resourceLinkId: linkId })).body.id;
      await testApp.dataSource.query(`UPDATE users SET sis_id = 'SIS-0042' WHERE id = $1`, [learners[0].id]);
      const [{ id: enrollmentId }] = await testApp.dataSource.query(
        `INSERT INTO enrollments (kind, course_id, user_id, role) VALUES ('self_paced', $1, $2, 'learner') RETURNING id`,
        [course, learners[0].id],
      );
      const token = await tokenFor(toolZ);
      const [item] = (await call('GET', containerUrl(`${course}:self-paced`), token)).body as LineItemJson[];

      const byInternalId = await call('POST', `${item.id}/scores`, token, publish(learners[0].id));
      expect(byInternalId.status).toBe(400);
      // Z sends its scores as plain JSON, which its compatibility switch allows.
      const bySisId = await call(
        'POST',
        `${item.id}/scores`,
        token,
        publish('SIS-0042', { scoreGiven: 70 }),
        'application/json',
      );
      expect(bySisId.status).toBe(204);
      expect(await progressOf(enrollmentId, activityId)).toMatchObject({ status: 'completed', score_given: '70' });

      const resultsBefore = await count('lti1p3_results');
      const preview = await call('POST', `${item.id}/scores`, token, publish(`test-learner-${randomUUID()}`));
      expect(preview.status).toBe(204);
      expect(await count('lti1p3_results')).toBe(resultsBefore);
      const [last] = await testApp.dataSource.query(
        `SELECT decision, enrollment_id FROM score_ledger WHERE provider_id = $1 ORDER BY received_at DESC LIMIT 1`,
        [toolZ.id],
      );
      expect(last).toEqual({ decision: 'preview', enrollment_id: null });
    });
  });
});
