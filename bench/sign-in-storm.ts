import { performance } from 'node:perf_hooks';
import { AGS_MEDIA_TYPES } from '../libs/lti/src/lti1p3/ags';
import { AGS_SCOPES } from '../libs/lti/src/lti1p3/lti-services';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../test/support/test-app';
import { ApiClient } from '../test/support/api-client';
import type { BenchApp } from './support/app-host';
import { AgsFixtures, createAgsFixtures } from './support/ags-fixtures';
import { ClosedLoopResult, percentile, runClosedLoop } from './support/closed-loop';
import { BenchRun, print, runBench } from './support/harness';
import { mapWithConcurrency, range } from './support/lti1p1-fixtures';
import { BenchHttpClient } from './support/lti1p3-launch';
import { requestToken } from './support/lti1p3-services';
import { cpuLine, formatMs, formatNumber, readNumber } from './support/report';
import { ResourceMeter, ResourceUse } from './support/resources';

/**
 * What a sign-in storm does to everybody else: AGS score posts (the platform's busiest write path)
 * measured alone, then beside STORM_USERS virtual users signing in with the right password (each
 * one a scrypt hash), then beside the same users guessing wrong passwords for a few accounts (the
 * throttle refuses them, without a hash, once the lockouts start). Prints figures and asserts
 * nothing about time; it fails when a score post or a right sign-in goes wrong.
 *
 *   npm run bench:sign-in
 *
 * BENCH_SECONDS (10 per phase), BENCH_CONNECTIONS (5 score-posting tools), BENCH_STORM (20 users
 * signing in at once); DATABASE_URL names another PostgreSQL server.
 */
const SECONDS = readNumber('BENCH_SECONDS', 10);
const SCORE_USERS = readNumber('BENCH_CONNECTIONS', 5);
const STORM_USERS = readNumber('BENCH_STORM', 20);
const PASSWORD = 'a-long-bench-password';
/** Each learner's last score timestamp (ms), across phases: a tool sends one learner's scores in order. */
const lastScoredAt = new Map<string, number>();

interface Fixtures extends AgsFixtures {
  readonly accounts: readonly string[];
}

interface Phase {
  readonly scores: ClosedLoopResult;
  readonly scoreLatencies: number[];
  readonly signIns: { readonly byStatus: Map<number, number>; readonly latencies: number[] } | null;
  readonly use: ResourceUse;
}

