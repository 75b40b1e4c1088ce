import { createHash, createPublicKey } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { importSPKI, jwtVerify } from 'jose';
import { AGS_MEDIA_TYPES } from '../libs/lti/src/lti1p3/ags';
import { AGS_SCOPES } from '../libs/lti/src/lti1p3/lti-services';
import type { BenchApp } from './support/app-host';
import { opsPerSecondAsync } from './support/bare';
import { AgsFixtures, AgsLearner, createAgsFixtures } from './support/ags-fixtures';
import { ClosedLoopResult, percentile, runClosedLoop, timeClosedLoop } from './support/closed-loop';
import { floorLine, measureFloor } from './support/floor';
import { measureTokenFloor } from './support/token-floor';
import { BenchRun, print, runBench } from './support/harness';
import { mapWithConcurrency, range } from './support/lti1p1-fixtures';
import { BenchHttpClient } from './support/lti1p3-launch';
import { grantedToken, requestToken, signClientAssertion, tokenRequestForm } from './support/lti1p3-services';
import { cpuLine, formatMs, formatNumber, readNumber } from './support/report';
import { ResourceMeter, ResourceUse } from './support/resources';

/**
 * LTI Advantage Assignment and Grade Services throughput: token requests at the token endpoint
 * (client credentials with a JWT client assertion) and score publishes to a line item, over HTTP
 * against the real app on PostgreSQL, next to the bare cost of verifying a client assertion, in the
 * same run. It prints figures and asserts nothing about time; it fails only when a request goes
 * wrong (no token granted, a score not answered 204) or when the rows written do not match the
 * requests answered: a token and a used jti per token, an applied or unchanged score_ledger row
 * per acknowledged score, and each learner's lti1p3_results row at their last acknowledged score.
 *
 * The tool is not there: the load generator plays its part with a key whose public half the
 * provider registers. A client assertion is good for one token request (its jti), so every token
 * request has its own, signed before the run that sends it: signing is the tool's work, and its
 * rate is printed apart. Score posts come from virtual users that each speak for learners of their
 * own, in turn, with a timestamp later than that learner's previous one, as a tool posts one
 * learner's scores in order; different learners' posts run in parallel (the platform serializes
 * one learner's with a row lock).
 *
 *   npm run bench:ags                      the app in a child process of its own
 *   npm run bench:ags -- --in-process      the app sharing this process with the load generator
 *
 * Beside the scores it prints their floor measured in the same run on the same database
 * (support/floor.ts: the minimal transaction with plain pg, plus the bearer token's hash, at the
 * same concurrency) and the app's rate as a share of it; beside the tokens, verifying with the key
 * imported once (what the app does: ToolKeys keeps parsed keys), the token floor
 * (support/token-floor.ts: that verification plus the token request's transaction with plain pg),
 * and the app's least answer (GET /health: no database, no crypto, the same load generator and
 * connections): no request the app answers goes faster, the token request included.
 *
 * BENCH_SECONDS (10), BENCH_CONNECTIONS (10: virtual users, each one request at a time; for score
 * posts at most one per learner), BENCH_LEARNERS (50), BENCH_ITERATIONS (2000 bare verifications
 * per round) tune it; BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the app's process there.
 * DATABASE_URL, when set, names the PostgreSQL server to use instead of an embedded one.
 */
const SECONDS = readNumber('BENCH_SECONDS', 10);
const USERS = readNumber('BENCH_CONNECTIONS', 10);
const LEARNERS = readNumber('BENCH_LEARNERS', 50);
const ITERATIONS = readNumber('BENCH_ITERATIONS', 2_000);
const WARMUP_SECONDS = 3;
/** Client assertions signed for the token warm-up, which ends early when they run out. */
const WARMUP_ASSERTIONS = USERS * 100;
const SCORE_USERS = Math.min(USERS, LEARNERS);
/** What a grading tool asks for at once (AGS 2.0 §3.1). */
const TOKEN_SCOPES = [AGS_SCOPES.lineItem, AGS_SCOPES.resultReadOnly, AGS_SCOPES.score];

interface PhaseFigures {
  readonly loop: ClosedLoopResult;
  readonly use: ResourceUse;
  /** Milliseconds of each request of the measured run that did its job, ascending. */
  readonly latencies: number[];
  /** Rows added during the measured run, by table or decision. */
  readonly added: ReadonlyMap<string, number>;
}

