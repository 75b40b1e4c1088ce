import { AGS_MEDIA_TYPES } from '../libs/lti/src/lti1p3/ags';
import { AGS_SCOPES } from '../libs/lti/src/lti1p3/lti-services';
import { AgsFixtures, createAgsFixtures } from '../bench/support/ags-fixtures';
import { createLti1p1Fixtures, Lti1p1Fixtures } from '../bench/support/lti1p1-fixtures';
import { requestToken } from '../bench/support/lti1p3-services';
import { OutcomeSigner, poxCodeMajor, replaceResultXml } from '../bench/support/outcome-request';
import { countQueries } from '../bench/support/query-counter';
import { ApiClient } from './support/api-client';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

/** Issue 20's bound: a score costs at most this many SQL round trips (BEGIN and COMMIT included). */
const MAX_ROUND_TRIPS = 4;

const POX_NS = 'http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0';

function poxXml(operation: 'readResult' | 'deleteResult', sourcedId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><imsx_POXEnvelopeRequest xmlns="${POX_NS}"><imsx_POXHeader>` +
    '<imsx_POXRequestHeaderInfo><imsx_version>V1.0</imsx_version><imsx_messageIdentifier>m-1' +
    `</imsx_messageIdentifier></imsx_POXRequestHeaderInfo></imsx_POXHeader><imsx_POXBody><${operation}Request>` +
    `<resultRecord><sourcedGUID><sourcedId>${sourcedId}</sourcedId></sourcedGUID></resultRecord>` +
    `</${operation}Request></imsx_POXBody></imsx_POXEnvelopeRequest>`
  );
}

/**
 * Counts the queries the app's process sends for each score request (the app runs in this process;
 * the notice poller is slowed down so that nothing else queries meanwhile): the hot paths of issue 20
 * must stay within {@link MAX_ROUND_TRIPS}, whatever the decision.
 */
describe('SQL round trips of a score', () => {
  const queries = countQueries();
  // One app per protocol: both fixtures make the same organization.
  let app: TestApp;
  let otherApp: TestApp;
  let lti1p1: Lti1p1Fixtures;
  let ags: AgsFixtures;
  let signer: OutcomeSigner;

  beforeAll(async () => {
    app = await startTestApp({ TMS_NOTICE_POLL_MS: '600000' });
    otherApp = await startTestApp({ TMS_NOTICE_POLL_MS: '600000' });
    lti1p1 = await createLti1p1Fixtures(app.baseUrl, 1);
    ags = await createAgsFixtures(otherApp.baseUrl, 1);
    signer = new OutcomeSigner(lti1p1.consumerKey, lti1p1.consumerSecret);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await otherApp?.close();
  });

  /** The queries made while `send` ran, and its answer. */
  const counted = async <T>(send: () => Promise<T>): Promise<{ answer: T; roundTrips: number }> => {
    const before = queries();
    const answer = await send();
    return { answer, roundTrips: queries() - before };
  };

  const postOutcome = (body: string) =>
    counted(async () => {
      const response = await fetch(lti1p1.outcomeServiceUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/xml',
          authorization: signer.authorization(lti1p1.outcomeServiceUrl, body),
        },
        body,
      });
      return poxCodeMajor(await response.text());
    });

  const progressScore = async (enrollmentId: string, on = app) =>
    (
      await on.dataSource.query(`SELECT score_given::text AS score FROM activity_progress WHERE enrollment_id = $1`, [
        enrollmentId,
      ])
    )[0]?.score ?? null;

  it('should make at most 4 SQL round trips when LTI 1.1 replaceResult, readResult and deleteResult are answered', async () => {
    const { sourcedId, enrollmentId } = lti1p1.learners[0];
    // The first request of a consumer key reads its providers once; every later one is measured.
    expect((await postOutcome(replaceResultXml('warm', sourcedId, '0.1'))).answer).toBe('success');

    const applied = await postOutcome(replaceResultXml('m-2', sourcedId, '0.8'));
    const unchanged = await postOutcome(replaceResultXml('m-3', sourcedId, '0.8'));
    const read = await postOutcome(poxXml('readResult', sourcedId));
    expect(await progressScore(enrollmentId)).toBe('0.8');
    const deleted = await postOutcome(poxXml('deleteResult', sourcedId));

    expect([applied, unchanged, read, deleted].map((r) => r.answer)).toEqual([
      'success',
      'success',
      'success',
      'success',
    ]);
    expect(await progressScore(enrollmentId)).toBeNull();
    for (const { roundTrips } of [applied, unchanged, read, deleted])
      expect(roundTrips).toBeLessThanOrEqual(MAX_ROUND_TRIPS);
  });

  it('should make at most 4 SQL round trips when an AGS score is posted with a token the process accepted before', async () => {
    const token = await requestToken(ags.tool, ags.tokenUrl, [AGS_SCOPES.score]);
    const url = `${ags.lineItemUrl}/scores`;
    const learner = ags.learners[0];
    const post = (scoreGiven: number, at: number) =>
      counted(async () => {
        const response = await fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': AGS_MEDIA_TYPES.score },
          body: JSON.stringify({
            userId: learner.userId,
            scoreGiven,
            scoreMaximum: 100,
            activityProgress: 'Completed',
            gradingProgress: 'FullyGraded',
            timestamp: new Date(at).toISOString(),
          }),
        });
        return response.status;
      });
    const now = Date.now();
    expect((await post(10, now)).answer).toBe(204);

    const applied = await post(80, now + 1);
    const again = await post(80, now + 2);

    expect([applied.answer, again.answer]).toEqual([204, 204]);
    expect(await progressScore(learner.enrollmentId, otherApp)).toBe('80');
    expect(applied.roundTrips).toBeLessThanOrEqual(MAX_ROUND_TRIPS);
    expect(again.roundTrips).toBeLessThanOrEqual(MAX_ROUND_TRIPS);
  });

  /*
   * The caches of the score paths (the LTI 1.1 signers, the accepted tokens) are per process. A change
   * made in the database directly, or through the API (which tells no cache), is what another worker
   * or instance sees: it must refuse at once.
   */
  it('should refuse an outcome at once when the provider is disabled or its secret changed elsewhere, and accept the new secret', async () => {
    const { sourcedId } = lti1p1.learners[0];
    const [{ id: providerId }] = await app.dataSource.query(`SELECT id FROM lti_providers WHERE consumer_key = $1`, [
      lti1p1.consumerKey,
    ]);
    const post = async (by: OutcomeSigner, score: string) => {
      const body = replaceResultXml(`m-${score}`, sourcedId, score);
      const response = await fetch(lti1p1.outcomeServiceUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/xml', authorization: by.authorization(lti1p1.outcomeServiceUrl, body) },
        body,
      });
      return {
        codeMajor: poxCodeMajor(await response.text()),
        stored: await progressScore(lti1p1.learners[0].enrollmentId),
      };
    };
    expect(await post(signer, '0.3')).toEqual({ codeMajor: 'success', stored: '0.3' });

    await app.dataSource.query(`UPDATE lti_providers SET status = 'disabled' WHERE id = $1`, [providerId]);
    expect(await post(signer, '0.4')).toEqual({ codeMajor: 'failure', stored: '0.3' });
    await app.dataSource.query(`UPDATE lti_providers SET status = 'active' WHERE id = $1`, [providerId]);
    expect(await post(signer, '0.5')).toEqual({ codeMajor: 'success', stored: '0.5' });

    const root = await ApiClient.signIn(app.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const secret = 'a-new-bench-secret-0123456789-._~abcdefghij';
    expect((await root.patch(`/api/v1/lti/providers/${providerId}`, { sharedSecret: secret })).status).toBe(200);
    expect(await post(signer, '0.6')).toEqual({ codeMajor: 'failure', stored: '0.5' });
    expect(await post(new OutcomeSigner(lti1p1.consumerKey, secret), '0.7')).toEqual({
      codeMajor: 'success',
      stored: '0.7',
    });
  });

  it('should refuse an AGS score at once when its token is revoked or its tool disabled elsewhere', async () => {
    const learner = ags.learners[0];
    const post = async (token: string, scoreGiven: number) => {
      const response = await fetch(`${ags.lineItemUrl}/scores`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': AGS_MEDIA_TYPES.score },
        body: JSON.stringify({
          userId: learner.userId,
          scoreGiven,
          scoreMaximum: 100,
          activityProgress: 'Completed',
          gradingProgress: 'FullyGraded',
          timestamp: new Date(Date.now() + scoreGiven).toISOString(),
        }),
      });
      return { status: response.status, stored: await progressScore(learner.enrollmentId, otherApp) };
    };
    const first = await requestToken(ags.tool, ags.tokenUrl, [AGS_SCOPES.score]);
    expect(await post(first, 30)).toEqual({ status: 204, stored: '30' });

    await otherApp.dataSource.query(`UPDATE lti1p3_access_tokens SET revoked_at = now() WHERE provider_id = $1`, [
      ags.providerId,
    ]);
    expect(await post(first, 40)).toEqual({ status: 401, stored: '30' });

    const second = await requestToken(ags.tool, ags.tokenUrl, [AGS_SCOPES.score]);
    expect(await post(second, 50)).toEqual({ status: 204, stored: '50' });
    await otherApp.dataSource.query(`UPDATE lti_providers SET status = 'disabled' WHERE id = $1`, [ags.providerId]);
    expect(await post(second, 60)).toEqual({ status: 401, stored: '50' });
  });
});
