import { readdirSync, readFileSync } from 'node:fs';
import { BuiltApp, startBuiltApp, stopProcess } from './support/built-app';

/** The live processes whose parent is `pid` (from /proc). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, what: string, details: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${details()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

jest.setTimeout(180_000);

describe('npm start with several workers (TMS_WORKERS)', () => {
  let app: BuiltApp;
  /** Pids of the processes that logged Nest's "successfully started" (test instances log at debug). */
  const servingWorkers = () =>
    new Set(
      app.logs.lines
        .filter((line) => line.includes('Nest application successfully started'))
        .map((line) => (JSON.parse(line) as { pid: number }).pid),
    );
  const details = () => `children ${childrenOf(app.process.pid!).join(', ')}; logs:\n${app.logs.text.slice(-3000)}`;

  beforeAll(async () => {
    app = await startBuiltApp({ TMS_WORKERS: '2' });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('should serve from two worker processes and replace one that dies when TMS_WORKERS is 2', async () => {
    const primary = app.process.pid!;
    // The first worker serving is not the second one serving: wait for both to have started.
    await waitFor(() => servingWorkers().size === 2, 'two serving workers', details);
    expect(new Set(childrenOf(primary))).toEqual(servingWorkers());
    const [killed, survivor] = childrenOf(primary);

    process.kill(killed, 'SIGKILL');

    await waitFor(
      () => {
        const workers = childrenOf(primary);
        return workers.length === 2 && !workers.includes(killed) && workers.includes(survivor);
      },
      'a replacement worker',
      details,
    );
    await waitFor(() => servingWorkers().size === 3, 'the replacement to serve', details);
    for (let i = 0; i < 4; i++) expect((await fetch(`${app.baseUrl}/health`)).status).toBe(200);
    expect(app.logs.text).toContain(`Worker ${killed} ended (SIGKILL); starting another`);
  });

  it('should start every worker with its heap bounded by TMS_WORKER_HEAP_MB (256 MB unset)', async () => {
    await waitFor(() => childrenOf(app.process.pid!).length === 2, 'two workers', details);
    const flagsOf = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');

    for (const worker of childrenOf(app.process.pid!)) {
      expect(flagsOf(worker)).toEqual(expect.arrayContaining(['--max-old-space-size=256', '--max-semi-space-size=32']));
    }
    expect(flagsOf(app.process.pid!)).not.toContain('--max-old-space-size=256');
  });

  it('should stop every worker and end with 0 when the primary gets SIGTERM', async () => {
    const workers = childrenOf(app.process.pid!);
    expect(workers).toHaveLength(2);

    expect(await stopProcess(app.process)).toBe(0);

    await waitFor(() => workers.every((pid) => !isAlive(pid)), 'the workers to end', details);
  });
});
