import 'reflect-metadata';
import { ConfigError, loadConfig } from '@tms/config';
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
 * forks the workers; 1: one process that does both.
 */
async function start(): Promise<Running | null> {
  const config = loadConfig();
  if (config.app.workers > 1 && isClusterWorker()) {
    runWorker(config);
    return null;
  }
  if (config.app.workers > 1) return startCluster(config, printBanner);
  const server = await startServer(config);
  printBanner({ url: server.url, demoLogins: server.demoLogins, workers: 1 });
  return { url: server.url, demoLogins: server.demoLogins, workers: 1, stop: () => server.stop() };
}

async function main(): Promise<void> {
  let server: Running | null;
  try {
    server = await start();
  } catch (error) {
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
  if (!server) return;
  const running = server;

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal} received, stopping…\n`);
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
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
