import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { ApiClient } from '../test/support/api-client';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../test/support/test-app';
import type { BenchApp } from './support/app-host';
import { percentile, runClosedLoop } from './support/closed-loop';
import { BenchRun, print, runBench } from './support/harness';
import { createSelfPacedLearner, expectCreated } from './support/lti1p1-fixtures';
import { BenchHttpClient } from './support/lti1p3-launch';
import { formatMs, formatNumber, readNumber } from './support/report';

/**
 * Flat at scale: the read paths that grow with the data (admin lists, a class roster, a course
 * report, My learning, the score ledger) measured on a small data set, then again on the same
 * entities once the large set is seeded beside it, in one run; it prints each path's p95 at both
 * sizes and the ratio, the rows each answer carried, and the app's peak memory. Both sets come from
 * scripts/scale-seed.sql (psql must be on the PATH): the small one at BENCH_SMALL_SCALE (0.02,
 * tagged "small"; enough rows that every list fills its page of 10 at both sizes), the large one at BENCH_SCALE (1: 10,000 organizations, 200,000 people,
 * 1,000,000 enrollments, 3,000,000 progress rows, 2,000,000 launches and ledger entries; several
 * minutes and a few GB of disk) tagged "large". It asserts nothing about time; it fails when a
 * request does not answer 200.
 *
 *   npm run bench:scale
 *   BENCH_SCALE=0.1 npm run bench:scale      a tenth of the large set
 *
 * BENCH_SECONDS (5 per path and size), BENCH_CONNECTIONS (10) tune it.
 */
const SECONDS = readNumber('BENCH_SECONDS', 5);
const CONNECTIONS = readNumber('BENCH_CONNECTIONS', 10);
const SMALL_SCALE = readNumber('BENCH_SMALL_SCALE', 0.02);
const LARGE_SCALE = readNumber('BENCH_SCALE', 1);
const SEED = join(__dirname, '..', 'scripts', 'scale-seed.sql');
const LEARNER_PASSWORD = 'a-long-bench-password';

interface ScalePath {
  readonly name: string;
  readonly path: string;
  readonly token: string;
}

interface ScaleFixtures {
  readonly paths: readonly ScalePath[];
  readonly smallSeedSeconds: number;
  readonly rosterSize: number;
}

interface PathFigures {
  readonly p95: number;
  readonly perSecond: number;
  readonly bytes: number;
}

/**
 * Seeds a set with psql, then makes the bootstrap administrator site administrator of its
 * top-level organization: the admin lists, rosters and reports then cover the whole set.
 */
async function seed(app: BenchApp, scale: number, tag: string): Promise<number> {
  const started = performance.now();
  await promisify(execFile)('psql', [app.databaseUrl, '-q', '-v', `scale=${scale}`, '-v', `tag=${tag}`, '-f', SEED], {
    maxBuffer: 1 << 20,
  });
  await app.query(
    `INSERT INTO memberships (user_id, organization_id, role)
     SELECT u.id, o.id, 'site_admin' FROM users u, organizations o
      WHERE lower(u.email) = lower($1) AND o.name = $2 AND o.parent_id IS NULL`,
    [ADMIN_EMAIL, `Data set ${tag}`],
  );
  return (performance.now() - started) / 1000;
}

