import {
  isOAuthSignatureValid,
  oauthBodyHash,
  OAuthRequest,
  parseOAuthAuthorizationHeader,
  signOAuthForm,
} from '../libs/lti/src/lti1p1/oauth1';
import type { BenchApp } from './support/app-host';
import { opsPerSecond } from './support/bare';
import { floorLine, measureFloor } from './support/floor';
import { BenchRun, print, runBench } from './support/harness';
import { LoadResult, runLoad } from './support/load';
import { createLti1p1Fixtures, Lti1p1Fixtures } from './support/lti1p1-fixtures';
import { OutcomeSigner, poxCodeMajor, poxDescription, replaceResultXml } from './support/outcome-request';
import { eventLoopOf, queriesPer } from './support/report';
import { ResourceMeter, ResourceUse } from './support/resources';

/**
 * LTI 1.1 throughput: full launches and Basic Outcomes replaceResult requests over HTTP against the
 * real app on PostgreSQL, next to the bare cost of the OAuth work each one does (signing a launch
 * form, verifying an outcomes request) in the same run. It prints figures and asserts nothing
 * about time; it fails only when a request goes wrong (non-2xx, an unsigned page, a POX failure).
 *
 *   npm run bench:lti1p1                      the app in a child process of its own
 *   npm run bench:lti1p1 -- --in-process      the app sharing this process with the load generator
 *
 * Beside each phase it prints the floor measured in the same run on the same database
 * (support/floor.ts: the path's minimal transaction with plain pg, plus its HMAC-SHA1 work, at the
 * same concurrency) and the app's rate as a share of it.
 *
 * BENCH_SECONDS (10), BENCH_CONNECTIONS (10), BENCH_LEARNERS (50), BENCH_ITERATIONS (20000) tune
 * it; BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the app's process there. DATABASE_URL, when
 * set, names the PostgreSQL server to use instead of an embedded one.
 */
const SECONDS = readNumber('BENCH_SECONDS', 10);
const CONNECTIONS = readNumber('BENCH_CONNECTIONS', 10);
const LEARNERS = readNumber('BENCH_LEARNERS', 50);
const ITERATIONS = readNumber('BENCH_ITERATIONS', 20_000);
const WARMUP_SECONDS = 3;

interface PhaseFigures {
  readonly load: LoadResult;
  readonly use: ResourceUse;
  /** Requests that did not do their job although they may have answered 2xx. */
  readonly failures: number;
  readonly firstFailure: string | null;
  /** Rows added during the measured run, by table or decision. */
  readonly added: ReadonlyMap<string, number>;
}

async function main({ app, fixtures, setupSeconds, meter }: BenchRun<Lti1p1Fixtures>): Promise<void> {
  const launches = await launchPhase(app, fixtures, meter);
  const [progress] = await app.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM activity_progress WHERE first_launched_at IS NOT NULL',
  );
  const outcomes = await outcomesPhase(app, fixtures, meter);
  const stored = (decision: string) => outcomes.added.get(decision) ?? 0;

  const sign = launchSigning(fixtures);
  const verify = outcomeVerifying(fixtures);
  const signing = opsPerSecond(ITERATIONS, sign);
  const verifying = opsPerSecond(ITERATIONS, verify);
  // After the phases' tallies: the floors write launch records and ledger entries of their own.
  const floor = { databaseUrl: app.databaseUrl, connections: CONNECTIONS, seconds: SECONDS };
  const launchFloor = await measureFloor({ ...floor, record: 'launch', crypto: sign });
  let verified = 0;
  const outcomesFloor = await measureFloor({ ...floor, record: 'score', crypto: () => verify(verified++) });
  const logs = (await app.logs()).filter((line) => /"level":(40|50|60)/.test(line));

  const ratio = (bare: number, http: number) => `${formatNumber(bare / http)}× the HTTP rate`;
  print();
  print(
    `launches     : ${phaseLine(launches.load)}  non-2xx ${launches.load.non2xx}  ` +
      `errors ${launches.load.errors + launches.failures}` +
      `  | bare signing   ${formatNumber(signing)} ops/s (${ratio(signing, launches.load.requestsPerSecond)})`,
  );
  print(
    `outcomes     : ${phaseLine(outcomes.load)}  non-2xx ${outcomes.load.non2xx}  ` +
      `not success ${outcomes.failures + outcomes.load.errors}` +
      `  | bare verifying ${formatNumber(verifying)} ops/s (${ratio(verifying, outcomes.load.requestsPerSecond)})`,
  );
  print(`floor, launches : ${floorLine(launchFloor, launches.load.requestsPerSecond, launches.load.p99)}`);
  print(`floor, outcomes : ${floorLine(outcomesFloor, outcomes.load.requestsPerSecond, outcomes.load.p99)}`);
  print();
  print(
    `launch pages ${launches.load.requests}, lti_launches rows added ${launches.added.get('lti_launches')}; ` +
      `progress rows with a first launch ${progress.n} (${LEARNERS} learners)`,
  );
  const acknowledged = outcomes.load.requests - outcomes.failures;
  const kept = stored('applied') + stored('unchanged');
  print(
    `scores acknowledged ${acknowledged}, stored ${kept} ` +
      `(score_ledger: applied ${stored('applied')}, unchanged ${stored('unchanged')}, rejected ${stored('rejected')})` +
      (kept === acknowledged ? '' : '  <- MISMATCH'),
  );
  print(
    `set-up ${setupSeconds.toFixed(0)} s (${LEARNERS} learners created, signed in, launched once); ` +
      `launch form ${Object.keys(fixtures.launchFields).length} fields, oauth_* included; ` +
      `bare figures: median of 3 × ${ITERATIONS} iterations`,
  );
  print(`cpu, launches : ${useLine(launches.use, launches.load, app.inProcess)}`);
  print(`cpu, outcomes : ${useLine(outcomes.use, outcomes.load, app.inProcess)}`);
  for (const phase of [launches, outcomes]) if (phase.firstFailure) print(`first failure: ${phase.firstFailure}`);
  if (logs.length > 0) {
    print(`the app logged ${logs.length} warnings or errors, the first: ${logs[0].slice(0, 500)}`);
  }
  const failed =
    launches.load.non2xx + launches.load.errors + launches.failures + outcomes.load.non2xx + outcomes.load.errors;
  if (failed + outcomes.failures > 0 || kept !== acknowledged) process.exitCode = 1;
}

