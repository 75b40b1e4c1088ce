import { QueryFailedError } from 'typeorm';

/**
 * SQLSTATEs that mean "the database cannot serve now, try again" (PostgreSQL appendix A): class 08
 * connection exceptions, 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now
 * (starting up, shutting down, in recovery), and 53300 too many connections.
 */
const UNAVAILABLE_SQLSTATES = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;

/** Socket errors of the way to the server: refused, reset, unreachable, not resolvable, timed out. */
const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * What node-postgres and its pool throw without a code when a connection ends under a query or
 * cannot be had in time (pg `Client`, pg-pool `connect` with `connectionTimeoutMillis`).
 */
const UNAVAILABLE_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable|Client was closed and is not queryable)/;

/**
 * True when `error` says the database is unreachable or refusing work for now (a restart, a
 * failover, a network cut, an exhausted pool): the request may succeed if tried again, so callers
 * answer 503 with Retry-After rather than 500. The one place that knows the driver's errors.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const candidate = pending.pop();
    if (typeof candidate !== 'object' || candidate === null || seen.has(candidate)) continue;
    seen.add(candidate);
    const { code, message } = candidate as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.test(code) || UNAVAILABLE_SOCKET_CODES.has(code))) {
      return true;
    }
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
    // TypeORM wraps the driver's error; Node wraps one error per address tried in an AggregateError.
    if (candidate instanceof QueryFailedError) pending.push(candidate.driverError);
    if (candidate instanceof AggregateError) pending.push(...candidate.errors);
    pending.push((candidate as { cause?: unknown }).cause);
  }
  return false;
}

/** PostgreSQL data exceptions (class 22: bad encoding, out of range, too long) come from client input. */
export function isDataException(error: unknown): boolean {
  const code = error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
  return typeof code === 'string' && code.startsWith('22');
}
