import { Client } from 'pg';

let queries = 0;

/**
 * Counts every query the `pg` driver sends (TypeORM's included, transactions' BEGIN and COMMIT
 * too) in this process, from the first call on.
 */
export function countQueries(): () => number {
  const prototype = Client.prototype as unknown as { query: (...args: unknown[]) => unknown; __benchCounted?: true };
  if (!prototype.__benchCounted) {
    const query = prototype.query;
    prototype.query = function (this: Client, ...args: unknown[]) {
      queries++;
      return query.apply(this, args);
    };
    prototype.__benchCounted = true;
  }
  return () => queries;
}
