import { generateKeyPair, randomInt } from 'node:crypto';
import { promisify } from 'node:util';
import { createLocalJWKSet, decodeJwt, JSONWebKeySet, jwtVerify, SignJWT } from 'jose';
import { LTI_CLAIM } from '../libs/lti/src/lti1p3/lti1p3-claims';
import type { BenchApp } from './support/app-host';
import { opsPerSecondAsync } from './support/bare';
import { ClosedLoopResult, percentile, runClosedLoop } from './support/closed-loop';
import { floorLine, measureFloor } from './support/floor';
import { BenchRun, print, runBench } from './support/harness';
import { createLti1p3Fixtures, Lti1p3Fixtures } from './support/lti1p3-fixtures';
import { BenchHttpClient, launchOnce } from './support/lti1p3-launch';
import { cpuLine, formatMs, formatNumber, readNumber } from './support/report';
import { ResourceMeter, ResourceUse } from './support/resources';

/**
 * LTI 1.3 throughput: complete launches (the launch page that initiates the OIDC login, then the
 * authorization endpoint that answers the signed id_token) over HTTP against the real app on
 * PostgreSQL, next to the bare cost of the RS256 signature each one needs, in the same run. It
 * prints figures and asserts nothing about time; it fails only when a launch goes wrong (non-200,
 * no id_token, the state not echoed, a sampled id_token that does not verify) or when the rows
 * written do not match the launches made.
 *
 * The tool is not there (its URLs point at a closed port): the load generator plays its part,
 * taking the login initiation's fields straight back to the authorization endpoint as a tool
 * would, with the learner's session cookie as the browser would send it.
 *
 *   npm run bench:lti1p3                      the app in a child process of its own
 *   npm run bench:lti1p3 -- --in-process      the app sharing this process with the load generator
 *
 * Beside the launches it prints their floor measured in the same run on the same database
 * (support/floor.ts: two minimal transactions with plain pg, one per hop, plus the RS256 signature,
 * at the same concurrency) and the app's rate as a share of it.
 *
 * BENCH_SECONDS (10), BENCH_CONNECTIONS (10: virtual users, each one launch at a time),
 * BENCH_LEARNERS (50), BENCH_ITERATIONS (2000 bare signatures per round) tune it;
 * BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the app's process there. DATABASE_URL, when set,
 * names the PostgreSQL server to use instead of an embedded one.
 */
const SECONDS = readNumber('BENCH_SECONDS', 10);
const USERS = readNumber('BENCH_CONNECTIONS', 10);
const LEARNERS = readNumber('BENCH_LEARNERS', 50);
const ITERATIONS = readNumber('BENCH_ITERATIONS', 2_000);
const WARMUP_SECONDS = 3;
/** id_tokens of the measured run verified afterwards against the JWKS, drawn at random. */
const VERIFIED_SAMPLE = 25;

interface SampledToken {
  readonly idToken: string;
  readonly nonce: string;
}

interface LaunchFigures {
  readonly loop: ClosedLoopResult;
  readonly use: ResourceUse;
  /** Milliseconds, ascending: the whole launch, hop 1 (launch page), hop 2 (authorization). */
  readonly total: number[];
  readonly login: number[];
  readonly authorize: number[];
  readonly sample: SampledToken[];
  /** Rows added during the measured run. */
  readonly added: { launches: number; hintsCreated: number; hintsConsumed: number };
}

