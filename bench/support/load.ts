import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';

export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  /** The rate over the second half of the run, once the code on the path is warm. */
  readonly secondHalfRequestsPerSecond: number;
  /** Milliseconds, from every response's latency (autocannon's own summary has no p95). */
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly non2xx: number;
  /** Connection errors and timeouts. */
  readonly errors: number;
  readonly statusCodes: Record<string, number>;
}

/**
 * Runs autocannon with one dynamic request: `build` makes each request right before it is sent
 * (so every outcomes request gets its own nonce, timestamp and signature), `check` sees each
 * response. A run is a number of requests rather than a duration, so that it ends with every
 * request answered: nothing is still in flight when the figures are taken.
 */
export async function runLoad(options: {
  baseUrl: string;
  connections: number;
  /** A run of `amount` requests, or (a warm-up) of `duration` seconds, whose last requests are abandoned. */
  amount?: number;
  duration?: number;
  build: () => { method: string; path: string; headers: Record<string, string>; body?: string };
  check?: (status: number, body: string) => void;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  const answeredAt: number[] = [];
  const started = performance.now();
  const instance = autocannon({
    url: options.baseUrl,
    connections: options.connections,
    // autocannon refuses an undefined option.
    ...(options.amount === undefined ? {} : { amount: options.amount }),
    ...(options.duration === undefined ? {} : { duration: options.duration }),
    timeout: 30,
    requests: [
      {
        setupRequest: (request) => {
          const built = options.build();
          return { ...request, ...built, headers: { ...request.headers, ...built.headers } };
        },
        onResponse: options.check ? (status, body) => options.check!(status, body) : undefined,
      },
    ],
  });
  instance.on('response', (_client, _status, _bytes, ms) => {
    latencies.push(ms);
    answeredAt.push(performance.now());
  });
  const result = await instance;
  // autocannon ends a run of `amount` requests on its next one-second tick; the run ended at the last response.
  const lastResponse = answeredAt.at(-1) ?? started;
  const seconds = (lastResponse - started) / 1000;
  const middle = (started + lastResponse) / 2;
  const secondHalf = answeredAt.filter((at) => at >= middle).length;
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? 0;
  const statusCodes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats)) statusCodes[code] = count;
  return {
    requests: latencies.length,
    seconds,
    requestsPerSecond: latencies.length / seconds,
    secondHalfRequestsPerSecond: secondHalf / ((lastResponse - middle) / 1000),
    p50: at(50),
    p95: at(95),
    p99: at(99),
    max: latencies.at(-1) ?? 0,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    statusCodes,
  };
}
