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
