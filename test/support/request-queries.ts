import { AsyncLocalStorage } from 'node:async_hooks';
import type { Server } from 'node:http';
import { Client } from 'pg';

/** The SQL statements one HTTP request sent, in order (transactions' BEGIN and COMMIT included). */
export interface RequestQueries {
  readonly method: string;
  readonly path: string;
  readonly statements: string[];
}

const current = new AsyncLocalStorage<RequestQueries>();
let patched = false;

/**
 * Records, per HTTP request the server answers, every query the `pg` driver sends on its behalf:
 * the request's async context carries its record to the driver, so background work (the janitor,
 * the notice dispatcher) and other requests never count. Appends each request to `seen` (returned).
 */
export function recordRequestQueries(server: Server, seen: RequestQueries[] = []): RequestQueries[] {
  if (!patched) {
    const prototype = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const query = prototype.query;
    prototype.query = function (this: Client, ...args: unknown[]) {
      const first = args[0] as string | { text?: string };
      current.getStore()?.statements.push(typeof first === 'string' ? first : String(first?.text ?? first));
      return query.apply(this, args);
    };
    patched = true;
  }
  // First among the listeners, so that Express and everything it starts run inside the record's context.
  server.prependListener('request', (request) => {
    const record: RequestQueries = { method: request.method ?? '', path: request.url ?? '', statements: [] };
    seen.push(record);
    current.enterWith(record);
  });
  return seen;
}