interface PhaseSpec {
  build: () => { method: string; path: string; headers: Record<string, string>; body?: string };
  /** Null when the response did its job, else what went wrong. */
  check: (status: number, body: string) => string | null;
  /** Row counts whose growth during the measured run is reported. */
  tally: () => Promise<Map<string, number>>;
}

/** A warm-up, then a measured run of about SECONDS at the warm-up's (warm) rate. */
async function runPhase(app: BenchApp, meter: ResourceMeter, spec: PhaseSpec): Promise<PhaseFigures> {
  let failures = 0;
  let firstFailure: string | null = null;
  const options = {
    baseUrl: app.baseUrl,
    connections: CONNECTIONS,
    build: spec.build,
    check: (status: number, body: string) => {
      const failure = spec.check(status, body);
      if (failure === null) return;
      failures++;
      firstFailure ??= failure;
    },
  };
  const warm = await runLoad({ ...options, duration: WARMUP_SECONDS });
  if (failures > 0) throw new Error(`the warm-up failed ${failures} times, first: ${firstFailure}`);
  // The warm-up's last requests were abandoned in flight: let the app finish them first.
  const before = await settled(spec.tally);
  const start = await meter.snapshot();
  const load = await runLoad({
    ...options,
    amount: Math.max(CONNECTIONS * 20, Math.round(warm.secondHalfRequestsPerSecond * SECONDS)),
  });
  const use = await meter.since(start);
  const after = await spec.tally();
  const added = new Map([...after].map(([name, n]) => [name, n - (before.get(name) ?? 0)]));
  return { load, use, failures, firstFailure, added };
}

/** The tally once it stopped changing (for 300 ms; given up after 30 s). */
async function settled(tally: () => Promise<Map<string, number>>): Promise<Map<string, number>> {
  const same = (a: Map<string, number>, b: Map<string, number>) =>
    a.size === b.size && [...a].every(([name, n]) => b.get(name) === n);
  let last = await tally();
  for (let attempt = 0; attempt < 100; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = await tally();
    if (same(last, now)) return now;
    last = now;
  }
  throw new Error('the app kept writing after the warm-up');
}

/** GET the launch route as the learners, round robin, each with their session cookie. */
function launchPhase(app: BenchApp, fixtures: Lti1p1Fixtures, meter: ResourceMeter): Promise<PhaseFigures> {
  let next = 0;
  return runPhase(app, meter, {
    build: () => {
      const learner = fixtures.learners[next++ % fixtures.learners.length];
      return { method: 'GET', path: learner.launchPath, headers: { cookie: learner.cookie } };
    },
    check: (status, body) =>
      status === 200 && body.includes('name="oauth_signature"') && body.includes('name="lis_result_sourcedid"')
        ? null
        : `launch answered ${status}: ${body.slice(0, 300)}`,
    tally: async () => {
      const [row] = await app.query<{ n: number }>('SELECT count(*)::int AS n FROM lti_launches');
      return new Map([['lti_launches', row.n]]);
    },
  });
}

/**
 * POST replaceResult for the learners' sourcedids, round robin, each request signed on its own
 * (fresh nonce and timestamp) just before it is sent, with a score that differs from the last one.
 */