interface TokenFigures extends PhaseFigures {
  readonly signed: number;
  /** Client assertions signed per second before the measured run, USERS in flight. */
  readonly signingPerSecond: number;
}

/** What the tool side knows of a learner: how many scores it posted, and the last one acknowledged. */
interface LearnerState {
  readonly learner: AgsLearner;
  posts: number;
  acknowledged: { readonly at: number; readonly scoreGiven: number } | null;
}

async function main({ app, fixtures, setupSeconds, meter }: BenchRun<AgsFixtures>): Promise<void> {
  const tokens = await tokenPhase(app, fixtures, meter);
  const learners = fixtures.learners.map((learner): LearnerState => ({ learner, posts: 0, acknowledged: null }));
  const scores = await scorePhase(app, fixtures, meter, learners);
  const results = await checkResults(app, fixtures, learners);
  const verifying = await bareVerifying(fixtures, false);
  const verifyingCached = await bareVerifying(fixtures, true);
  // After the checks: the floor writes ledger entries of its own. A score's crypto is the hash of its bearer token.
  const bearer = 'a'.repeat(43);
  const floor = await measureFloor({
    databaseUrl: app.databaseUrl,
    connections: SCORE_USERS,
    seconds: SECONDS,
    record: 'score',
    crypto: () => createHash('sha256').update(bearer).digest('hex'),
  });
  // The least a token request must do: the assertion verified with the key imported once, its jti and the token stored.
  const tokenFloor = await measureTokenFloor({
    databaseUrl: app.databaseUrl,
    connections: USERS,
    seconds: SECONDS,
    clientId: fixtures.tool.clientId,
    verify: await assertionVerifier(fixtures, true),
  });
  const least = await leastAnswer(app);
  const logs = (await app.logs()).filter((line) => /"level":(40|50|60)/.test(line));

  const added = (phase: PhaseFigures, name: string) => phase.added.get(name) ?? 0;
  const mismatch = (n: number, expected: number) => (n === expected ? '' : '  <- MISMATCH');
  const acknowledged = scores.loop.completed;
  const stored = added(scores, 'applied') + added(scores, 'unchanged');
  print();
  print(
    `tokens       : ${phaseLine(tokens, 'tokens')}` +
      `  | bare verifying ${formatNumber(verifying)} ops/s (${formatNumber(verifying / tokens.loop.perSecond)}× the token rate)`,
  );
  print(
    `  bare verifying with the key imported once: ${formatNumber(verifyingCached)} ops/s ` +
      `(the token rate is ${Math.round((tokens.loop.perSecond / verifyingCached) * 100)}% of it)`,
  );
  print(`token floor  : ${floorLine(tokenFloor, tokens.loop.perSecond, percentile(tokens.latencies, 99), 'tokens')}`);
  print(
    `  the app's least answer (GET /health): ${formatNumber(least.perSecond)} req/s, p99 ${formatMs(least.p99)}; ` +
      `the token rate is ${Math.round((tokens.loop.perSecond / least.perSecond) * 100)}% of it, and it is ` +
      `${Math.round((least.perSecond / verifyingCached) * 100)}% of bare verifying with the key imported once`,
  );
  print(`scores       : ${phaseLine(scores, 'scores')}`);
  print(`floor        : ${floorLine(floor, scores.loop.perSecond, percentile(scores.latencies, 99), 'scores')}`);
  print();
  print(
    `tokens issued ${tokens.loop.completed}; lti1p3_access_tokens rows added ${added(tokens, 'tokens')}` +
      `${mismatch(added(tokens, 'tokens'), tokens.loop.completed)}, jti rows (oauth_nonces) added ` +
      `${added(tokens, 'jtis')}${mismatch(added(tokens, 'jtis'), tokens.loop.completed)}`,
  );
  print(
    `scores acknowledged ${acknowledged}, stored ${stored} ` +
      `(score_ledger: applied ${added(scores, 'applied')}, unchanged ${added(scores, 'unchanged')}, ` +
      `rejected ${added(scores, 'rejected')}, preview ${added(scores, 'preview')})${mismatch(stored, acknowledged)}`,
  );
  print(
    `lti1p3_results at the last acknowledged score (scored_at = its timestamp, score_given): ` +
      `${results.matching} of ${LEARNERS} learners${mismatch(results.matching, LEARNERS)}`,
  );
  print(
    `client assertions: ${tokens.signed} signed before the measured run (${tokens.loop.completed + tokens.loop.failures} ` +
      `used), ${formatNumber(tokens.signingPerSecond)}/s ` +
      `${USERS} in flight (jose SignJWT RS256, RSA 2048), outside the timings; bare verifying: importSPKI (once, or ` +
      `per assertion) and jwtVerify of one, median of 3 × ${ITERATIONS}`,
  );
  print(
    `set-up ${setupSeconds.toFixed(0)} s (${LEARNERS} learners with a self-paced assignment, one line item); ` +
      `warm-up ${WARMUP_SECONDS} s per phase; score posts from ${SCORE_USERS} virtual users, each for its own learners`,
  );
  print(`cpu, tokens : ${cpuLine(tokens.use, tokens.loop.completed, 'token request', app.inProcess)}`);
  print(`cpu, scores : ${cpuLine(scores.use, scores.loop.completed, 'score post', app.inProcess)}`);
  for (const phase of [tokens, scores]) {
    if (phase.loop.firstFailure) print(`first failure: ${phase.loop.firstFailure}`);
  }
  if (results.firstMismatch) print(`first result not at the last acknowledged score: ${results.firstMismatch}`);
  if (logs.length > 0) {
    print(`the app logged ${logs.length} warnings or errors, the first: ${logs[0].slice(0, 500)}`);
  }
  const rowsMatch =
    added(tokens, 'tokens') === tokens.loop.completed &&
    added(tokens, 'jtis') === tokens.loop.completed &&
    stored === acknowledged &&
    results.matching === LEARNERS;
  const failed = tokens.loop.failures + scores.loop.failures;
  if (failed > 0 || tokens.loop.completed === 0 || acknowledged === 0 || !rowsMatch) process.exitCode = 1;
}

