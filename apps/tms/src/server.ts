import { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppConfig, ConfigError, parseSecretKey, RuntimeConfig } from '@tms/config';
import { BootstrapService, DemoLogin, PlatformKeysService } from '@tms/core';
import { EmbeddedDatabase, findRunningEmbeddedDatabase, runMigrations, startEmbeddedDatabase } from '@tms/persistence';
import { AppModuleOptions } from './app.module';
import { createApp } from './create-app';
import pino from 'pino';

export interface RunningServer {
  readonly app: NestExpressApplication;
  readonly url: string;
  readonly demoLogins: readonly DemoLogin[];
  stop(): Promise<void>;
}

/**
 * Boots the product: database (embedded unless DATABASE_URL), secret key, migrations, first-start
 * data, then HTTP. Everything it started is stopped again if a later step fails.
 */
export async function startServer(
  config: AppConfig,
  options: AppModuleOptions & { listen?: boolean } = {},
): Promise<RunningServer> {
  const logger = pino({ level: config.app.logLevel, base: { context: 'Server' } }, options.logStream);
  const database = await openDatabase(config, logger);
  try {
    const runtime = database.runtime;
    const app = await createApp(runtime, options);
    await app.get(PlatformKeysService).ensureKeys();
    const demoLogins = await seed(app, config, database.embedded);
    if (options.listen !== false) await app.listen(config.app.port);
    return {
      app,
      url: config.app.publicUrl,
      demoLogins,
      stop: async () => {
        await app.close();
        await database.stop();
      },
    };
  } catch (error) {
    await database.stop();
    throw error;
  }
}

/** What every worker shares, made once before any of them serves. */
export interface PreparedServer {
  readonly runtime: RuntimeConfig;
  readonly demoLogins: readonly DemoLogin[];
  /** Stops the embedded database (if this run started it). */
  stop(): Promise<void>;
}

/**
 * Everything before HTTP, once for all workers (node:cluster): database, migrations, secret key,
 * platform keys and first-start data, through an application that never listens and is closed again.
 */
export async function prepareServer(config: AppConfig, options: AppModuleOptions = {}): Promise<PreparedServer> {
  const logger = pino({ level: config.app.logLevel, base: { context: 'Server' } }, options.logStream);
  const database = await openDatabase(config, logger);
  try {
    const app = await createApp(database.runtime, options);
    try {
      await app.get(PlatformKeysService).ensureKeys();
      const demoLogins = await seed(app, config, database.embedded);
      return { runtime: database.runtime, demoLogins, stop: database.stop };
    } finally {
      await app.close();
    }
  } catch (error) {
    await database.stop();
    throw error;
  }
}

/** One HTTP worker on a prepared runtime: no migrations, no seeding, only serving. */
export async function startWorker(
  runtime: RuntimeConfig,
  options: AppModuleOptions = {},
): Promise<{ stop(): Promise<void> }> {
  const app = await createApp(runtime, options);
  await app.listen(runtime.app.port);
  return { stop: () => app.close() };
}

export interface OpenDatabase {
  readonly runtime: RuntimeConfig;
  /** Whether the embedded database serves this run. */
  readonly embedded: boolean;
  stop(): Promise<void>;
}

/**
 * The database (DATABASE_URL, or the embedded one, started unless `reuseRunning` finds it already
 * up), migrated, and the secret key: everything the domain needs before any module starts.
 */
export async function openDatabase(
  config: AppConfig,
  logger: pino.Logger,
  options: { reuseRunning?: boolean } = {},
): Promise<OpenDatabase> {
  if (config.database.url && !config.security.secretKey) {
    throw new ConfigError('TMS_SECRET_KEY', 'is required when DATABASE_URL is set (openssl rand -hex 32)');
  }
  let embedded: EmbeddedDatabase | undefined;
  let url = config.database.url;
  if (!url && options.reuseRunning) {
    url =
      (await findRunningEmbeddedDatabase({ dataDir: config.app.dataDir, port: config.database.embeddedPort })) ??
      undefined;
  }
  if (!url) {
    logger.info(`Starting embedded PostgreSQL in ${resolve(config.app.dataDir, 'pg')}`);
    embedded = await startEmbeddedDatabase({
      dataDir: config.app.dataDir,
      port: config.database.embeddedPort,
      log: (message) => logger.debug(message),
    });
    url = embedded.url;
  }
  try {
    const runtime: RuntimeConfig = {
      ...config,
      database: { ...config.database, url },
      security: {
        ...config.security,
        secretKey: config.security.secretKey ?? (await embeddedSecretKey(config.app.dataDir)),
      },
    };
    const applied = await runMigrations(url);
    if (applied.length > 0) logger.info(`Applied migrations: ${applied.join(', ')}`);
    return { runtime, embedded: !config.database.url, stop: async () => void (await embedded?.stop()) };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

async function seed(app: NestExpressApplication, config: AppConfig, embedded: boolean): Promise<DemoLogin[]> {
  const bootstrap = app.get(BootstrapService);
  // "New" means nobody exists yet, not "created by this run": a crash right after creating the
  // database must not cost the demo data on the next start.
  const isNew = !(await bootstrap.hasUsers());
  if (config.bootstrap.adminEmail && config.bootstrap.adminPassword) {
    await bootstrap.ensureBootstrapAdmin(config.bootstrap.adminEmail, config.bootstrap.adminPassword);
  }
  // Demo data only on a new embedded database, or when explicitly asked for (TMS_DEMO=1).
  if (!(embedded && isNew) && !config.app.demo) return [];
  const logins = await bootstrap.seedDemo();
  if (logins.length > 0 && !config.database.url) {
    const file = join(config.app.dataDir, 'demo-logins.txt');
    await writeFile(
      file,
      logins.map((l) => `${l.email}\t${l.password}\t${l.role}\t${l.organization}`).join('\n') + '\n',
      { mode: 0o600 },
    );
  }
  return logins;
}

/** The embedded default keeps a generated key beside its data, created once with node:crypto. */
async function embeddedSecretKey(dataDir: string): Promise<Buffer> {
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) return parseSecretKey((await readFile(file, 'utf8')).trim(), file);
  await mkdir(dataDir, { recursive: true });
  const key = randomBytes(32);
  await writeFile(file, key.toString('hex') + '\n', { mode: 0o600 });
  await chmod(file, 0o600);
  return key;
}