function outcomesPhase(app: BenchApp, fixtures: Lti1p1Fixtures, meter: ResourceMeter): Promise<PhaseFigures> {
  const signer = new OutcomeSigner(fixtures.consumerKey, fixtures.consumerSecret);
  const url = new URL(fixtures.outcomeServiceUrl);
  const path = `${url.pathname}${url.search}`;
  let next = 0;
  return runPhase(app, meter, {
    build: () => {
      const n = next++;
      const learner = fixtures.learners[n % fixtures.learners.length];
      const body = replaceResultXml(`bench-${n}`, learner.sourcedId, scoreFor(n));
      return {
        method: 'POST',
        path,
        headers: { 'content-type': 'application/xml', authorization: signer.authorization(url.href, body) },
        body,
      };
    },
    check: (status, body) => {
      const codeMajor = poxCodeMajor(body);
      return status === 200 && codeMajor === 'success'
        ? null
        : `outcomes answered ${status} ${codeMajor}: ${poxDescription(body) ?? body.slice(0, 300)}`;
    },
    tally: async () => {
      const rows = await app.query<{ decision: string; n: number }>(
        'SELECT decision, count(*)::int AS n FROM score_ledger GROUP BY 1',
      );
      return new Map(rows.map((row) => [row.decision, row.n]));
    },
  });
}

/** 0.000 to 1.000; a learner's next score (50 requests later with 50 learners) always differs. */
function scoreFor(n: number): string {
  return (((n * 37) % 1001) / 1000).toFixed(3);
}

/** What the app does for a launch's OAuth: sign the same fields (oauth_* aside) with signOAuthForm. */
function launchSigning(fixtures: Lti1p1Fixtures): () => unknown {
  const params = Object.fromEntries(
    Object.entries(fixtures.launchFields).filter(([name]) => !name.startsWith('oauth_')),
  );
  const credentials = { consumerKey: fixtures.consumerKey, consumerSecret: fixtures.consumerSecret };
  const sign = () =>
    signOAuthForm(fixtures.launchAction, params, credentials, { extra: { oauth_callback: 'about:blank' } });
  const sample = sign();
  const request: OAuthRequest = { method: 'POST', url: fixtures.launchAction, params: sample };
  if (!isOAuthSignatureValid(request, sample.oauth_signature, fixtures.consumerSecret)) {
    throw new Error('the bare signing does not verify');
  }
  return sign;
}

/**
 * What the app does for an outcomes request's OAuth: the body hash and the HMAC-SHA1 signature
 * (over pre-signed requests, each with its own nonce, like the ones sent over HTTP).
 */
function outcomeVerifying(fixtures: Lti1p1Fixtures): (n: number) => void {
  const signer = new OutcomeSigner(fixtures.consumerKey, fixtures.consumerSecret);
  const url = fixtures.outcomeServiceUrl;
  const requests = Array.from({ length: 1000 }, (_, n) => {
    const learner = fixtures.learners[n % fixtures.learners.length];
    const body = replaceResultXml(`bare-${n}`, learner.sourcedId, scoreFor(n));
    const params = parseOAuthAuthorizationHeader(signer.authorization(url, body))!;
    return { body: Buffer.from(body, 'utf8'), params, request: { method: 'POST', url, params } as OAuthRequest };
  });
  const verify = (n: number) => {
    const { body, params, request } = requests[n % requests.length];
    if (params.oauth_body_hash !== oauthBodyHash(body)) throw new Error('the bare body hash does not match');
    if (!isOAuthSignatureValid(request, params.oauth_signature, fixtures.consumerSecret)) {
      throw new Error('the bare signature does not verify');
    }
  };
  return verify;
}

function phaseLine(load: LoadResult): string {
  const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
  return (
    `${formatNumber(load.requestsPerSecond).padStart(6)} req/s (${load.requests} in ${load.seconds.toFixed(1)} s)` +
    `  p50 ${ms(load.p50)}  p95 ${ms(load.p95)}  p99 ${ms(load.p99)}`
  );
}

function useLine(use: ResourceUse, load: LoadResult, inProcess: boolean): string {
  const postgres = use.postgresCpu === null ? 'postgres n/a' : `postgres ${use.postgresCpu}%`;
  const other = use.otherCpu === null ? '' : `, other processes ${use.otherCpu}%`;
  const app = inProcess
    ? `app + load generator ${use.appCpu}% (${eventLoopOf(use)}), ${postgres}`
    : `app ${use.appCpu}% (${eventLoopOf(use)}), ${postgres}, load generator ${use.loadGeneratorCpu}%`;
  return `${app}${other} of one core; ${queriesPer(use, load.requests)} SQL queries per request`;
}

/** 41 000, 512, 80, 3.4 */
function formatNumber(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString('en-US').replace(/,/g, ' ');
  return value >= 10 ? value.toFixed(0) : value.toFixed(1);
}

function readNumber(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

runBench({
  title: 'LTI 1.1',
  load: `${CONNECTIONS} connections, ~${SECONDS} s per run, ${LEARNERS} learners`,
  setUp: (app) => createLti1p1Fixtures(app.baseUrl, LEARNERS),
  run: main,
});
