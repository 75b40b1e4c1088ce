import { ApiClient } from './support/api-client';
import {
  browserOf,
  created,
  createUser,
  launchLikeBrowser,
  learnerLaunchPath,
  poxRequest,
  postOutcome,
  PoxResponse,
  sendSigned,
  signOutcome,
  withOAuthParam,
} from './support/lti1p1-fixture';
import { Lti1p1Tool, Lti1p1ToolLaunch, startLti1p1Tool } from './support/lti1p1-tool';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

// Only RFC 3986 unreserved characters: ims-lti 3.x does not percent-encode the secret in its signing key.
const KEY = 'grades-key';
const SECRET = 'grades-Secret_1.0~';
const OTHER_KEY = 'other-key';
const OTHER_SECRET = 'other-Secret_2.0~';
const CONCURRENT_LEARNERS = 20;

interface LedgerRow {
  id: string;
  decision: string;
  reason: string | null;
  operation: string;
  raw_score: string | null;
  resulting_status: string | null;
  provider_id: string | null;
  organization_id: string | null;
  enrollment_id: string | null;
}

describe('LTI 1.1 Basic Outcomes', () => {
  let testApp: TestApp;
  let root: ApiClient;
  let orgA: string;
  let tool: Lti1p1Tool;
  let otherTool: Lti1p1Tool;
  let provider: { id: string };
  let otherProvider: { id: string };
  let instructor: { id: string; email: string; client: ApiClient };
  let gradedCourse: { id: string };
  let graded: { id: string };
  let anyScore: { id: string };
  let anyScoreCourse: { id: string };
  let otherCourse: { course: { id: string }; activity: { id: string } };
  let outcomesUrl: string;

  /** A learner assigned a course (self-paced) who launched one activity through the tool, like a browser. */
  const enrollAndLaunch = async (
    email: string,
    courseId: string,
    activityId: string,
    through: Lti1p1Tool = tool,
    options: { apiClient?: boolean } = {},
  ): Promise<{ userId: string; client: ApiClient; enrollmentId: string; launch: Lti1p1ToolLaunch }> => {
    const person = await createUser(
      root,
      { email, organizationId: orgA, role: 'learner' },
      { signIn: options.apiClient !== false },
    );
    const enrollment = created(
      await instructor.client.post('/api/v1/self-paced-assignments', { courseId, userId: person.id }),
      `assignment of ${email}`,
    );
    const browser = await browserOf(testApp.baseUrl, email);
    const { launch } = await launchLikeBrowser(browser, learnerLaunchPath(enrollment.id, activityId), through);
    if (!launch.valid) throw new Error(`ims-lti refused the launch of ${email}: ${launch.error}`);
    return { userId: person.id, client: person.client, enrollmentId: enrollment.id, launch };
  };

  const progressOf = async (enrollmentId: string, activityId: string) =>
    (
      await testApp.dataSource.query(
        `SELECT status, score_given::text AS score_given, score_percent::float AS score_percent, completed_at
           FROM activity_progress WHERE enrollment_id = $1 AND activity_id = $2`,
        [enrollmentId, activityId],
      )
    )[0] as { status: string; score_given: string | null; score_percent: number | null; completed_at: Date | null };

  const courseCompletedAt = async (enrollmentId: string): Promise<Date | null> =>
    (await testApp.dataSource.query('SELECT completed_at FROM enrollments WHERE id = $1', [enrollmentId]))[0]
      .completed_at;

  const ledgerIds = async (): Promise<Set<string>> =>
    new Set(((await testApp.dataSource.query('SELECT id FROM score_ledger')) as { id: string }[]).map((r) => r.id));

  /** Ledger rows written since `known` was taken, oldest first. */
  const ledgerSince = async (known: Set<string>): Promise<LedgerRow[]> =>
    (
      (await testApp.dataSource.query(
        `SELECT id, decision, reason, operation, raw_score, resulting_status, provider_id, organization_id, enrollment_id
           FROM score_ledger ORDER BY received_at, id`,
      )) as LedgerRow[]
    ).filter((row) => !known.has(row.id));

  /** Everything a score could change: every progress row, every course completion. */
  const gradingState = async () => ({
    progress: await testApp.dataSource.query(
      `SELECT enrollment_id, activity_id, status, score_given::text AS score_given, score_maximum::text AS score_maximum,
              score_percent::text AS score_percent, first_launched_at, completed_at, scored_at
         FROM activity_progress ORDER BY enrollment_id, activity_id`,
    ),
    completions: await testApp.dataSource.query('SELECT id, completed_at FROM enrollments ORDER BY id'),
  });

  const nonces = () =>
    testApp.dataSource.query('SELECT provider_id, nonce FROM oauth_nonces ORDER BY provider_id, nonce') as Promise<
      { provider_id: string; nonce: string }[]
    >;

  beforeAll(async () => {
    testApp = await startTestApp();
    outcomesUrl = `${testApp.baseUrl}/lti/1p1/outcomes`;
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    orgA = created(await root.post('/api/v1/organizations', { name: 'Grading org' }), 'organization').id;
    const author = await createUser(root, { email: 'author@example.com', organizationId: orgA, role: 'course_author' });
    instructor = await createUser(root, { email: 'teacher@example.com', organizationId: orgA, role: 'instructor' });

    tool = await startLti1p1Tool({ consumerKey: KEY, consumerSecret: SECRET });
    otherTool = await startLti1p1Tool({ consumerKey: OTHER_KEY, consumerSecret: OTHER_SECRET });
    const providerBody = (name: string, consumerKey: string, sharedSecret: string) => ({
      name,
      organizationId: orgA,
      ltiVersion: '1.1',
      consumerKey,
      sharedSecret,
      privacy: 'anonymous',
    });
    provider = created(await root.post('/api/v1/lti/providers', providerBody('Grader', KEY, SECRET)), 'provider');
    otherProvider = created(
      await root.post('/api/v1/lti/providers', providerBody('Other grader', OTHER_KEY, OTHER_SECRET)),
      'other provider',
    );
    const link = async (name: string, providerId: string, url: string, passingScore: number | null) =>
      created(
        await root.post('/api/v1/lti/resource-links', {
          name,
          organizationId: orgA,
          providerId,
          url,
          requiresScoreForCompletion: true,
          passingScore,
        }),
        name,
      );
    const gradedLink = await link('Graded quiz', provider.id, tool.launchUrl, 70);
    const anyScoreLink = await link('Any score quiz', provider.id, tool.launchUrl, null);
    const otherLink = await link('Other quiz', otherProvider.id, otherTool.launchUrl, 70);

    const courseWith = async (title: string, resourceLinkId: string) => {
      const course = created(await author.client.post('/api/v1/courses', { title }), title);
      const activity = created(
        await author.client.post(`/api/v1/courses/${course.id}/activities`, { resourceLinkId }),
        `${title} activity`,
      );
      return { course, activity };
    };
    ({ course: gradedCourse, activity: graded } = await courseWith('Graded course', gradedLink.id));
    ({ course: anyScoreCourse, activity: anyScore } = await courseWith('Any score course', anyScoreLink.id));
    otherCourse = await courseWith('Other course', otherLink.id);
  });

  afterAll(async () => {
    await Promise.all([tool?.close(), otherTool?.close()]);
    await testApp?.close();
  });

  describe('through ims-lti’s outcome client', () => {
    let learner: Awaited<ReturnType<typeof enrollAndLaunch>>;

    beforeAll(async () => {
      learner = await enrollAndLaunch('learner@example.com', gradedCourse.id, graded.id);
    });

    it('should complete the activity and the course when the tool sends a passing score', async () => {
      expect((await progressOf(learner.enrollmentId, graded.id)).status).toBe('awaiting_score');
      expect(await courseCompletedAt(learner.enrollmentId)).toBeNull();
      const known = await ledgerIds();

      await expect(tool.sendReplaceResult(learner.launch, 0.8)).resolves.toBe(true);

      const progress = await learner.client.get(`/api/v1/enrollments/${learner.enrollmentId}/progress`);
      expect(progress.body).toMatchObject({
        courseComplete: true,
        activities: [{ activityId: graded.id, status: 'completed', scorePercent: 80 }],
      });
      expect(await progressOf(learner.enrollmentId, graded.id)).toMatchObject({
        status: 'completed',
        score_given: '0.8',
        score_percent: 80,
        completed_at: expect.any(Date),
      });
      expect(await courseCompletedAt(learner.enrollmentId)).toEqual(expect.any(Date));
      expect(await ledgerSince(known)).toEqual([
        expect.objectContaining({
          decision: 'applied',
          operation: 'replaceResult',
          raw_score: '0.8',
          resulting_status: 'completed',
          provider_id: provider.id,
          organization_id: orgA,
          enrollment_id: learner.enrollmentId,
        }),
      ]);
    });

    it('should answer the stored score when the tool sends readResult', async () => {
      const known = await ledgerIds();

      await expect(tool.sendReadResult(learner.launch)).resolves.toBe(0.8);

      expect(await ledgerSince(known)).toEqual([
        expect.objectContaining({ decision: 'read', operation: 'readResult', enrollment_id: learner.enrollmentId }),
      ]);
    });

    it('should fail the activity and clear course completion when the tool sends a score below passing', async () => {
      await expect(tool.sendReplaceResult(learner.launch, 0.5)).resolves.toBe(true);

      expect(await progressOf(learner.enrollmentId, graded.id)).toMatchObject({
        status: 'failed',
        score_given: '0.5',
        score_percent: 50,
        completed_at: null,
      });
      expect(await courseCompletedAt(learner.enrollmentId)).toBeNull();
      const progress = await learner.client.get(`/api/v1/enrollments/${learner.enrollmentId}/progress`);
      expect(progress.body).toMatchObject({
        courseComplete: false,
        activities: [{ status: 'failed', scorePercent: 50 }],
      });
      await expect(tool.sendReadResult(learner.launch)).resolves.toBe(0.5);
    });

    it('should wait for a score again when the tool deletes the result', async () => {
      const known = await ledgerIds();

      await expect(tool.sendDeleteResult(learner.launch)).resolves.toBe(true);

      expect(await progressOf(learner.enrollmentId, graded.id)).toMatchObject({
        status: 'awaiting_score',
        score_given: null,
        score_percent: null,
        completed_at: null,
      });
      expect(await ledgerSince(known)).toEqual([
        expect.objectContaining({ decision: 'applied', operation: 'deleteResult', resulting_status: 'awaiting_score' }),
      ]);
      // No score: readResult answers an empty textString, which ims-lti reports as an invalid score.
      await expect(tool.sendReadResult(learner.launch)).rejects.toThrow('Invalid score response');
      const read = poxRequest({ operation: 'readResult', sourcedId: learner.launch.params.lis_result_sourcedid });
      const response = await sendSigned(signOutcome({ url: outcomesUrl, body: read.xml, key: KEY, secret: SECRET }));
      expect(response).toMatchObject({ codeMajor: 'success', textString: '' });
    });

    it('should store a score of 0 and fail the activity when the tool sends 0 on a link passing at 70', async () => {
      const known = await ledgerIds();

      await expect(tool.sendReplaceResult(learner.launch, 0)).resolves.toBe(true);

      expect(await progressOf(learner.enrollmentId, graded.id)).toMatchObject({
        status: 'failed',
        score_given: '0',
        score_percent: 0,
      });
      expect(await ledgerSince(known)).toEqual([
        expect.objectContaining({ decision: 'applied', raw_score: '0', resulting_status: 'failed' }),
      ]);
      await expect(tool.sendReadResult(learner.launch)).resolves.toBe(0);
    });

    it('should complete the activity with a score of 0 when the link has no passing score', async () => {
      const anyLearner = await enrollAndLaunch('any-score@example.com', anyScoreCourse.id, anyScore.id);
      expect((await progressOf(anyLearner.enrollmentId, anyScore.id)).status).toBe('awaiting_score');
      const known = await ledgerIds();

      await expect(tool.sendReplaceResult(anyLearner.launch, 0)).resolves.toBe(true);

      expect(await progressOf(anyLearner.enrollmentId, anyScore.id)).toMatchObject({
        status: 'completed',
        score_given: '0',
        score_percent: 0,
        completed_at: expect.any(Date),
      });
      expect(await courseCompletedAt(anyLearner.enrollmentId)).toEqual(expect.any(Date));
      expect(await ledgerSince(known)).toEqual([
        expect.objectContaining({ decision: 'applied', raw_score: '0', resulting_status: 'completed' }),
      ]);

      // `0.0`, as most tools write it, is the same score.
      const { xml } = poxRequest({
        operation: 'replaceResult',
        sourcedId: anyLearner.launch.params.lis_result_sourcedid,
        score: '0.0',
      });
      const response = await sendSigned(signOutcome({ url: outcomesUrl, body: xml, key: KEY, secret: SECRET }));
      expect(response.codeMajor).toBe('success');
      expect((await ledgerSince(known)).map((r) => [r.decision, r.raw_score])).toEqual([
        ['applied', '0'],
        ['unchanged', '0.0'],
      ]);
    });

    it('should record the second of two identical scores as unchanged', async () => {
      await expect(tool.sendReplaceResult(learner.launch, 0.9)).resolves.toBe(true);
      const state = await progressOf(learner.enrollmentId, graded.id);
      const known = await ledgerIds();

      await expect(tool.sendReplaceResult(learner.launch, 0.9)).resolves.toBe(true);

      expect(await ledgerSince(known)).toEqual([
        expect.objectContaining({ decision: 'unchanged', raw_score: '0.9', resulting_status: 'completed' }),
      ]);
      expect(await progressOf(learner.enrollmentId, graded.id)).toEqual(state);
    });
  });

  describe('forged requests (oauth-1.0a, signed by hand)', () => {
    let target: Awaited<ReturnType<typeof enrollAndLaunch>>;
    let sourcedId: string;

    const forge = (xml: string, options: { key?: string; secret?: string; timestamp?: number; nonce?: string } = {}) =>
      signOutcome({
        url: outcomesUrl,
        body: xml,
        key: options.key ?? KEY,
        secret: options.secret ?? SECRET,
        ...options,
      });

    /** Sends one refused request: failure, no grading change, one `rejected` ledger row with a reason. */
    const expectRefused = async (
      send: () => Promise<PoxResponse>,
      reason: RegExp,
      options: { nonceConsumed: boolean; codeMajor?: string; providerId?: string | null } = { nonceConsumed: false },
    ): Promise<{ response: PoxResponse; row: LedgerRow }> => {
      const before = await gradingState();
      const noncesBefore = await nonces();
      const known = await ledgerIds();

      const response = await send();

      expect(response.httpStatus).toBe(200);
      expect(response.contentType).toMatch(/^application\/xml/);
      expect(response.codeMajor).toBe(options.codeMajor ?? 'failure');
      expect(response.description).toMatch(reason);
      expect(await gradingState()).toEqual(before);
      const noncesAfter = await nonces();
      expect(noncesAfter.length).toBe(noncesBefore.length + (options.nonceConsumed ? 1 : 0));
      expect(noncesAfter).toEqual(expect.arrayContaining(noncesBefore));
      const rows = await ledgerSince(known);
      expect(rows).toEqual([expect.objectContaining({ decision: 'rejected', reason: expect.stringMatching(reason) })]);
      if (options.providerId !== undefined) expect(rows[0].provider_id).toBe(options.providerId);
      return { response, row: rows[0] };
    };

    beforeAll(async () => {
      target = await enrollAndLaunch('target@example.com', gradedCourse.id, graded.id);
      sourcedId = target.launch.params.lis_result_sourcedid;
    });

    it('should accept a correctly signed request and echo its message identifier when it is forged by hand', async () => {
      const request = poxRequest({ operation: 'replaceResult', sourcedId, score: '0.75' });
      const known = await ledgerIds();

      const response = await sendSigned(forge(request.xml));

      expect(response).toMatchObject({
        httpStatus: 200,
        codeMajor: 'success',
        severity: 'status',
        messageRefIdentifier: request.messageIdentifier,
        operationRefIdentifier: 'replaceResult',
      });
      expect(response.messageIdentifier).toBeTruthy();
      expect(response.messageIdentifier).not.toBe(request.messageIdentifier);
      expect(await progressOf(target.enrollmentId, graded.id)).toMatchObject({
        status: 'completed',
        score_given: '0.75',
      });
      expect(await ledgerSince(known)).toEqual([expect.objectContaining({ decision: 'applied', raw_score: '0.75' })]);

      const read = poxRequest({ operation: 'readResult', sourcedId });
      const readResponse = await sendSigned(forge(read.xml));
      expect(readResponse).toMatchObject({
        codeMajor: 'success',
        messageRefIdentifier: read.messageIdentifier,
        textString: '0.75',
      });
    });

    it('should refuse a request when its signature was tampered with', async () => {
      const signed = forge(poxRequest({ operation: 'replaceResult', sourcedId, score: '0.2' }).xml);
      const signature = signed.oauth.oauth_signature;
      const tampered = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;

      const { row } = await expectRefused(
        () => postOutcome(outcomesUrl, signed.body, withOAuthParam(signed.authorization, 'oauth_signature', tampered)),
        /signature/i,
        { nonceConsumed: false, providerId: null },
      );
      expect(row.operation).toBe('unknown');
    });

    it('should refuse a request when it is signed with the wrong secret', async () => {
      await expectRefused(
        () =>
          sendSigned(
            forge(poxRequest({ operation: 'replaceResult', sourcedId, score: '0.2' }).xml, { secret: 'wrong' }),
          ),
        /signature/i,
        { nonceConsumed: false, providerId: null },
      );
    });

    it('should refuse a replayed request when its nonce was already used', async () => {
      const signed = forge(poxRequest({ operation: 'replaceResult', sourcedId, score: '0.65' }).xml);
      const first = await sendSigned(signed);
      expect(first.codeMajor).toBe('success');
      expect(await progressOf(target.enrollmentId, graded.id)).toMatchObject({ status: 'failed', score_given: '0.65' });
      expect(await nonces()).toContainEqual({ provider_id: provider.id, nonce: signed.oauth.oauth_nonce });

      await expectRefused(() => sendSigned(signed), /nonce/i, { nonceConsumed: false, providerId: provider.id });
    });

    it('should refuse a request when its timestamp is 10 minutes old', async () => {
      const signed = forge(poxRequest({ operation: 'replaceResult', sourcedId, score: '0.2' }).xml, {
        timestamp: Math.floor(Date.now() / 1000) - 600,
      });

      await expectRefused(() => sendSigned(signed), /oauth_timestamp/, { nonceConsumed: false, providerId: null });
      expect(await nonces()).not.toContainEqual(expect.objectContaining({ nonce: signed.oauth.oauth_nonce }));
    });

    it('should refuse a request when its timestamp is 10 minutes in the future', async () => {
      const signed = forge(poxRequest({ operation: 'replaceResult', sourcedId, score: '0.2' }).xml, {
        timestamp: Math.floor(Date.now() / 1000) + 600,
      });

      await expectRefused(() => sendSigned(signed), /oauth_timestamp/, { nonceConsumed: false, providerId: null });
    });

    it('should refuse a request when its body was changed after signing', async () => {
      const signed = forge(poxRequest({ operation: 'replaceResult', sourcedId, score: '0.2' }).xml);
      const changed = signed.body.replace('<textString>0.2</textString>', '<textString>1.0</textString>');
      expect(changed).not.toBe(signed.body);

      await expectRefused(() => postOutcome(outcomesUrl, changed, signed.authorization), /oauth_body_hash/, {
        nonceConsumed: false,
        providerId: null,
      });
    });

    it('should refuse a sourcedid when its mac was changed', async () => {
      const parts = sourcedId.split(':');
      const mac = parts.at(-1)!;
      const forged = [...parts.slice(0, -1), `${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`].join(':');
      expect(forged).not.toBe(sourcedId);

      await expectRefused(
        () => sendSigned(forge(poxRequest({ operation: 'replaceResult', sourcedId: forged, score: '1.0' }).xml)),
        /not issued/i,
        { nonceConsumed: true, providerId: provider.id },
      );
    });

    it('should refuse a sourcedid of another tool when a second provider signs with its own credentials', async () => {
      const other = await enrollAndLaunch(
        'other@example.com',
        otherCourse.course.id,
        otherCourse.activity.id,
        otherTool,
      );
      // The second provider's own sourcedid is accepted with its credentials...
      const own = await sendSigned(
        forge(poxRequest({ operation: 'readResult', sourcedId: other.launch.params.lis_result_sourcedid }).xml, {
          key: OTHER_KEY,
          secret: OTHER_SECRET,
        }),
      );
      expect(own.codeMajor).toBe('success');

      // ...the first provider's is not.
      await expectRefused(
        () =>
          sendSigned(
            forge(poxRequest({ operation: 'replaceResult', sourcedId, score: '1.0' }).xml, {
              key: OTHER_KEY,
              secret: OTHER_SECRET,
            }),
          ),
        /another tool/i,
        { nonceConsumed: true, providerId: otherProvider.id },
      );
    });

    it('should refuse a body with a DOCTYPE when it declares an entity', async () => {
      const request = poxRequest({
        operation: 'replaceResult',
        sourcedId,
        score: '&score;',
        prolog: '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE imsx_POXEnvelopeRequest [<!ENTITY score "1.0">]>',
      });

      await expectRefused(() => sendSigned(forge(request.xml)), /DOCTYPE/, {
        nonceConsumed: true,
        providerId: provider.id,
      });
    });

    it.each(['1.2', '-0.1', 'abc'])(
      'should refuse the score %s when it is not a decimal from 0.0 to 1.0',
      async (score) => {
        const request = poxRequest({ operation: 'replaceResult', sourcedId, score });

        const { response, row } = await expectRefused(() => sendSigned(forge(request.xml)), /0\.0 to 1\.0/, {
          nonceConsumed: true,
          providerId: provider.id,
        });
        expect(response.messageRefIdentifier).toBe(request.messageIdentifier);
        expect(row).toMatchObject({ raw_score: score, enrollment_id: target.enrollmentId });
      },
    );

    it('should answer unsupported when the operation is unknown', async () => {
      const request = poxRequest({ operation: 'readMembership', sourcedId });

      const { response, row } = await expectRefused(() => sendSigned(forge(request.xml)), /not supported/i, {
        nonceConsumed: true,
        codeMajor: 'unsupported',
        providerId: provider.id,
      });
      expect(response.messageRefIdentifier).toBe(request.messageIdentifier);
      expect(row.operation).toBe('readMembership');
    });

    it('should refuse a request when it has no Authorization header', async () => {
      const request = poxRequest({ operation: 'replaceResult', sourcedId, score: '1.0' });

      await expectRefused(() => postOutcome(outcomesUrl, request.xml, null), /Authorization/, {
        nonceConsumed: false,
        providerId: null,
      });
    });
  });

  it(`should store each of ${CONCURRENT_LEARNERS} concurrent scores exactly once when ${CONCURRENT_LEARNERS} learners are graded at once`, async () => {
    const learners: Awaited<ReturnType<typeof enrollAndLaunch>>[] = [];
    for (let i = 0; i < CONCURRENT_LEARNERS; i += 5) {
      learners.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(5, CONCURRENT_LEARNERS - i) }, (_, j) =>
            enrollAndLaunch(`crowd-${i + j}@example.com`, gradedCourse.id, graded.id, tool, { apiClient: false }),
          ),
        )),
      );
    }
    const scoreOf = (i: number) => (71 + i) / 100;
    const known = await ledgerIds();

    const results = await Promise.all(learners.map((l, i) => tool.sendReplaceResult(l.launch, scoreOf(i))));

    expect(results).toEqual(learners.map(() => true));
    const rows = (await ledgerSince(known)).filter((row) => learners.some((l) => l.enrollmentId === row.enrollment_id));
    expect(rows).toHaveLength(CONCURRENT_LEARNERS);
    expect(rows.every((row) => row.decision === 'applied')).toBe(true);
    expect(new Set(rows.map((row) => row.enrollment_id)).size).toBe(CONCURRENT_LEARNERS);
    for (const [i, l] of learners.entries()) {
      expect(await progressOf(l.enrollmentId, graded.id)).toMatchObject({
        status: 'completed',
        score_given: String(scoreOf(i)),
      });
      expect(await courseCompletedAt(l.enrollmentId)).toEqual(expect.any(Date));
    }
    // Twenty people with passwords to hash, sign-ins and launches before the scores themselves.
  }, 120_000);
});
