// Minimal typing of the parts of autocannon 9 (untyped JavaScript) that bench/support/load.ts uses.
declare module 'autocannon' {
  namespace autocannon {
    interface Request {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string | Buffer;
      /** Called before each send of this request; returning a falsy value skips to the next request. */
      setupRequest?: (request: Request, context: Record<string, unknown>) => Request | null | undefined;
      /** Called with each response to this request, its body as a string. */
      onResponse?: (
        status: number,
        body: string,
        context: Record<string, unknown>,
        headers: Record<string, string | string[]>,
      ) => void;
    }

    interface Options {
      url: string;
      connections?: number;
      pipelining?: number;
      /** Seconds; ignored when `amount` is set. */
      duration?: number;
      /** Total number of requests, spread over the connections; the run ends when all are answered. */
      amount?: number;
      /** Seconds before a request counts as a timeout. */
      timeout?: number;
      method?: string;
      headers?: Record<string, string>;
      body?: string | Buffer;
      requests?: Request[];
    }

    interface Result {
      /** Seconds, rounded to hundredths. */
      duration: number;
      totalCompletedRequests: number;
      totalRequests: number;
      non2xx: number;
      errors: number;
      timeouts: number;
      statusCodeStats: Record<string, { count: number }>;
    }

    /** An EventEmitter that is also a promise of the result. */
    interface Instance extends PromiseLike<Result> {
      /** Emitted for every response, with its latency in milliseconds. */
      on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): this;
      stop(): void;
    }
  }

  function autocannon(options: autocannon.Options): autocannon.Instance;
  export = autocannon;
}
