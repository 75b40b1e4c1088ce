import { performance } from 'node:perf_hooks';

export interface ClosedLoopResult {
  /** Iterations that did their job. */
  readonly completed: number;
  readonly failures: number;
  readonly firstFailure: string | null;
  /** From the start until the last iteration ended. */
  readonly seconds: number;
  readonly perSecond: number;
  /** The rate over the second half of the run, once the code on the path is warm. */
  readonly secondHalfPerSecond: number;
}

/**
 * `users` virtual users, each running `iteration` again and again, one at a time, until `seconds`
 * have passed or `iterations` have begun (whichever comes first; at least one of them is given): a
 * closed loop, where the next iteration waits for the previous one's answer (as with a person
 * clicking). The run ends when every user has finished the iteration it was in, so nothing is left
 * in flight. An iteration answers null when it did its job, else what went wrong.
 */
export async function runClosedLoop(options: {
  users: number;
  seconds?: number;
  /** Iterations in all, over every user (a run over work prepared beforehand, say). */
  iterations?: number;
  iteration: (user: number) => Promise<string | null>;
}): Promise<ClosedLoopResult> {
  if (options.seconds === undefined && options.iterations === undefined) {
    throw new Error('a closed loop needs seconds or iterations');
  }
  const started = performance.now();
  const deadline = started + (options.seconds ?? Infinity) * 1000;
  const limit = options.iterations ?? Infinity;
  const completedAt: number[] = [];
  let begun = 0;
  let failures = 0;
  let firstFailure: string | null = null;
  const user = async (index: number) => {
    while (performance.now() < deadline && begun < limit) {
      begun++;
      let failure: string | null;
      try {
        failure = await options.iteration(index);
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
      }
      if (failure === null) completedAt.push(performance.now());
      else {
        failures++;
        firstFailure ??= failure;
      }
    }
  };
  await Promise.all(Array.from({ length: options.users }, (_, index) => user(index)));
  const ended = performance.now();
  const middle = (started + ended) / 2;
  const secondHalf = completedAt.filter((at) => at >= middle).length;
  const seconds = (ended - started) / 1000;
  return {
    completed: completedAt.length,
    failures,
    firstFailure,
    seconds,
    perSecond: completedAt.length / seconds,
    secondHalfPerSecond: secondHalf / ((ended - middle) / 1000),
  };
}

/**
 * A closed loop measured after a warm-up: `warmUpSeconds` of the same iterations first (their
 * times dropped, a failure among them ignored), then `seconds` in which each iteration that did its
 * job is timed. Throws, naming `what`, when a measured iteration fails. The times come ascending.
 */
export async function timeClosedLoop(options: {
  what: string;
  users: number;
  warmUpSeconds: number;
  seconds: number;
  iteration: (user: number) => Promise<string | null>;
}): Promise<ClosedLoopResult & { readonly latencies: number[] }> {
  const latencies: number[] = [];
  let measuring = false;
  const iteration = async (user: number) => {
    const started = performance.now();
    const failure = await options.iteration(user);
    if (measuring && failure === null) latencies.push(performance.now() - started);
    return failure;
  };
  await runClosedLoop({ users: options.users, seconds: options.warmUpSeconds, iteration });
  measuring = true;
  const loop = await runClosedLoop({ users: options.users, seconds: options.seconds, iteration });
  if (loop.failures > 0) throw new Error(`${options.what} failed ${loop.failures} times, first: ${loop.firstFailure}`);
  return { ...loop, latencies: latencies.sort((a, b) => a - b) };
}

/** The p-th percentile (nearest rank) of ascending `sorted` values; 0 when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}
