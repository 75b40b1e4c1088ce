import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Options } from 'pino-http';
import type { DestinationStream } from 'pino';
import type { LogLevel } from '@tms/config';

/**
 * The request's id: a sane `X-Request-Id` from the caller, else a new UUID; echoed in the response.
 * Assigned once, by the first middleware (see {@link assignRequestId}), so that even what fails
 * before routing (a body no parser takes) is answered and logged with it.
 */
function requestIdOf(request: IncomingMessage & { id?: unknown }, response: ServerResponse): string {
  if (typeof request.id === 'string') return request.id;
  const incoming = request.headers['x-request-id'];
  const id = typeof incoming === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(incoming) ? incoming : randomUUID();
  response.setHeader('X-Request-Id', id);
  return id;
}

/** Express middleware, first of all: gives the request its id (pino-http then keeps it). */
export function assignRequestId(
  request: IncomingMessage & { id?: unknown },
  response: ServerResponse,
  next: () => void,
): void {
  request.id = requestIdOf(request, response);
  next();
}

/**
 * JSON request logs with a request id. Headers that carry credentials are redacted and bodies and
 * query strings are never logged, so passwords, tokens, secrets and LTI hints stay out of the logs.
 */
export function pinoHttpOptions(level: LogLevel, stream?: DestinationStream): Options | [Options, DestinationStream] {
  const options: Options = {
    level,
    genReqId: requestIdOf,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        'err.config',
        'err.parameters',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (request: { id: unknown; method: string; url: string; headers: Record<string, unknown> }) => ({
        id: request.id,
        method: request.method,
        path: request.url.split('?')[0],
        userAgent: request.headers['user-agent'],
      }),
      res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
    },
    autoLogging: { ignore: (request) => request.url === '/health' || request.url === '/metrics' },
    customLogLevel: (_request, response, error) =>
      error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
  };
  return stream ? [options, stream] : options;
}