/**
 * A warm-up of up to WARMUP_SECONDS, then a measured run of about SECONDS: USERS virtual users, each
 * sending token requests one after the other, every one with a client assertion of its own signed
 * beforehand. Both runs end with every request answered.
 */
async function tokenPhase(app: BenchApp, fixtures: AgsFixtures, meter: ResourceMeter): Promise<TokenFigures> {
  const path = new URL(fixtures.tokenUrl).pathname;
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  const latencies: number[] = [];
  let measuring = false;
  const run = async (forms: readonly string[], seconds?: number) => {
    // A fresh pool per run: no socket left idle past the server's keep-alive timeout gets reused.
    const client = new BenchHttpClient(app.baseUrl, USERS);
    let next = 0;
    try {
      return await runClosedLoop({
        users: USERS,
        seconds,
        iterations: forms.length,
        iteration: async () => {
          const form = forms[next++];
          const started = performance.now();
          const answer = await client.post(path, headers, form);
          const ms = performance.now() - started;
          const granted = grantedToken(answer.status, answer.body, TOKEN_SCOPES);
          if (!granted.ok) return granted.failure;
          if (measuring) latencies.push(ms);
          return null;
        },
      });
    } finally {
      client.close();
    }
  };
  const tally = async () => {
    const [row] = await app.query<{ tokens: number; jtis: number }>(
      `SELECT (SELECT count(*)::int FROM lti1p3_access_tokens WHERE provider_id = $1) AS tokens,
              (SELECT count(*)::int FROM oauth_nonces WHERE provider_id = $1 AND nonce LIKE 'jti:%') AS jtis`,
      [fixtures.providerId],
    );
    return new Map(Object.entries(row));
  };

  const warm = await run((await signForms(fixtures, WARMUP_ASSERTIONS)).forms, WARMUP_SECONDS);
  if (warm.failures > 0) throw new Error(`the warm-up failed ${warm.failures} times, first: ${warm.firstFailure}`);
  // Twice what the warm-up's rate needs (code on the path warms further): the run ends after SECONDS, or sooner
  // when the assertions run out.
  const signing = await signForms(fixtures, Math.max(USERS * 20, Math.round(warm.secondHalfPerSecond * SECONDS * 2)));
  const before = await tally();
  const start = await meter.snapshot();
  measuring = true;
  const loop = await run(signing.forms, SECONDS);
  measuring = false;
  const use = await meter.since(start);
  const after = await tally();
  latencies.sort((a, b) => a - b);
  return {
    loop,
    use,
    latencies,
    added: difference(before, after),
    signed: signing.forms.length,
    signingPerSecond: signing.perSecond,
  };
}