async function main({ app, fixtures, setupSeconds, meter }: BenchRun<Lti1p3Fixtures>): Promise<void> {
  const launches = await launchPhase(app, fixtures, meter);
  const verification = await verifySample(app.baseUrl, fixtures, launches.sample);
  const hopQueries = await queriesPerHop(app, fixtures);
  const payload = barePayload(fixtures.firstIdToken);
  const sign = await idTokenSigning(payload);
  const signing = await opsPerSecondAsync(ITERATIONS, sign, { inFlight: 1 });
  const signingInFlight = await opsPerSecondAsync(ITERATIONS, sign, { inFlight: USERS });
  // After the tallies: the floor writes launch records of its own. Two transactions, one per hop.
  const floor = await measureFloor({
    databaseUrl: app.databaseUrl,
    connections: USERS,
    seconds: SECONDS,
    record: 'launch',
    transactions: 2,
    crypto: sign,
  });
  const logs = (await app.logs()).filter((line) => /"level":(40|50|60)/.test(line));

  const { loop, added } = launches;
  const errors = loop.failures + verification.failures;
  const mismatch = (n: number) => (n === loop.completed ? '' : '  <- MISMATCH');
  const hop = (values: number[]) => `p50 ${formatMs(percentile(values, 50))}  p95 ${formatMs(percentile(values, 95))}`;
  print();
  print(
    `launches     : ${formatNumber(loop.perSecond).padStart(6)} launches/s (${loop.completed} in ${loop.seconds.toFixed(1)} s)` +
      `  p50 ${formatMs(percentile(launches.total, 50))}  p95 ${formatMs(percentile(launches.total, 95))}` +
      `  p99 ${formatMs(percentile(launches.total, 99))}  errors ${errors}` +
      `  | bare RS256 signing ${formatNumber(signing)} ops/s (${formatNumber(signing / loop.perSecond)}× the launch rate)`,
  );
  print(`floor        : ${floorLine(floor, loop.perSecond, percentile(launches.total, 99), 'launches')}`);
  print(`  hop 1, launch page (login initiation)     : ${hop(launches.login)}`);
  print(`  hop 2, authorization (id_token form_post) : ${hop(launches.authorize)}`);
  print(
    `bare signing : ${formatNumber(signing)} ops/s one at a time, ${formatNumber(signingInFlight)} ops/s ` +
      `${USERS} in flight; jose SignJWT RS256, RSA 2048 (node:crypto), the payload of a real id_token ` +
      `(${payload.claims} claims, ${payload.leaves} with their members, ${payload.bytes} bytes as JSON)`,
  );
  print();
  print(
    `complete launches ${loop.completed}; lti_launches rows added ${added.launches}${mismatch(added.launches)}; ` +
      `hint rows created ${added.hintsCreated}${mismatch(added.hintsCreated)}, ` +
      `consumed ${added.hintsConsumed}${mismatch(added.hintsConsumed)}`,
  );
  print(
    `id_tokens verified against /.well-known/jwks.json: ${verification.verified} of ${launches.sample.length} sampled ` +
      `(signature, iss, aud, nonce, deployment_id, message_type, target_link_uri)`,
  );
  print(
    `set-up ${setupSeconds.toFixed(0)} s (${LEARNERS} learners created, signed in, launched once); ` +
      `warm-up ${WARMUP_SECONDS} s; bare figures: median of 3 × ${ITERATIONS} signatures`,
  );
  print(`cpu, launches : ${cpuLine(launches.use, loop.completed, 'launch', app.inProcess)}`);
  print(
    `SQL queries of one launch made alone after the run: hop 1 ${hopQueries.login}, hop 2 ${hopQueries.authorize} ` +
      `(BEGIN and COMMIT included)`,
  );
  if (loop.firstFailure) print(`first failure: ${loop.firstFailure}`);
  if (verification.firstFailure) print(`first id_token that did not verify: ${verification.firstFailure}`);
  if (logs.length > 0) {
    print(`the app logged ${logs.length} warnings or errors, the first: ${logs[0].slice(0, 500)}`);
  }
  const rowsMatch = [added.launches, added.hintsCreated, added.hintsConsumed].every((n) => n === loop.completed);
  if (errors > 0 || loop.completed === 0 || !rowsMatch) process.exitCode = 1;
}

/**
 * A warm-up, then a measured run of about SECONDS: USERS virtual users, each launching as the
 * learners in turn, one complete launch after the other. Both runs end with every launch answered.
 */
async function launchPhase(app: BenchApp, fixtures: Lti1p3Fixtures, meter: ResourceMeter): Promise<LaunchFigures> {
  const total: number[] = [];
  const login: number[] = [];
  const authorize: number[] = [];
  const sample: SampledToken[] = [];
  let measuring = false;
  let seen = 0;
  let next = 0;
  const run = async (seconds: number) => {
    // A fresh pool per run: no socket left idle past the server's keep-alive timeout gets reused.
    const client = new BenchHttpClient(app.baseUrl, USERS);
    try {
      return await runClosedLoop({
        users: USERS,
        seconds,
        iteration: async () => {
          const learner = fixtures.learners[next++ % fixtures.learners.length];
          const outcome = await launchOnce(client, {
            path: learner.launchPath,
            cookie: learner.cookie,
            redirectUri: fixtures.redirectUri,
          });
          if (!outcome.ok) return outcome.failure;
          if (measuring) {
            total.push(outcome.totalMs);
            login.push(outcome.loginMs);
            authorize.push(outcome.authorizeMs);
            // Reservoir sampling: every launch of the run equally likely to be verified.
            const token = { idToken: outcome.idToken, nonce: outcome.nonce };
            if (seen++ < VERIFIED_SAMPLE) sample.push(token);
            else {
              const slot = randomInt(seen);
              if (slot < VERIFIED_SAMPLE) sample[slot] = token;
            }
          }
          return null;
        },
      });
    } finally {
      client.close();
    }
  };
  const tally = async () => {
    const [row] = await app.query<{ launches: number; created: number; consumed: number }>(
      `SELECT (SELECT count(*)::int FROM lti_launches WHERE lti_version = '1.3') AS launches,
              count(*)::int AS created, count(consumed_at)::int AS consumed
         FROM lti1p3_message_hints`,
    );
    return row;
  };

  const warm = await run(WARMUP_SECONDS);
  if (warm.failures > 0) {
    throw new Error(`the warm-up failed ${warm.failures} times, first: ${warm.firstFailure}`);
  }
  const before = await tally();
  const start = await meter.snapshot();
  measuring = true;
  const loop = await run(SECONDS);
  measuring = false;
  const use = await meter.since(start);
  const after = await tally();
  for (const values of [total, login, authorize]) values.sort((a, b) => a - b);
  return {
    loop,
    use,
    total,
    login,
    authorize,
    sample,
    added: {
      launches: after.launches - before.launches,
      hintsCreated: after.created - before.created,
      hintsConsumed: after.consumed - before.consumed,
    },
  };
}

