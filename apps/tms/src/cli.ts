import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import pino from 'pino';
import { ConfigError, loadConfig } from '@tms/config';
import { BootstrapService, PlatformKeysService } from '@tms/core';
import { DomainModule } from './app.module';
import { openDatabase } from './server';

const USAGE = `Usage: npm run cli -- <command>

Commands:
  keys:rotate                     rotate the platform signing keys: next → current → previous, and a new next
  keys:list                       show the published platform keys
  platform-admin:grant <email>    make the account a platform administrator (keys, top-level organizations)
  platform-admin:revoke <email>   take the platform administrator role from the account

Works beside a running application (it uses the same database and configuration).`;

interface Services {
  readonly keys: PlatformKeysService;
  readonly bootstrap: BootstrapService;
}

/** A command used wrongly: its message, and exit code 64 (EX_USAGE). */
class UsageError extends Error {}

type Command = (services: Services, args: readonly string[]) => Promise<string>;

/** Grants or revokes; the audit entry has no actor (the operator on the server). */
const platformAdmin =
  (grant: boolean): Command =>
  async ({ bootstrap }, [email]) => {
    if (!email) throw new UsageError('An email is required');
    if (!(await bootstrap.setPlatformAdmin(email, grant))) throw new UsageError(`No account with the email ${email}`);
    return grant ? `${email} is a platform administrator.` : `${email} is no longer a platform administrator.`;
  };

const COMMANDS: Record<string, Command> = {
  'keys:rotate': async ({ keys }) => {
    const result = await keys.rotateAs(null);
    return [
      `Rotated. Signing now with ${result.activated.kid}.`,
      `Published next: ${result.created.kid}`,
      result.retired ? `Retired (published until the overlap ends): ${result.retired.kid}` : 'No key was retired.',
    ].join('\n');
  },
  'keys:list': async ({ keys }) => {
    const { keys: published } = await keys.jwks();
    return published
      .map((key, index) => `${index === 0 ? 'next    ' : index === 1 ? 'current ' : 'previous'} ${key.kid}`)
      .join('\n');
  },
  'platform-admin:grant': platformAdmin(true),
  'platform-admin:revoke': platformAdmin(false),
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
      process.stdout.write(`${await command({ keys, bootstrap: context.get(BootstrapService) }, argv.slice(1))}\n`);
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
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(64); // EX_USAGE
    }
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
