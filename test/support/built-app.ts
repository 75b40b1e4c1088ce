import { ChildProcess, spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createTestDatabase } from './test-database';
import { freePort, LogCapture, TestApp, testAppEnvironment } from './test-app';

const ROOT = join(__dirname, '..', '..');
/** What `npm start` runs after building. */
export const BUILT_MAIN = join(ROOT, 'dist', 'apps', 'tms', 'src', 'main.js');

/** The application as it ships, in a process of its own: what browser tests drive. */
export interface BuiltApp {
  readonly baseUrl: string;
  /** Every line the process wrote (JSON logs at debug level, and the start-up banner). */
  readonly logs: LogCapture;
  /** A connection of the test's own to the application's database. */
  readonly dataSource: DataSource;
  readonly process: ChildProcess;
  close(): Promise<void>;
}

/**
 * Starts the build (`dist/apps/tms/src/main.js`, as `npm start` does after `npm run build`; `npm test`
 * builds first) on a database of its own, configured like every test instance, and waits until it
 * serves. A build older than the sources would test something else than the code: that fails here.
 */
export async function startBuiltApp(env: Record<string, string> = {}): Promise<BuiltApp> {
  assertBuildIsCurrent();
  const database = await createTestDatabase();
  const port = await freePort();
  let started: Omit<BuiltApp, 'dataSource' | 'close'>;
  try {
    started = await spawnBuilt(port, testAppEnvironment(port, database.url, env));
  } catch (error) {
    await database.drop();
    throw error;
  }
  const dataSource = await new DataSource({ type: 'postgres', url: database.url }).initialize();
  return {
    ...started,
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await stopProcess(started.process);
      await database.drop();
    },
  };
}

/** Another instance beside a test app: the build, sharing nothing with it but the database. */
export interface SecondInstance {
  readonly baseUrl: string;
  readonly logs: LogCapture;
  /** Stops the process; the database stays `first`'s. */
  stop(): Promise<void>;
}

/**
 * The build in a process of its own on the same database and secret key as `first` (an in-process
 * test app), configured alike unless `env` says otherwise: what a second server behind a load
 * balancer is.
 */
export async function startSecondInstance(first: TestApp, env: Record<string, string> = {}): Promise<SecondInstance> {
  assertBuildIsCurrent();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const started = await spawnBuilt(port, { ...first.env, PORT: String(port), PUBLIC_URL: baseUrl, ...env });
  return { baseUrl, logs: started.logs, stop: async () => void (await stopProcess(started.process)) };
}

async function spawnBuilt(port: number, env: Record<string, string>): Promise<Omit<BuiltApp, 'dataSource' | 'close'>> {
  const logs = new LogCapture();
  const { DATABASE_URL: _inheritedDatabase, ...inherited } = process.env;
  const child = spawn(process.execPath, [BUILT_MAIN], {
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(logs);
  child.stderr!.pipe(logs);
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitUntilServing(baseUrl, child, logs);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { baseUrl, logs, process: child };
}

async function waitUntilServing(baseUrl: string, child: ChildProcess, logs: LogCapture): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the built application exited (${child.exitCode}):\n${logs.text}`);
    const status = await fetch(`${baseUrl}/health`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the built application did not serve within a minute:\n${logs.text}`);
}

export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill(signal);
  return exited;
}

function assertBuildIsCurrent(): void {
  const built = mtimeOf(BUILT_MAIN);
  if (built === 0) throw new Error(`${BUILT_MAIN} is missing: run npm run build (npm test does it first)`);
  const newest = Math.max(...['apps', 'libs', 'migrations'].map((dir) => newestSource(join(ROOT, dir))));
  if (newest > built)
    throw new Error('The build is older than the sources: run npm run build (npm test does it first)');
}

function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function newestSource(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (!entry.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** `npm start` on a fresh clone: the build on the embedded database in `dataDir`, nothing else configured. */
export interface EmbeddedStart {
  readonly child: ChildProcess;
  /** Everything printed so far, stdout and stderr in order of arrival. */
  readonly output: () => string;
}

export function embeddedEnvironment(dataDir: string, port: number, pgPort: number, env: Record<string, string> = {}) {
  // No DATABASE_URL and no key: the embedded default, exactly as on a fresh clone.
  const { DATABASE_URL: _database, TMS_SECRET_KEY: _key, ...inherited } = process.env;
  return { ...inherited, PORT: String(port), TMS_DATA_DIR: dataDir, TMS_EMBEDDED_PG_PORT: String(pgPort), ...env };
}

export function startOnEmbeddedDatabase(
  dataDir: string,
  port: number,
  pgPort: number,
  env: Record<string, string> = {},
): EmbeddedStart {
  const child = spawn(process.execPath, [BUILT_MAIN], {
    env: embeddedEnvironment(dataDir, port, pgPort, env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** Polls the sign-in page until it answers 200; the deadline is "under a minute". */
export async function waitForSignInPage(port: number, start: EmbeddedStart): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (start.child.exitCode !== null) throw new Error(`exited early:\n${start.output()}`);
    const status = await fetch(`http://127.0.0.1:${port}/login`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no sign-in page within a minute:\n${start.output()}`);
}
