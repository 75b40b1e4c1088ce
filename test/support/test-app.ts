import { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import { loadConfig } from '@tms/config';
import { startServer } from '../../apps/tms/src/server';
import { createTestDatabase } from './test-database';

export const ADMIN_EMAIL = 'root-admin@example.com';
export const ADMIN_PASSWORD = 'root-admin-password-1';

/** Every line the application logged, to look for leaked secrets. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }

  get text(): string {
    return this.lines.join('\n');
  }
}

export interface TestApp {
  readonly app: NestExpressApplication;
  readonly baseUrl: string;
  readonly logs: LogCapture;
  readonly dataSource: DataSource;
  /** What it was configured with (database, secret key, …): a second instance on the same database starts from it. */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The configuration every test instance of the application runs with, in environment variables. */
export function testAppEnvironment(port: number, databaseUrl: string, env: Record<string, string> = {}) {
  return {
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: databaseUrl,
    TMS_SECRET_KEY: randomBytes(32).toString('hex'),
    TMS_BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
    TMS_BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
    LOG_LEVEL: 'debug',
    // The tools of the tests listen on 127.0.0.1 over plain http; every other private address stays refused.
    TMS_OUTBOUND_ALLOW: 'loopback',
    TMS_OUTBOUND_ALLOW_HTTP: '1',
    // A built instance serves from one process unless a test asks for workers (npm start's default is one per core).
    TMS_WORKERS: '1',
    ...env,
  };
}

/**
 * Another in-process instance of `first`'s deployment: the same database, secret key and public URL,
 * as a second server behind a load balancer would be (`env` adds to `first`'s settings that differ).
 */
export function startOtherInstance(first: TestApp, env: Record<string, string> = {}): Promise<TestApp> {
  return startTestApp({
    ...env,
    DATABASE_URL: first.env.DATABASE_URL,
    TMS_SECRET_KEY: first.env.TMS_SECRET_KEY,
    PUBLIC_URL: first.env.PUBLIC_URL,
  });
}

/**
 * The real application on its own database, listening on 127.0.0.1, booted exactly as `npm start`
 * boots it (migrations, bootstrap admin), with its logs captured. The database is made on the shared
 * test server, or on `options.databaseServer` (the URL of a server a test runs for itself).
 */
export async function startTestApp(
  env: Record<string, string> = {},
  options: { databaseServer?: string } = {},
): Promise<TestApp> {
  const database = await createTestDatabase(options.databaseServer);
  const port = await freePort();
  const logs = new LogCapture();
  const appEnv = testAppEnvironment(port, database.url, env);
  const server = await startServer(loadConfig(appEnv), { logStream: logs });
  return {
    app: server.app,
    baseUrl: `http://127.0.0.1:${port}`,
    logs,
    dataSource: server.app.get(DataSource),
    env: appEnv,
    close: async () => {
      await server.stop();
      await database.drop();
    },
  };
}