/**
 * The app's cheapest answer at the same load: GET /health (liveness: no database, no crypto, no
 * session), USERS in flight for SECONDS, after a second's warm-up. What any route of the app can reach.
 */
async function leastAnswer(app: BenchApp): Promise<{ perSecond: number; p99: number }> {
  const client = new BenchHttpClient(app.baseUrl, USERS);
  try {
    const loop = await timeClosedLoop({
      what: 'GET /health',
      users: USERS,
      warmUpSeconds: 1,
      seconds: SECONDS,
      iteration: async () => {
        const answer = await client.get('/health', {});
        return answer.status === 200 ? null : `GET /health answered ${answer.status}`;
      },
    });
    return { perSecond: loop.perSecond, p99: percentile(loop.latencies, 99) };
  } finally {
    client.close();
  }
}

/** `count` token request forms, each with a client assertion of its own, signed USERS at a time. */
async function signForms(fixtures: AgsFixtures, count: number): Promise<{ forms: string[]; perSecond: number }> {
  const started = performance.now();
  const forms = await mapWithConcurrency(range(count), USERS, async () =>
    tokenRequestForm(await signClientAssertion(fixtures.tool, fixtures.tokenUrl), TOKEN_SCOPES),
  );
  return { forms, perSecond: count / ((performance.now() - started) / 1000) };
}

/**
 * A warm-up, then a measured run of about SECONDS: SCORE_USERS virtual users, user u posting for
 * learners u, u + SCORE_USERS, … in turn, one post after the other, with one token (a tool keeps its
 * token for the hour it lasts). Each post's timestamp is a millisecond later than the learner's
 * previous one, so none is refused as stale and none waits for the same learner's other posts.
 */
async function scorePhase(
  app: BenchApp,
  fixtures: AgsFixtures,
  meter: ResourceMeter,
  learners: readonly LearnerState[],
): Promise<PhaseFigures> {
  const token = await requestToken(fixtures.tool, fixtures.tokenUrl, [AGS_SCOPES.score]);
  const path = `${new URL(fixtures.lineItemUrl).pathname}/scores`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': AGS_MEDIA_TYPES.score };
  const mine = range(SCORE_USERS).map((user) => learners.filter((_, i) => i % SCORE_USERS === user));
  const turn = range(SCORE_USERS).map(() => 0);
  const base = Date.now();
  const latencies: number[] = [];
  let measuring = false;
  const run = async (seconds: number) => {
    const client = new BenchHttpClient(app.baseUrl, SCORE_USERS);
    try {
      return await runClosedLoop({
        users: SCORE_USERS,
        seconds,
        iteration: async (user) => {
          const state = mine[user][turn[user]++ % mine[user].length];
          const n = ++state.posts;
          const score = { at: base + n, scoreGiven: (n * 37) % 101 };
          const body = JSON.stringify({
            userId: state.learner.userId,
            scoreGiven: score.scoreGiven,
            scoreMaximum: 100,
            activityProgress: 'Completed',
            gradingProgress: 'FullyGraded',
            timestamp: new Date(score.at).toISOString(),
          });
          const started = performance.now();
          const answer = await client.post(path, headers, body);
          const ms = performance.now() - started;
          if (answer.status !== 204) return `a score post answered ${answer.status}: ${answer.body.slice(0, 300)}`;
          state.acknowledged = score;
          if (measuring) latencies.push(ms);
          return null;
        },
      });
    } finally {
      client.close();
    }
  };
  const tally = async () => {
    const rows = await app.query<{ decision: string; n: number }>(
      `SELECT decision, count(*)::int AS n FROM score_ledger
        WHERE provider_id = $1 AND lti_version = '1.3' AND operation = 'score' GROUP BY 1`,
      [fixtures.providerId],
    );
    return new Map(rows.map((row) => [row.decision, row.n]));
  };

  const warm = await run(WARMUP_SECONDS);
  if (warm.failures > 0) throw new Error(`the warm-up failed ${warm.failures} times, first: ${warm.firstFailure}`);
  const before = await tally();
  const start = await meter.snapshot();
  measuring = true;
  const loop = await run(SECONDS);
  measuring = false;
  const use = await meter.since(start);
  const after = await tally();
  latencies.sort((a, b) => a - b);
  return { loop, use, latencies, added: difference(before, after) };
}