/** The app's queries for each hop of one launch, made when nothing else runs (after the measured run). */
async function queriesPerHop(
  app: BenchApp,
  fixtures: Lti1p3Fixtures,
): Promise<{ login: number | string; authorize: number | string }> {
  // A cluster's queries are not counted.
  if ((await app.stats()).queries === null) return { login: 'n/a', authorize: 'n/a' };
  const client = new BenchHttpClient(app.baseUrl, 1);
  try {
    const learner = fixtures.learners[0];
    const counts = [(await app.stats()).queries];
    const outcome = await launchOnce(
      client,
      { path: learner.launchPath, cookie: learner.cookie, redirectUri: fixtures.redirectUri },
      async () => void counts.push((await app.stats()).queries),
    );
    if (!outcome.ok) throw new Error(`the launch made alone failed: ${outcome.failure}`);
    counts.push((await app.stats()).queries);
    const [before, between, after] = counts as number[];
    return { login: between - before, authorize: after - between };
  } finally {
    client.close();
  }
}

/** What a tool checks of an id_token (LTI Security 1.0 §5.1.3), outside the timed run. */
async function verifySample(
  baseUrl: string,
  fixtures: Lti1p3Fixtures,
  sample: readonly SampledToken[],
): Promise<{ verified: number; failures: number; firstFailure: string | null }> {
  const response = await fetch(`${baseUrl}/.well-known/jwks.json`);
  if (!response.ok) throw new Error(`the JWKS answered ${response.status}`);
  const jwks = createLocalJWKSet((await response.json()) as JSONWebKeySet);
  let verified = 0;
  let firstFailure: string | null = null;
  for (const { idToken, nonce } of sample) {
    try {
      const { payload } = await jwtVerify(idToken, jwks, {
        issuer: fixtures.issuer,
        audience: fixtures.clientId,
        algorithms: ['RS256'],
        requiredClaims: ['sub', 'iat', 'exp', 'nonce'],
      });
      const expected: Record<string, unknown> = {
        nonce,
        [LTI_CLAIM.deploymentId]: fixtures.deploymentId,
        [LTI_CLAIM.messageType]: 'LtiResourceLinkRequest',
        [LTI_CLAIM.version]: '1.3.0',
        [LTI_CLAIM.targetLinkUri]: fixtures.redirectUri,
      };
      const wrong = Object.keys(expected).filter((claim) => payload[claim] !== expected[claim]);
      if (wrong.length > 0) throw new Error(`unexpected ${wrong.join(', ')}`);
      verified++;
    } catch (error) {
      firstFailure ??= error instanceof Error ? error.message : String(error);
    }
  }
  return { verified, failures: sample.length - verified, firstFailure };
}

/** The claims of a real id_token, to sign the same payload bare; iat and exp are set per signature. */
function barePayload(idToken: string): {
  claims: number;
  leaves: number;
  bytes: number;
  payload: Record<string, unknown>;
} {
  const claims = decodeJwt(idToken);
  const { iat: _iat, exp: _exp, ...payload } = claims;
  const leaves = (value: unknown): number =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.values(value).reduce<number>((sum, member) => sum + leaves(member), 0)
      : 1;
  return {
    claims: Object.keys(claims).length,
    leaves: leaves(claims),
    bytes: Buffer.byteLength(JSON.stringify(claims)),
    payload,
  };
}

/**
 * What the app does for an id_token's signature (PlatformKeysService.signJwt): jose SignJWT with a
 * kid, iat and exp, RS256 with a 2048-bit KeyObject (WebCrypto underneath: each signature runs on
 * the libuv thread pool).
 */
async function idTokenSigning(bare: { payload: Record<string, unknown> }): Promise<() => Promise<string>> {
  const { publicKey, privateKey } = await promisify(generateKeyPair)('rsa', {
    modulusLength: 2048,
    publicExponent: 0x10001,
  });
  const sign = () => {
    const now = Math.floor(Date.now() / 1000);
    // The app puts exp in the payload itself (the lti1p1 claim may be signed over it), then sets it.
    return new SignJWT({ ...bare.payload, exp: now + 300 })
      .setProtectedHeader({ alg: 'RS256', kid: 'bench', typ: 'JWT' })
      .setIssuedAt(now - 5)
      .setExpirationTime(now + 300)
      .sign(privateKey);
  };
  // The bare work must be the real work: a token a tool would accept.
  await jwtVerify(await sign(), publicKey, { algorithms: ['RS256'] });
  return sign;
}

runBench({
  title: 'LTI 1.3',
  load: `${USERS} virtual users, ~${SECONDS} s run, ${LEARNERS} learners`,
  setUp: (app) => createLti1p3Fixtures(app.baseUrl, LEARNERS),
  run: main,
});
