import type { Server } from 'node:http';
import { createLti1p1Fixtures, Lti1p1Fixtures } from '../bench/support/lti1p1-fixtures';
import { createLti1p3Fixtures, Lti1p3Fixtures } from '../bench/support/lti1p3-fixtures';
import { authorizePath, BenchHttpClient, launchOnce, loginFields, parseFormPost } from '../bench/support/lti1p3-launch';
import { recordRequestQueries, RequestQueries } from './support/request-queries';
import { startTestApp, TestApp } from './support/test-app';

/** Issue 20's budget: SQL round trips of one launch hop, BEGIN and COMMIT included. */
const MOST_ROUND_TRIPS = 4;

describe('Launch round trips', () => {
  // Two instances: the two fixtures each make the same organization.
  let lti1p1App: TestApp;
  let lti1p3App: TestApp;
  const requests: RequestQueries[] = [];
  let lti1p1Client: BenchHttpClient;
  let lti1p3Client: BenchHttpClient;
  let lti1p1: Lti1p1Fixtures;
  let lti1p3: Lti1p3Fixtures;

  const describeHop = (hop: RequestQueries) =>
    `${hop.method} ${hop.path.split('?')[0]} sent ${hop.statements.length} statements:\n` +
    hop.statements.map((sql, i) => `${i + 1}. ${sql.replace(/\s+/g, ' ').slice(0, 200)}`).join('\n');

  /** Fails with the hop's statements listed, so that a regression shows what was added. */
  const expectWithinBudget = (hop: RequestQueries) => {
    expect(hop.statements.length).toBeGreaterThan(0);
    expect(hop.statements.length <= MOST_ROUND_TRIPS ? 'within budget' : describeHop(hop)).toBe('within budget');
  };

  const hopsDuring = async (work: () => Promise<void>) => {
    const before = requests.length;
    await work();
    return requests.slice(before);
  };

  /** Both hops of an LTI 1.3 launch of `learner`, to the id_token posted to the tool. */
  const launch1p3 = async (learner: { launchPath: string; cookie: string }) => {
    const launched = await launchOnce(lti1p3Client, {
      path: learner.launchPath,
      cookie: learner.cookie,
      redirectUri: lti1p3.redirectUri,
    });
    expect(launched).toMatchObject({ ok: true });
  };

  beforeAll(async () => {
    [lti1p1App, lti1p3App] = await Promise.all([startTestApp(), startTestApp()]);
    for (const app of [lti1p1App, lti1p3App]) recordRequestQueries(app.app.getHttpServer() as Server, requests);
    [lti1p1, lti1p3] = await Promise.all([
      createLti1p1Fixtures(lti1p1App.baseUrl, 1),
      createLti1p3Fixtures(lti1p3App.baseUrl, 1),
    ]);
    lti1p1Client = new BenchHttpClient(lti1p1App.baseUrl, 1);
    lti1p3Client = new BenchHttpClient(lti1p3App.baseUrl, 1);
  });

  afterAll(async () => {
    lti1p1Client?.close();
    lti1p3Client?.close();
    await Promise.all([lti1p1App?.close(), lti1p3App?.close()]);
  });

  it('should resolve, sign and record an LTI 1.1 launch page in at most 4 round trips when a learner launches again', async () => {
    const [learner] = lti1p1.learners;
    const hops = await hopsDuring(async () => {
      const page = await lti1p1Client.get(learner.launchPath, { cookie: learner.cookie });
      expect(page.status).toBe(200);
      expect(page.body).toContain('name="oauth_signature"');
    });
    expect(hops).toHaveLength(1);
    expectWithinBudget(hops[0]);
  });

  it('should answer each hop of an LTI 1.3 launch in at most 4 round trips when a learner launches again', async () => {
    const [learner] = lti1p3.learners;
    const hops = await hopsDuring(() => launch1p3(learner));
    expect(hops.map((hop) => hop.path.split('?')[0])).toEqual([learner.launchPath, '/lti/1p3/authorize']);
    for (const hop of hops) expectWithinBudget(hop);
  });

  describe('a learner’s first launch of an activity, its progress decided from what the placement read', () => {
    const activityOf = (launchPath: string) => /\/activities\/([^/]+)\/launch/.exec(launchPath)![1];
    /** The learner's progress in the activity and their course's completion, as stored. */
    const stored = async (app: TestApp, learner: { enrollmentId: string; launchPath: string }) => {
      const [row] = await app.dataSource.query(
        `SELECT p.status, p.first_launched_at AS "firstLaunchedAt", e.completed_at AS "courseCompletedAt"
           FROM enrollments e LEFT JOIN activity_progress p ON p.enrollment_id = e.id AND p.activity_id = $2
          WHERE e.id = $1`,
        [learner.enrollmentId, activityOf(learner.launchPath)],
      );
      return row as { status: string | null; firstLaunchedAt: Date | null; courseCompletedAt: Date | null };
    };
    const forgetProgress = (app: TestApp, enrollmentId: string) =>
      app.dataSource.query(`DELETE FROM activity_progress WHERE enrollment_id = $1`, [enrollmentId]);
    const requireScore = (app: TestApp, required: boolean) =>
      app.dataSource.query(`UPDATE lti_resource_links SET requires_score_for_completion = $1, passing_score = NULL`, [
        required,
      ]);

    /** The 1.1 learner's launch page with no progress yet: its one hop within budget, then what it stored. */
    const firstLaunch1p1 = async () => {
      const [learner] = lti1p1.learners;
      await forgetProgress(lti1p1App, learner.enrollmentId);
      const hops = await hopsDuring(async () => {
        expect((await lti1p1Client.get(learner.launchPath, { cookie: learner.cookie })).status).toBe(200);
      });
      expectWithinBudget(hops[0]);
      return stored(lti1p1App, learner);
    };

    it('should record an LTI 1.1 first launch and its progress in at most 4 round trips', async () => {
      expect(await firstLaunch1p1()).toMatchObject({
        status: 'awaiting_score',
        firstLaunchedAt: expect.any(Date),
        courseCompletedAt: null,
      });
    });

    it('should complete the activity and the course in the same round trips when the placement takes no score', async () => {
      const [learner] = lti1p1.learners;
      await requireScore(lti1p1App, false);
      try {
        expect(await firstLaunch1p1()).toMatchObject({ status: 'completed', courseCompletedAt: expect.any(Date) });
      } finally {
        await requireScore(lti1p1App, true);
        await lti1p1App.dataSource.query(`UPDATE enrollments SET completed_at = NULL WHERE id = $1`, [
          learner.enrollmentId,
        ]);
      }
    });

    it('should answer each hop of an LTI 1.3 first launch in at most 4 round trips and record its progress', async () => {
      const [learner] = lti1p3.learners;
      await forgetProgress(lti1p3App, learner.enrollmentId);

      const hops = await hopsDuring(() => launch1p3(learner));

      for (const hop of hops) expectWithinBudget(hop);
      expect(await stored(lti1p3App, learner)).toMatchObject({
        status: 'awaiting_score',
        firstLaunchedAt: expect.any(Date),
      });
    });
  });

  describe('the login hint, claimed and consumed in the statement that reads the placement', () => {
    const startLogin = async () => {
      const [learner] = lti1p3.learners;
      const page = await lti1p3Client.get(learner.launchPath, { cookie: learner.cookie });
      expect(page.status).toBe(200);
      return { learner, login: loginFields(page.body) };
    };
    const answerOf = (body: string) => parseFormPost(body)?.fields ?? {};

    it('should leave the hint usable when a forged login_hint is refused, and launch with the genuine one', async () => {
      const { learner, login } = await startLogin();
      const forged = await lti1p3Client.get(
        authorizePath({ ...login, login_hint: 'forged-login-hint' }, lti1p3.redirectUri, 'nonce-1', 'state-1'),
        { cookie: learner.cookie },
      );
      expect(answerOf(forged.body)).toMatchObject({ error: 'access_denied', state: 'state-1' });

      const genuine = await lti1p3Client.get(authorizePath(login, lti1p3.redirectUri, 'nonce-2', 'state-2'), {
        cookie: learner.cookie,
      });
      expect(answerOf(genuine.body)).toMatchObject({ id_token: expect.any(String), state: 'state-2' });
    });

    it('should post one id_token and one invalid_request when two authentication requests race with one hint', async () => {
      const { learner, login } = await startLogin();
      const racing = new BenchHttpClient(lti1p3App.baseUrl, 2);
      try {
        const answers = await Promise.all(
          ['state-a', 'state-b'].map((state) =>
            racing.get(authorizePath(login, lti1p3.redirectUri, `nonce-${state}`, state), { cookie: learner.cookie }),
          ),
        );
        const fields = answers.map((answer) => answerOf(answer.body));
        expect(fields.filter((f) => f.id_token)).toHaveLength(1);
        expect(fields.filter((f) => f.error === 'invalid_request')).toHaveLength(1);
      } finally {
        racing.close();
      }
    });
  });
});
