import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort, TestApp } from './test-app';

/** Built by `npm run build` (the pretest step), as `npm start` runs it. */
const MAIN = join(__dirname, '..', '..', 'dist', 'apps', 'tms', 'src', 'main.js');

export interface SecondInstance {
  readonly baseUrl: string;
  /** Everything the process wrote (JSON log lines on stdout), to look for leaked secrets. */
  readonly output: () => string;
  stop(): Promise<void>;
}

/**
 * Another instance of the application in a process of its own, on the same database and secret key
 * as `first`: what a second server behind a load balancer is. It shares nothing with `first` but
 * PostgreSQL. Stopping it leaves the database to `first`.
 */
export async function startSecondInstance(first: TestApp, env: Record<string, string> = {}): Promise<SecondInstance> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, ...first.env, PORT: String(port), PUBLIC_URL: baseUrl, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitUntilReady(baseUrl, child, () => output);
  return {
    baseUrl,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function waitUntilReady(baseUrl: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`second instance exited early:\n${output()}`);
    const status = await fetch(`${baseUrl}/health/ready`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`second instance not ready within a minute:\n${output()}`);
}
