import cluster, { Worker } from 'node:cluster';
import { once } from 'node:events';
import { AppConfig, RuntimeConfig } from '@tms/config';
import { DemoLogin } from '@tms/core';
import { prepareServer, startWorker } from './server';

/** What the primary hands a worker over IPC (not the environment): the database it prepared and the secret key. */
interface WorkerRuntime {
  readonly type: 'runtime';
  readonly databaseUrl: string;
  readonly secretKey: string;
}

export interface RunningCluster {
  readonly url: string;
  readonly workers: number;
  readonly demoLogins: readonly DemoLogin[];
  stop(): Promise<void>;
}

/**
 * The primary of `npm start` with TMS_WORKERS > 1: prepares once what every worker shares
 * (database, migrations, keys, first-start data), then forks the workers, which share the port
 * (node:cluster hands connections out round robin). The app is stateless (DESIGN.md §1): sessions,
 * nonces, throttles and caches' versions live in PostgreSQL, so any worker serves any request. A
 * worker that dies is replaced; stopping ends the workers first, then the embedded database.
 */
export async function startCluster(
  config: AppConfig,
  /** Called once prepared, before the workers start: the banner must be out by the time a worker serves. */
  announce: (running: Omit<RunningCluster, 'stop'>) => void,
): Promise<RunningCluster> {
  const prepared = await prepareServer(config);
  const running = { url: config.app.publicUrl, workers: config.app.workers, demoLogins: prepared.demoLogins };
  announce(running);
  const runtime: WorkerRuntime = {
    type: 'runtime',
    databaseUrl: prepared.runtime.database.url,
    secretKey: prepared.runtime.security.secretKey.toString('hex'),
  };
  let stopping = false;
  cluster.setupPrimary({ execArgv: [...process.execArgv, ...workerFlags(config.app.workerHeapMb)] });
  const fork = (): Promise<Worker> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork();
      const exitedEarly = (code: number | null) => reject(new Error(`a worker exited (${code}) before it served`));
      worker.once('online', () => worker.send(runtime));
      worker.once('exit', exitedEarly);
      worker.once('listening', () => {
        worker.off('exit', exitedEarly);
        resolve(worker);
      });
    });
  try {
    await Promise.all(Array.from({ length: config.app.workers }, fork));
  } catch (error) {
    stopping = true;
    await stopWorkers();
    await prepared.stop();
    throw error;
  }
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    process.stderr.write(`Worker ${worker.process.pid} ended (${signal ?? code}); starting another\n`);
    fork().catch((error: unknown) => process.stderr.write(`A replacement worker failed: ${String(error)}\n`));
  });
  return {
    ...running,
    stop: async () => {
      stopping = true;
      await stopWorkers();
      await prepared.stop();
    },
  };
}

/**
 * V8's heap flags for a worker. Left alone, V8 let a worker building 1,000-row rosters side by side
 * grow to 450-470 MB of RSS for about 60 MB live (bench:scale, two workers). An old generation of
 * 256 MB holds it near 245 MB; with the old generation bounded V8 also shrinks the young one, which
 * promoted every answer's rows and collected all the time (a third of the throughput), so the young
 * generation's semispaces are set to 32 MB, where a request's garbage dies young. Measured on the
 * 1,000-row roster, 10 connections: 58 answers/s against 67 unbounded, p95 246-324 ms against 202-242.
 */
export function workerFlags(heapMb: number): string[] {
  return heapMb === 0 ? [] : [`--max-old-space-size=${heapMb}`, '--max-semi-space-size=32'];
}

async function stopWorkers(): Promise<void> {
  const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
  await Promise.all(
    workers.map(async (worker) => {
      if (worker.isDead()) return;
      const exited = once(worker, 'exit');
      worker.process.kill('SIGTERM');
      await exited;
    }),
  );
}

/** A worker: waits for the primary's runtime, serves until SIGTERM or SIGINT or until the primary is gone. */
export function runWorker(config: AppConfig): void {
  let server: { stop(): Promise<void> } | undefined;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    (server?.stop() ?? Promise.resolve()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
  process.once('message', (message: WorkerRuntime) => {
    const runtime: RuntimeConfig = {
      ...config,
      database: { ...config.database, url: message.databaseUrl },
      security: { ...config.security, secretKey: Buffer.from(message.secretKey, 'hex') },
    };
    startWorker(runtime).then(
      (started) => {
        server = started;
        if (stopping) void started.stop().then(() => process.exit(0));
      },
      (error: unknown) => {
        process.stderr.write(`Worker failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
        process.exit(1);
      },
    );
  });
}

export function isClusterWorker(): boolean {
  return cluster.isWorker;
}
