import { execFile } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './test-app';

const run = promisify(execFile);

/** Debian's PostgreSQL 15 server binaries (`apt-get install postgresql`); CI installs them. */
export const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL server of a test's own, for tests that stop and start it: the shared test server
 * (test/setup/global-setup.cjs) serves every other test file and must never go down. Debian's
 * binaries in a temporary directory, on 127.0.0.1 and a free port, trust authentication, no Unix
 * socket. As root, initdb and pg_ctl run as the `postgres` user (PostgreSQL refuses root).
 */
export class PrivatePostgres {
  private constructor(
    private readonly dir: string,
    readonly port: number,
  ) {}

  /** `postgres://` of the server's maintenance database. */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private get dataDir(): string {
    return join(this.dir, 'data');
  }

  static async create(): Promise<PrivatePostgres> {
    if (!existsSync(join(POSTGRES_BIN, 'pg_ctl'))) {
      throw new Error(`PostgreSQL server binaries not found in ${POSTGRES_BIN}: apt-get install postgresql`);
    }
    const dir = mkdtempSync(join(tmpdir(), 'tms-private-pg-'));
    const server = new PrivatePostgres(dir, await freePort());
    try {
      if (process.getuid?.() === 0) {
        const { stdout } = await run('id', ['-u', 'postgres']);
        const { stdout: group } = await run('id', ['-g', 'postgres']);
        chownSync(dir, Number(stdout.trim()), Number(group.trim()));
      }
      await server.binary('initdb', [
        '-D',
        server.dataDir,
        '-U',
        'postgres',
        '--auth=trust',
        '-E',
        'UTF8',
        '--locale=C',
        '-N',
      ]);
      appendFileSync(
        join(server.dataDir, 'postgresql.conf'),
        [
          `port = ${server.port}`,
          `listen_addresses = '127.0.0.1'`,
          `unix_socket_directories = ''`,
          'fsync = off',
          'synchronous_commit = off',
          'full_page_writes = off',
          'max_connections = 60',
          '',
        ].join('\n'),
      );
      await server.start();
      return server;
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Starts the server and waits until it takes connections. */
  async start(): Promise<void> {
    await this.binary('pg_ctl', ['-D', this.dataDir, '-l', join(this.dir, 'server.log'), '-w', '-t', '30', 'start']);
  }

  /** A fast shutdown, as an operator's restart does: open sessions are ended (57P01), then it stops. */
  async stop(): Promise<void> {
    await this.binary('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', '-t', '30', 'stop']);
  }

  /** Stops the server if it runs and removes its files. */
  async destroy(): Promise<void> {
    if (existsSync(join(this.dataDir, 'postmaster.pid'))) await this.stop().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async binary(name: string, args: string[]): Promise<void> {
    const path = join(POSTGRES_BIN, name);
    const [command, commandArgs] =
      process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
    await run(command, commandArgs, { cwd: this.dir });
  }
}