/** Learners whose stored result is their last acknowledged score (timestamp and score), warm-up included. */
async function checkResults(
  app: BenchApp,
  fixtures: AgsFixtures,
  learners: readonly LearnerState[],
): Promise<{ matching: number; firstMismatch: string | null }> {
  const rows = await app.query<{ enrollment_id: string; at: number; score_given: number }>(
    `SELECT r.enrollment_id, (extract(epoch FROM r.scored_at) * 1000)::float8 AS at, r.score_given::float8 AS score_given
       FROM lti1p3_results r JOIN lti1p3_line_items li ON li.id = r.line_item_id
      WHERE li.provider_id = $1`,
    [fixtures.providerId],
  );
  const stored = new Map(rows.map((row) => [row.enrollment_id, row]));
  let matching = 0;
  let firstMismatch: string | null = null;
  for (const { learner, acknowledged } of learners) {
    const row = stored.get(learner.enrollmentId);
    const same = acknowledged
      ? row?.at === acknowledged.at && row.score_given === acknowledged.scoreGiven
      : row === undefined;
    if (same) matching++;
    else {
      const storedText = row ? `${new Date(row.at).toISOString()} ${row.score_given}` : 'nothing';
      const ackText = acknowledged ? `${new Date(acknowledged.at).toISOString()} ${acknowledged.scoreGiven}` : 'none';
      firstMismatch ??= `enrollment ${learner.enrollmentId}: stored ${storedText}, last acknowledged ${ackText}`;
    }
  }
  return { matching, firstMismatch };
}

/**
 * What the app does for a client assertion's signature (ToolKeys.verify with a PEM): import the
 * registered key, then jose jwtVerify RS256 with the claim checks, one at a time over fresh
 * assertions (the app checks the jti against the database afterwards, which is not counted here).
 */
async function bareVerifying(fixtures: AgsFixtures, keyImportedOnce: boolean): Promise<number> {
  return opsPerSecondAsync(ITERATIONS, await assertionVerifier(fixtures, keyImportedOnce));
}

/** Verifies the i-th of 100 fresh client assertions as the app does, the key imported once or each time. */
async function assertionVerifier(
  fixtures: AgsFixtures,
  keyImportedOnce: boolean,
): Promise<(i: number) => Promise<void>> {
  const pem = String(createPublicKey(fixtures.tool.privateKey).export({ type: 'spki', format: 'pem' }));
  const imported = await importSPKI(pem, 'RS256');
  const assertions = await Promise.all(range(100).map(() => signClientAssertion(fixtures.tool, fixtures.tokenUrl)));
  const { clientId } = fixtures.tool;
  const verify = async (i: number) => {
    const key = keyImportedOnce ? imported : await importSPKI(pem, 'RS256');
    await jwtVerify(assertions[i % assertions.length], key, {
      issuer: clientId,
      subject: clientId,
      audience: fixtures.tokenUrl,
      algorithms: ['RS256'],
      clockTolerance: 60,
      maxTokenAge: '10m',
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti'],
    });
  };
  return verify;
}

function difference(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  return new Map([...after].map(([name, n]) => [name, n - (before.get(name) ?? 0)]));
}

function phaseLine(phase: PhaseFigures, unit: string): string {
  const { loop, latencies } = phase;
  return (
    `${formatNumber(loop.perSecond).padStart(6)} ${unit}/s (${loop.completed} in ${loop.seconds.toFixed(1)} s)` +
    `  p50 ${formatMs(percentile(latencies, 50))}  p95 ${formatMs(percentile(latencies, 95))}` +
    `  p99 ${formatMs(percentile(latencies, 99))}  errors ${loop.failures}`
  );
}

runBench({
  title: 'AGS',
  load: `${USERS} virtual users, ~${SECONDS} s per run, ${LEARNERS} learners`,
  setUp: (app) => createAgsFixtures(app.baseUrl, LEARNERS),
  run: main,
});