/** The small set, and the entities of it every path reads at both sizes. */
async function setUp(app: BenchApp): Promise<ScaleFixtures> {
  const smallSeedSeconds = await seed(app, SMALL_SCALE, 'small');
  const [entities] = await app.query<{ class_id: string; course_id: string; organization_id: string; n: number }>(
    `SELECT k.id AS class_id, k.course_id, k.organization_id,
            (SELECT count(*)::int FROM enrollments e WHERE e.class_id = k.id) AS n
       FROM classes k WHERE k.title = 'small class 0'`,
  );
  const root = await ApiClient.signIn(app.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
  const email = 'bench-scale-learner@example.com';
  await createSelfPacedLearner(root, {
    email,
    name: 'Scale learner',
    password: LEARNER_PASSWORD,
    organizationId: entities.organization_id,
    courseId: entities.course_id,
  });
  const learner = await ApiClient.signIn(app.baseUrl, email, LEARNER_PASSWORD);
  await expectCreated(root.get('/api/v1/organizations'), 200);
  const admin = root.token!;
  return {
    smallSeedSeconds,
    rosterSize: entities.n,
    paths: [
      { name: 'admin provider list', path: '/api/v1/lti/providers?limit=10', token: admin },
      { name: 'admin link list', path: '/api/v1/lti/resource-links?limit=10', token: admin },
      { name: 'admin organizations', path: '/api/v1/organizations?limit=10', token: admin },
      { name: 'admin people list', path: '/api/v1/users?limit=10', token: admin },
      { name: 'score ledger', path: '/api/v1/score-ledger?limit=10', token: admin },
      { name: 'class roster', path: `/api/v1/classes/${entities.class_id}/enrollments`, token: admin },
      { name: 'course report', path: `/api/v1/courses/${entities.course_id}/progress`, token: admin },
      { name: 'My learning', path: '/api/v1/me/learning', token: learner.token! },
    ],
  };
}

async function measure(app: BenchApp, path: ScalePath): Promise<PathFigures> {
  const client = new BenchHttpClient(app.baseUrl, CONNECTIONS);
  const latencies: number[] = [];
  let bytes = 0;
  try {
    const headers = { authorization: `Bearer ${path.token}` };
    const iteration = async () => {
      const started = performance.now();
      const answer = await client.get(path.path, headers);
      latencies.push(performance.now() - started);
      bytes = Buffer.byteLength(answer.body);
      return answer.status === 200 ? null : `${path.name} answered ${answer.status}: ${answer.body.slice(0, 300)}`;
    };
    await runClosedLoop({ users: CONNECTIONS, seconds: 1, iteration });
    latencies.length = 0;
    const loop = await runClosedLoop({ users: CONNECTIONS, seconds: SECONDS, iteration });
    if (loop.failures > 0) throw new Error(`${path.name} failed ${loop.failures} times: ${loop.firstFailure}`);
    latencies.sort((a, b) => a - b);
    return { p95: percentile(latencies, 95), perSecond: loop.perSecond, bytes };
  } finally {
    client.close();
  }
}

/** Peak resident memory of the app's process (VmHWM), in MB; null when not on Linux. */
function peakRssMb(pid: number): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

async function main({ app, fixtures, setupSeconds }: BenchRun<ScaleFixtures>): Promise<void> {
  const small = new Map<string, PathFigures>();
  for (const path of fixtures.paths) small.set(path.name, await measure(app, path));
  const smallRss = peakRssMb(app.pid);
  const [sizeSmall] = await app.query<{ enrollments: number }>('SELECT count(*)::int AS enrollments FROM enrollments');
  const largeSeedSeconds = await seed(app, LARGE_SCALE, 'large');
  // Let PostgreSQL settle after the bulk load (the seed analyzes already): visibility map, dirty pages.
  await app.query('VACUUM');
  await app.query('CHECKPOINT');
  const [counts] = await app.query<Record<string, number>>(
    `SELECT (SELECT count(*)::int FROM organizations) AS organizations, (SELECT count(*)::int FROM users) AS people,
            (SELECT count(*)::int FROM lti_providers) AS providers, (SELECT count(*)::int FROM lti_resource_links) AS links,
            (SELECT count(*)::int FROM enrollments) AS enrollments, (SELECT count(*)::int FROM activity_progress) AS progress,
            (SELECT count(*)::int FROM lti_launches) AS launches, (SELECT count(*)::int FROM score_ledger) AS ledger`,
  );
  const large = new Map<string, PathFigures>();
  for (const path of fixtures.paths) large.set(path.name, await measure(app, path));

  print();
  print(
    `small set: scale ${SMALL_SCALE}, ${sizeSmall.enrollments} enrollments, seeded in ${fixtures.smallSeedSeconds.toFixed(1)} s ` +
      `(set-up ${setupSeconds.toFixed(0)} s); large set: scale ${LARGE_SCALE} beside it, seeded in ${largeSeedSeconds.toFixed(0)} s`,
  );
  print(
    `large database: ${Object.entries(counts)
      .map(([name, n]) => `${name} ${formatNumber(n)}`)
      .join(', ')}`,
  );
  print(
    `measured roster and report: class of ${fixtures.rosterSize} learners; ${CONNECTIONS} connections, ${SECONDS} s per path and size`,
  );
  print();
  print(
    `${'path'.padEnd(22)} ${'small p95'.padStart(10)} ${'large p95'.padStart(10)}  ratio   req/s small → large   bytes`,
  );
  let worst = 0;
  for (const path of fixtures.paths) {
    const s = small.get(path.name)!;
    const l = large.get(path.name)!;
    const ratio = l.p95 / Math.max(0.01, s.p95);
    worst = Math.max(worst, ratio);
    print(
      `${path.name.padEnd(22)} ${formatMs(s.p95).padStart(10)} ${formatMs(l.p95).padStart(10)}  ${ratio.toFixed(2).padStart(5)}×` +
        `  ${formatNumber(s.perSecond).padStart(6)} → ${formatNumber(l.perSecond).padEnd(6)}  ${s.bytes} → ${l.bytes}`,
    );
  }
  print();
  print(
    `worst ratio ${worst.toFixed(2)}×; app peak RSS ${smallRss ?? 'n/a'} MB after the small set, ${peakRssMb(app.pid) ?? 'n/a'} MB at the end`,
  );
}

runBench({
  title: 'Scale',
  load: `${CONNECTIONS} connections, ~${SECONDS} s per path and size, large set at scale ${LARGE_SCALE}`,
  setUp,
  run: main,
});
