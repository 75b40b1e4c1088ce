import { createHash } from 'node:crypto';
import { Lti1p3Fixtures, Lti1p3Learner } from '../bench/support/lti1p3-fixtures';
import {
  authorizePath,
  BenchHttpClient,
  launchOnce,
  LoginFields,
  loginFields,
  parseFormPost,
} from '../bench/support/lti1p3-launch';
import { KeptLaunchInstances, startKeptLaunchInstances } from './support/kept-launch-instances';
import type { RequestQueries } from './support/request-queries';
import type { TestApp } from './support/test-app';

/**
 * Both hops of an LTI 1.3 launch take the person's session from their process's cache, and the
 * statement that acts confirms it (still live, the person and their roles unchanged). Two instances
 * of the application on one database: what one keeps never launches after the session was signed
 * out, expired or suspended on the other; a person changed elsewhere costs one read of the session.
 */
describe('a launch with the session its process keeps', () => {
  let instances: KeptLaunchInstances;
  let app: TestApp;
  let otherApp: TestApp;
  let client: BenchHttpClient;
  let lti1p3: Lti1p3Fixtures;
  let requests: RequestQueries[];

  beforeAll(async () => {
    instances = await startKeptLaunchInstances(10);
    ({ app, otherApp, client, lti1p3, requests } = instances);
  }, 120_000);

  afterAll(async () => {
    await instances?.close();
  });

  const tokenHashOf = (learner: Lti1p3Learner) =>
    createHash('sha256')
      .update(/tms_session=([^;]+)/.exec(learner.cookie)![1])
      .digest();
  /** A change made through the other instance's connection, as another process would make it. */
  const elsewhere = (learner: Lti1p3Learner, sql: string) => otherApp.dataSource.query(sql, [tokenHashOf(learner)]);
  const statementsOf = (path: string, since: number) =>
    requests
      .slice(since)
      .filter((r) => r.path.startsWith(path))
      .map((r) => r.statements.length);

  /** A complete launch, which leaves the learner's session in the app's cache. */
  const launch = async (learner: Lti1p3Learner) => {
    const outcome = await launchOnce(client, {
      path: learner.launchPath,
      cookie: learner.cookie,
      redirectUri: lti1p3.redirectUri,
    });
    expect(outcome).toMatchObject({ ok: true });
  };
  const startLogin = async (learner: Lti1p3Learner) => {
    const page = await client.get(learner.launchPath, { cookie: learner.cookie });
    expect(page.status).toBe(200);
    return loginFields(page.body);
  };
  const authorize = async (learner: Lti1p3Learner, login: LoginFields, state = 'state-1') => {
    const answer = await client.get(authorizePath(login, lti1p3.redirectUri, `nonce-${state}`, state), {
      cookie: learner.cookie,
    });
    expect(answer.status).toBe(200);
    return parseFormPost(answer.body)?.fields ?? {};
  };
  /** The login hints ever written for the learner's enrollment. */
  const hintsOf = async (learner: Lti1p3Learner) => {
    const [row] = await app.dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM lti1p3_message_hints WHERE enrollment_id = $1`,
      [learner.enrollmentId],
    );
    return row.count;
  };
  /** The launch page as a browser with the learner's cookie gets it (redirects not followed). */
  const launchPage = async (learner: Lti1p3Learner) => {
    const response = await fetch(app.baseUrl + learner.launchPath, {
      headers: { cookie: learner.cookie },
      redirect: 'manual',
    });
    return { status: response.status, location: response.headers.get('location'), body: await response.text() };
  };
  const hintConsumed = async (login: LoginFields) => {
    const [row] = await app.dataSource.query<{ consumed: boolean }[]>(
      `SELECT consumed_at IS NOT NULL AS consumed FROM lti1p3_message_hints WHERE message_hint = $1`,
      [login.lti_message_hint],
    );
    return row.consumed;
  };

  describe('the authorization endpoint', () => {
    it('should answer in 2 round trips when the process keeps the session and the tool', async () => {
      const learner = lti1p3.learners[0];
      await launch(learner);
      const login = await startLogin(learner);
      const before = requests.length;

      expect(await authorize(learner, login)).toMatchObject({ id_token: expect.any(String), state: 'state-1' });

      expect(statementsOf('/lti/1p3/authorize', before)).toEqual([2]);
    });

    it('should post no id_token and leave the hint unused when the session was signed out elsewhere', async () => {
      const learner = lti1p3.learners[1];
      await launch(learner);
      const login = await startLogin(learner);

      await elsewhere(learner, `DELETE FROM auth_sessions WHERE token_hash = $1`);

      const fields = await authorize(learner, login);
      expect(fields).toMatchObject({ error: 'login_required', state: 'state-1' });
      expect(fields.id_token).toBeUndefined();
      expect(await hintConsumed(login)).toBe(false);
    });

    it('should post no id_token and leave the hint unused when the session expired elsewhere', async () => {
      const learner = lti1p3.learners[2];
      await launch(learner);
      const login = await startLogin(learner);

      await elsewhere(
        learner,
        `UPDATE auth_sessions SET expires_at = now() - interval '1 second' WHERE token_hash = $1`,
      );

      const fields = await authorize(learner, login);
      expect(fields).toMatchObject({ error: 'login_required', state: 'state-1' });
      expect(fields.id_token).toBeUndefined();
      expect(await hintConsumed(login)).toBe(false);
    });

    it('should post no id_token when the person was suspended elsewhere', async () => {
      const learner = lti1p3.learners[3];
      await launch(learner);
      const login = await startLogin(learner);

      await elsewhere(
        learner,
        `UPDATE users SET status = 'suspended' WHERE id = (SELECT user_id FROM auth_sessions WHERE token_hash = $1)`,
      );

      const fields = await authorize(learner, login);
      expect(fields).toMatchObject({ error: 'login_required', state: 'state-1' });
      expect(fields.id_token).toBeUndefined();
      expect(await hintConsumed(login)).toBe(false);
    });

    it('should post the id_token after reading the session once more when the person changed elsewhere', async () => {
      const learner = lti1p3.learners[4];
      await launch(learner);
      const login = await startLogin(learner);
      await elsewhere(
        learner,
        `UPDATE users SET name = 'Renamed elsewhere' WHERE id = (SELECT user_id FROM auth_sessions WHERE token_hash = $1)`,
      );
      const before = requests.length;

      expect(await authorize(learner, login)).toMatchObject({ id_token: expect.any(String), state: 'state-1' });

      // The claim that found the session changed, the session read fresh, the claim again, the launch record.
      expect(statementsOf('/lti/1p3/authorize', before)).toEqual([4]);
    });

    it('should refuse a login hint already used when the process keeps the session', async () => {
      const learner = lti1p3.learners[5];
      await launch(learner);
      const login = await startLogin(learner);
      expect(await authorize(learner, login, 'state-1')).toMatchObject({ id_token: expect.any(String) });

      const replay = await authorize(learner, login, 'state-2');

      expect(replay).toMatchObject({ error: 'invalid_request', state: 'state-2' });
      expect(replay.id_token).toBeUndefined();
    });
  });

  describe('the launch page', () => {
    const signInPath = (learner: Lti1p3Learner) => `/login?next=${encodeURIComponent(learner.launchPath)}`;

    it('should answer in 2 round trips when the process keeps the session', async () => {
      const learner = lti1p3.learners[0];
      await launch(learner);
      const before = requests.length;

      const page = await launchPage(learner);

      expect(page.status).toBe(200);
      expect(loginFields(page.body).lti_message_hint).toEqual(expect.any(String));
      expect(statementsOf(learner.launchPath, before)).toEqual([2]);
    });

    it('should send the browser to sign in and write no hint when the session was signed out elsewhere', async () => {
      const learner = lti1p3.learners[6];
      await launch(learner);
      const hints = await hintsOf(learner);

      await elsewhere(learner, `DELETE FROM auth_sessions WHERE token_hash = $1`);

      const page = await launchPage(learner);
      expect(page.status).toBe(303);
      expect(page.location).toBe(signInPath(learner));
      expect(await hintsOf(learner)).toBe(hints);
    });

    it('should send the browser to sign in and write no hint when the session expired elsewhere', async () => {
      const learner = lti1p3.learners[7];
      await launch(learner);
      const hints = await hintsOf(learner);

      await elsewhere(
        learner,
        `UPDATE auth_sessions SET expires_at = now() - interval '1 second' WHERE token_hash = $1`,
      );

      const page = await launchPage(learner);
      expect(page.status).toBe(303);
      expect(page.location).toBe(signInPath(learner));
      expect(await hintsOf(learner)).toBe(hints);
    });

    it('should send the browser to sign in, not say why the launch is refused, when the session was signed out elsewhere', async () => {
      const learner = lti1p3.learners[8];
      await launch(learner);
      const hints = await hintsOf(learner);

      await app.dataSource.query(`UPDATE enrollments SET status = 'closed' WHERE id = $1`, [learner.enrollmentId]);
      await elsewhere(learner, `DELETE FROM auth_sessions WHERE token_hash = $1`);

      const page = await launchPage(learner);
      expect(page.status).toBe(303);
      expect(page.location).toBe(signInPath(learner));
      expect(await hintsOf(learner)).toBe(hints);
    });

    it('should start the login after reading the session once more when the person changed elsewhere', async () => {
      const learner = lti1p3.learners[9];
      await launch(learner);
      await elsewhere(
        learner,
        `UPDATE users SET name = 'Renamed elsewhere' WHERE id = (SELECT user_id FROM auth_sessions WHERE token_hash = $1)`,
      );
      const before = requests.length;

      const page = await launchPage(learner);

      expect(page.status).toBe(200);
      expect(loginFields(page.body).lti_message_hint).toEqual(expect.any(String));
      // The placement, the hint's INSERT that found the session changed, the session read fresh, both again.
      expect(statementsOf(learner.launchPath, before)).toEqual([5]);
    });
  });
});
