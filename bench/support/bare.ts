import { performance } from 'node:perf_hooks';

/**
 * Operations per second of `op` run `iterations` times in a row on this thread, after a warm-up
 * that lets V8 optimize it; the median of `rounds` such runs, so that one run slowed down by
 * another process on the host does not decide the figure. `op` gets the iteration number.
 */
export function opsPerSecond(iterations: number, op: (i: number) => void, rounds = 3): number {
  for (let i = 0; i < Math.ceil(iterations / 10); i++) op(i);
  const rates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    for (let i = 0; i < iterations; i++) op(i);
    rates.push(iterations / ((performance.now() - started) / 1000));
  }
  return rates.sort((a, b) => a - b)[Math.floor(rates.length / 2)];
}

/**
 * opsPerSecond for an asynchronous `op` (WebCrypto signing, say): `inFlight` operations at a time
 * (1: one after the other), `iterations` in all per run, the median of `rounds` runs.
 */
export async function opsPerSecondAsync(
  iterations: number,
  op: (i: number) => Promise<unknown>,
  options: { rounds?: number; inFlight?: number } = {},
): Promise<number> {
  const inFlight = Math.max(1, Math.min(options.inFlight ?? 1, iterations));
  const run = async (count: number) => {
    let next = 0;
    const worker = async () => {
      while (next < count) await op(next++);
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
  };
  await run(Math.ceil(iterations / 10));
  const rates: number[] = [];
  for (let round = 0; round < (options.rounds ?? 3); round++) {
    const started = performance.now();
    await run(iterations);
    rates.push(iterations / ((performance.now() - started) / 1000));
  }
  return rates.sort((a, b) => a - b)[Math.floor(rates.length / 2)];
}
