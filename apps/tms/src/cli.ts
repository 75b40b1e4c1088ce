import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import pino from 'pino';
import { ConfigError, loadConfig } from '@tms/config';
import { PlatformKeysService } from '@tms/core';
import { DomainModule } from './app.module';
import { openDatabase } from './server';

const USAGE = `Usage: npm run cli -- <command>

Commands:
  keys:rotate   rotate the platform signing keys: next → current → previous, and a new next
  keys:list     show the published platform keys

Works beside a running application (it uses the same database and configuration).`;

type Command = (keys: PlatformKeysService) => Promise<string>;

const COMMANDS: Record<string, Command> = {
  'keys:rotate': async (keys) => {
    const result = await keys.rotateAs(null);
    return [
      `Rotated. Signing now with ${result.activated.kid}.`,
      `Published next: ${result.created.kid}`,
      result.retired ? `Retired (published until the overlap ends): ${result.retired.kid}` : 'No key was retired.',
    ].join('\n');
  },
  'keys:list': async (keys) => {
    const { keys: published } = await keys.jwks();
    return published
      .map((key, index) => `${index === 0 ? 'next    ' : index === 1 ? 'current ' : 'previous'} ${key.kid}`)
      .join('\n');
  },
};

async function main(argv: readonly string[]): Promise<number> {
  const command = COMMANDS[argv[0] ?? ''];
  if (!command) {
    process.stderr.write(`${USAGE}\n`);
    return argv[0] === undefined || argv[0] === '--help' ? 0 : 64; // EX_USAGE
  }
  const config = loadConfig();
  const logger = pino({ level: 'warn' }, pino.destination(2));
  const database = await openDatabase(config, logger, { reuseRunning: true });
  try {
    const context = await NestFactory.createApplicationContext(DomainModule.forRoot(database.runtime), {
      logger: ['error', 'warn'],
    });
    try {
      const keys = context.get(PlatformKeysService);
      await keys.ensureKeys();
      process.stdout.write(`${await command(keys)}\n`);
    } finally {
      await context.close();
    }
  } finally {
    await database.stop();
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
