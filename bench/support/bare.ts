import { performance } from 'node:perf_hooks';

/**
 * Operations per second of `op` run `iterations` times in a row on this thread, after a warm-up
 * that lets V8 optimize it. `op` gets the iteration number.
 */
export function opsPerSecond(iterations: number, op: (i: number) => void, warmup = Math.ceil(iterations / 10)): number {
  for (let i = 0; i < warmup; i++) op(i);
  const started = performance.now();
  for (let i = 0; i < iterations; i++) op(i);
  return iterations / ((performance.now() - started) / 1000);
}
