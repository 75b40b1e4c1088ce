import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from './support/api-client';
import { BUILT_MAIN, embeddedEnvironment, startOnEmbeddedDatabase, waitForSignInPage } from './support/built-app';
import { freePort } from './support/test-app';

/**
 * The product as an operator runs it: `node dist/apps/tms/src/main.js` (what `npm start` runs after
 * building) on the embedded database, with no DATABASE_URL. Needs `npm run build` first (pretest).
 */
const CLI = join(__dirname, '..', 'dist', 'apps', 'tms', 'src', 'cli.js');

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

function postmasterPid(dataDir: string): number | null {
  const file = join(dataDir, 'pg', 'postmaster.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start on the embedded database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tms-start-'));
  let port: number;
  let pgPort: number;
  let adminPassword: string;
  let orgId: string;

  beforeAll(async () => {
    expect(existsSync(BUILT_MAIN)).toBe(true);
    port = await freePort();
    pgPort = await freePort();
  });

  afterAll(() => {
    const pid = postmasterPid(dataDir);
    if (pid && isAlive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should serve the sign-in page on a fresh data directory and print the demo sign-ins', async () => {
    const running = startOnEmbeddedDatabase(dataDir, port, pgPort, { LOG_LEVEL: 'warn' });
    await waitForSignInPage(port, running);
    const line = /site_admin\s+(\S+)\s+(\S+)/.exec(running.output());
    expect(line?.[1]).toBe('admin@demo.example.com');
    adminPassword = line![2];
    const admin = await ApiClient.signIn(`http://127.0.0.1:${port}`, 'admin@demo.example.com', adminPassword);
    const created = await admin.post('/api/v1/organizations', { name: 'Made before Ctrl-C' });
    expect(created.status).toBe(201);
    orgId = created.body.id;
    const demoUsers = await admin.get('/api/v1/users');
    expect(demoUsers.body.total).toBe(5);

    const pgPid = postmasterPid(dataDir)!;
    expect(isAlive(pgPid)).toBe(true);
    running.child.kill('SIGINT');
    expect(await exited(running.child)).toBe(0);
    expect(isAlive(pgPid)).toBe(false);
  });

  it('should keep the data across a restart without seeding the demo again', async () => {
    const running = startOnEmbeddedDatabase(dataDir, port, pgPort, { LOG_LEVEL: 'warn' });
    await waitForSignInPage(port, running);
    expect(running.output()).not.toContain('Demo sign-ins');
    const admin = await ApiClient.signIn(`http://127.0.0.1:${port}`, 'admin@demo.example.com', adminPassword);
    expect((await admin.get(`/api/v1/organizations/${orgId}`)).body.name).toBe('Made before Ctrl-C');
    expect((await admin.get('/api/v1/users')).body.total).toBe(5);
    const created = await admin.post('/api/v1/organizations', { name: 'Made before kill -9' });
    expect(created.status).toBe(201);

    // `npm run cli -- keys:rotate` beside the running application: same database, nothing stopped.
    const jwksBefore = (await new ApiClient(`http://127.0.0.1:${port}`).get('/.well-known/jwks.json')).body.keys;
    const cli = spawn(process.execPath, [CLI, 'keys:rotate'], {
      env: embeddedEnvironment(dataDir, port, pgPort, { LOG_LEVEL: 'warn' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let cliOutput = '';
    cli.stdout!.on('data', (chunk: Buffer) => (cliOutput += chunk.toString()));
    cli.stderr!.on('data', (chunk: Buffer) => (cliOutput += chunk.toString()));
    expect({ code: await exited(cli), cliOutput }).toEqual({ code: 0, cliOutput: expect.stringContaining('Rotated') });
    const jwksAfter = (await new ApiClient(`http://127.0.0.1:${port}`).get('/.well-known/jwks.json')).body.keys;
    // Published order: next, current, previous. The old next signs now; the old current is previous.
    expect(jwksAfter[1].kid).toBe(jwksBefore[0].kid);
    expect(jwksAfter[2].kid).toBe(jwksBefore[1].kid);
    expect(cliOutput).toContain(`Signing now with ${jwksBefore[0].kid}`);
    expect((await admin.get('/api/v1/users')).body.total).toBe(5);

    // The demo's top admin is a platform administrator; the operator names another from the command line.
    expect((await admin.get('/api/v1/platform-keys')).status).toBe(200);
    const instructor = (await admin.get('/api/v1/users?search=instructor%40demo')).body.items[0];
    expect(instructor.platformAdmin).toBe(false);
    const grant = spawn(process.execPath, [CLI, 'platform-admin:grant', 'instructor@demo.example.com'], {
      env: embeddedEnvironment(dataDir, port, pgPort, { LOG_LEVEL: 'warn' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let grantOutput = '';
    grant.stdout!.on('data', (chunk: Buffer) => (grantOutput += chunk.toString()));
    grant.stderr!.on('data', (chunk: Buffer) => (grantOutput += chunk.toString()));
    expect({ code: await exited(grant), grantOutput }).toEqual({
      code: 0,
      grantOutput: expect.stringContaining('instructor@demo.example.com is a platform administrator'),
    });
    expect((await admin.get(`/api/v1/users/${instructor.id}`)).body.platformAdmin).toBe(true);

    const pgPid = postmasterPid(dataDir)!;
    running.child.kill('SIGKILL');
    await exited(running.child);
    // The postgres child outlives a kill -9 of its parent: the next start must deal with it.
    expect(isAlive(pgPid)).toBe(true);

    const again = startOnEmbeddedDatabase(dataDir, port, pgPort, { LOG_LEVEL: 'warn' });
    await waitForSignInPage(port, again);
    expect(isAlive(pgPid)).toBe(false);
    const admin2 = await ApiClient.signIn(`http://127.0.0.1:${port}`, 'admin@demo.example.com', adminPassword);
    const names = (await admin2.get('/api/v1/organizations?limit=200')).body.items.map((o: { name: string }) => o.name);
    expect(names).toEqual(expect.arrayContaining(['Made before Ctrl-C', 'Made before kill -9']));
    again.child.kill('SIGTERM');
    expect(await exited(again.child)).toBe(0);
    expect(postmasterPid(dataDir)).toBeNull();
  });
});
