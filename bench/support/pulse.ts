import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { percentile } from './closed-loop';

/**
 * How steady the machine itself is: one fixed computation (SHA-256 of 64 bytes, 20,000 times),
 * timed `times` times, `pauseMs` apart, with nothing else asked of the machine. On a shared host
 * (a virtual machine's cores are the host's to give) the same work takes longer at some moments
 * than at others; a benchmark that compares two measurements taken at different moments (the scale
 * benchmark's small and large turns) is read against how far apart these are.
 */
export interface Pulse {
  readonly runs: number;
  /** From the first run's start to the last one's end. */
  readonly seconds: number;
  readonly fastestMs: number;
  readonly medianMs: number;
  readonly slowestMs: number;
  /** The 90th percentile's time over the 10th's. */
  readonly p90OverP10: number;
}

export async function measurePulse(times = 40, pauseMs = 500): Promise<Pulse> {
  const block = Buffer.alloc(64, 1);
  const timings: number[] = [];
  const began = performance.now();
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    for (let n = 0; n < 20_000; n++) createHash('sha256').update(block).digest();
    timings.push(performance.now() - started);
    if (i < times - 1) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  const seconds = (performance.now() - began) / 1000;
  timings.sort((a, b) => a - b);
  return {
    runs: times,
    seconds,
    fastestMs: timings[0],
    medianMs: percentile(timings, 50),
    slowestMs: timings[timings.length - 1],
    p90OverP10: percentile(timings, 90) / percentile(timings, 10),
  };
}