async function setUp(app: BenchApp): Promise<Fixtures> {
  const fixtures = await createAgsFixtures(app.baseUrl, SCORE_USERS * 4);
  const root = await ApiClient.signIn(app.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
  const organizationId = (await root.get('/api/v1/organizations')).body.items[0].id;
  const accounts = await mapWithConcurrency(range(STORM_USERS), 4, async (i) => {
    const email = `bench-sign-in-${i}@example.com`;
    const created = await root.post('/api/v1/users', {
      email,
      name: `Signer ${i}`,
      password: PASSWORD,
      organizationId,
    });
    if (created.status !== 201) throw new Error(`creating ${email}: ${created.status} ${created.text}`);
    return email;
  });
  return { ...fixtures, accounts };
}

async function main({ app, fixtures, meter }: BenchRun<Fixtures>): Promise<void> {
  const token = await requestToken(fixtures.tool, fixtures.tokenUrl, [AGS_SCOPES.score]);
  await phase(app, fixtures, token, meter, null); // warm-up
  const quiet = await phase(app, fixtures, token, meter, null);
  const storm = await phase(app, fixtures, token, meter, (user) => ({
    email: fixtures.accounts[user],
    password: PASSWORD,
  }));
  const attack = await phase(app, fixtures, token, meter, (user, n) => ({
    email: fixtures.accounts[user % 3],
    password: `guess-${user}-${n}`,
  }));
  print();
  print(`score posts, alone              : ${scoreLine(quiet)}`);
  print(`score posts, right sign-ins     : ${scoreLine(storm)}`);
  print(`score posts, wrong-password storm: ${scoreLine(attack)}`);
  print(`right sign-ins (${STORM_USERS} at once)  : ${signInLine(storm)}`);
  print(`wrong passwords (${STORM_USERS} at once) : ${signInLine(attack)}`);
  print(`cpu, alone       : ${cpuLine(quiet.use, quiet.scores.completed, 'score post', app.inProcess)}`);
  print(`cpu, sign-ins    : ${cpuLine(storm.use, storm.scores.completed, 'score post', app.inProcess)}`);
  print(`cpu, wrong storm : ${cpuLine(attack.use, attack.scores.completed, 'score post', app.inProcess)}`);
  for (const p of [quiet, storm, attack]) if (p.scores.firstFailure) print(`first failure: ${p.scores.firstFailure}`);
  const wrongSignIns = [...(storm.signIns?.byStatus ?? [])].filter(([status]) => status !== 201);
  if (wrongSignIns.length > 0) print(`right sign-ins not answered 201: ${JSON.stringify(wrongSignIns)}`);
  const failed = quiet.scores.failures + storm.scores.failures + attack.scores.failures;
  if (failed > 0 || wrongSignIns.length > 0) process.exitCode = 1;
}

/** Score posts for SECONDS, with STORM_USERS signing in meanwhile when `credentials` is given. */
async function phase(
  app: BenchApp,
  fixtures: Fixtures,
  token: string,
  meter: ResourceMeter,
  credentials: ((user: number, n: number) => { email: string; password: string }) | null,
): Promise<Phase> {
  const start = await meter.snapshot();
  const storm = credentials ? signInLoop(app, credentials) : null;
  const posting = await postScores(app, fixtures, token);
  const signIns = storm ? await storm.stop() : null;
  return { ...posting, signIns, use: await meter.since(start) };
}

async function postScores(app: BenchApp, fixtures: Fixtures, token: string) {
  const client = new BenchHttpClient(app.baseUrl, SCORE_USERS);
  const path = `${new URL(fixtures.lineItemUrl).pathname}/scores`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': AGS_MEDIA_TYPES.score };
  const latencies: number[] = [];
  const turns = range(SCORE_USERS).map(() => 0);
  try {
    const scores = await runClosedLoop({
      users: SCORE_USERS,
      seconds: SECONDS,
      iteration: async (user) => {
        // Each virtual user posts for four learners of its own, one at a time, each timestamp later than the last.
        const learner = fixtures.learners[user * 4 + (turns[user]++ % 4)];
        const at = Math.max(Date.now(), (lastScoredAt.get(learner.userId) ?? 0) + 1);
        lastScoredAt.set(learner.userId, at);
        const body = JSON.stringify({
          userId: learner.userId,
          scoreGiven: at % 101,
          scoreMaximum: 100,
          activityProgress: 'Completed',
          gradingProgress: 'FullyGraded',
          timestamp: new Date(at).toISOString(),
        });
        const started = performance.now();
        const answer = await client.post(path, headers, body);
        latencies.push(performance.now() - started);
        return answer.status === 204 ? null : `a score post answered ${answer.status}: ${answer.body.slice(0, 200)}`;
      },
    });
    return { scores, scoreLatencies: latencies.sort((a, b) => a - b) };
  } finally {
    client.close();
  }
}

/** STORM_USERS sign-in loops until stopped; answers counted by status. */
function signInLoop(app: BenchApp, credentials: (user: number, n: number) => { email: string; password: string }) {
  const client = new BenchHttpClient(app.baseUrl, STORM_USERS);
  const byStatus = new Map<number, number>();
  const latencies: number[] = [];
  let stopping = false;
  const loops = range(STORM_USERS).map(async (user) => {
    for (let n = 0; !stopping; n++) {
      const started = performance.now();
      const answer = await client.post(
        '/api/v1/auth/token',
        { 'content-type': 'application/json' },
        JSON.stringify(credentials(user, n)),
      );
      latencies.push(performance.now() - started);
      byStatus.set(answer.status, (byStatus.get(answer.status) ?? 0) + 1);
    }
  });
  return {
    stop: async () => {
      stopping = true;
      await Promise.all(loops);
      client.close();
      return { byStatus, latencies: latencies.sort((a, b) => a - b) };
    },
  };
}

function scoreLine(p: Phase): string {
  const l = p.scoreLatencies;
  return (
    `${formatNumber(p.scores.perSecond).padStart(5)}/s  p50 ${formatMs(percentile(l, 50))}  ` +
    `p95 ${formatMs(percentile(l, 95))}  p99 ${formatMs(percentile(l, 99))}  errors ${p.scores.failures}`
  );
}

function signInLine(p: Phase): string {
  if (!p.signIns) return 'none';
  const { byStatus, latencies } = p.signIns;
  const answers = [...byStatus].map(([status, n]) => `${n}× ${status}`).join(', ');
  return (
    `${formatNumber(latencies.length / SECONDS)}/s (${answers})  ` +
    `p50 ${formatMs(percentile(latencies, 50))}  p95 ${formatMs(percentile(latencies, 95))}`
  );
}

runBench({
  title: 'Sign-in storm',
  load: `${SCORE_USERS} score-posting tools, ${STORM_USERS} users signing in, ~${SECONDS} s per phase`,
  setUp,
  run: main,
});
