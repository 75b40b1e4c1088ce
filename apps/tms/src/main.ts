import 'reflect-metadata';
import { ConfigError, loadConfig } from '@tms/config';
import { MissingAssetsError } from './http/shared/web-assets';
import { RunningServer, startServer } from './server';

async function main(): Promise<void> {
  let server: RunningServer;
  try {
    server = await startServer(loadConfig());
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

  printBanner(server);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal} received, stopping…\n`);
    server.stop().then(
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
function printBanner(server: RunningServer): void {
  const lines = [``, `TMS is running at ${server.url}`];
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
