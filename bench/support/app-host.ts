import { ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { EventLoopUtilization, performance } from 'node:perf_hooks';
import { startBuiltApp } from '../../test/support/built-app';
import { startTestApp } from '../../test/support/test-app';
import { countQueries } from './query-counter';

export interface AppStats {
  /** Cumulative, as performance.eventLoopUtilization() returns it in the app's process; null for a cluster. */
  readonly eventLoop: EventLoopUtilization | null;
  /** Queries sent to PostgreSQL by the app's process so far; null for a cluster (the build counts none). */
  readonly queries: number | null;
  /** process.memoryUsage() of the app's process; null for a cluster. */
  readonly memory: NodeJS.MemoryUsage | null;
}

/** The application under load, wherever it runs, and what the benchmark asks of it. */
export interface BenchApp {
  readonly baseUrl: string;
  /** The app's own database, for the floor a benchmark measures beside it. */
  readonly databaseUrl: string;
  readonly pid: number;
  /** Whether the app shares this process (and its event loop) with the load generator. */
  readonly inProcess: boolean;
  /** 1, or the workers of the built app's cluster (`pid` is then its primary's). */
  readonly workers: number;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  stats(): Promise<AppStats>;
  /** Every line the app logged (at the benchmark's LOG_LEVEL). */
  logs(): Promise<string[]>;
  close(): Promise<void>;
}

export type AppRequest = { readonly id: number } & (
  | { readonly type: 'query'; readonly sql: string; readonly params?: unknown[] }
  | { readonly type: 'stats' }
  | { readonly type: 'logs' }
  | { readonly type: 'close' }
);

export type AppReply =
  | { readonly type: 'ready'; readonly baseUrl: string; readonly databaseUrl: string }
  | { readonly type: 'failed'; readonly error: string }
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };

/**
 * Boots the app through the e2e harness (test/support/test-app.ts) on the PostgreSQL server that
 * DATABASE_URL names: in a child process by default, or in this one; with `workers` > 1, the build
 * as `npm start` runs it, a cluster of that many workers (test/support/built-app.ts).
 */
export async function startBenchApp(options: {
  env: Record<string, string>;
  inProcess?: boolean;
  workers?: number;
  /** A directory for a V8 CPU profile of the app's process (child process only). */
  cpuProfileDir?: string;
}): Promise<BenchApp> {
  if ((options.workers ?? 1) > 1) return startCluster(options.env, options.workers!);
  if (options.inProcess) {
    const queries = countQueries();
    const app = await startTestApp(options.env);
    return {
      baseUrl: app.baseUrl,
      databaseUrl: app.env.DATABASE_URL,
      pid: process.pid,
      inProcess: true,
      workers: 1,
      query: (sql, params) => app.dataSource.query(sql, params),
      stats: async () => ({
        eventLoop: performance.eventLoopUtilization(),
        queries: queries(),
        memory: process.memoryUsage(),
      }),
      logs: async () => app.logs.lines,
      close: () => app.close(),
    };
  }
  return startChild(options.env, options.cpuProfileDir);
}

async function startChild(env: Record<string, string>, cpuProfileDir?: string): Promise<BenchApp> {
  const child = fork(join(__dirname, 'app-process.ts'), {
    execArgv: [...process.execArgv, ...(cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : [])],
    env: { ...process.env, BENCH_APP_ENV: JSON.stringify(env) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  const ready = new Promise<{ baseUrl: string; databaseUrl: string }>((resolve, reject) => {
    child.on('message', (reply: AppReply) => {
      if ('type' in reply) {
        if (reply.type === 'ready') resolve(reply);
        else reject(new Error(`the app did not start:\n${reply.error}`));
        return;
      }
      const waiter = pending.get(reply.id);
      pending.delete(reply.id);
      if (reply.ok) waiter?.resolve(reply.result);
      else waiter?.reject(new Error(reply.error));
    });
    child.once('exit', (code, signal) => {
      const error = new Error(`the app's process ended (${signal ?? code})`);
      reject(error);
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
    });
  });
  const ask = <T>(request: { type: AppRequest['type'] } & Record<string, unknown>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ ...request, id });
    });
  let started: { baseUrl: string; databaseUrl: string };
  try {
    started = await ready;
  } catch (error) {
    child.kill();
    throw error;
  }
  return {
    baseUrl: started.baseUrl,
    databaseUrl: started.databaseUrl,
    pid: child.pid!,
    inProcess: false,
    workers: 1,
    query: (sql, params) => ask({ type: 'query', sql, params }),
    stats: () => ask({ type: 'stats' }),
    logs: () => ask({ type: 'logs' }),
    close: async () => {
      const exited = once(child, 'exit');
      await ask({ type: 'close' });
      await stopWithin(child, exited, 10_000);
    },
  };
}

/** The build with TMS_WORKERS workers: what a server runs. Its queries and event loops are not counted. */
async function startCluster(env: Record<string, string>, workers: number): Promise<BenchApp> {
  const app = await startBuiltApp({ ...env, TMS_WORKERS: String(workers) });
  return {
    baseUrl: app.baseUrl,
    databaseUrl: (app.dataSource.options as { url: string }).url,
    pid: app.process.pid!,
    inProcess: false,
    workers,
    query: (sql, params) => app.dataSource.query(sql, params),
    stats: async () => ({ eventLoop: null, queries: null, memory: null }),
    logs: async () => app.logs.lines,
    close: () => app.close(),
  };
}

async function stopWithin(child: ChildProcess, exited: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
  clearTimeout(timer);
}
