import { HttpException, HttpStatus, Logger } from '@nestjs/common';
import { DomainError, DomainErrorCode, FieldProblem } from '@tms/core';
import { isDataException, isDatabaseUnavailable } from '@tms/persistence';
import { problemsInWords } from '../shared/field-words';
import type { AppRequest } from '../shared/request-context';

const STATUS_BY_CODE: Record<DomainErrorCode, number> = {
  validation_failed: HttpStatus.BAD_REQUEST,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  invalid_credentials: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  unavailable: HttpStatus.GONE,
  too_many_attempts: HttpStatus.TOO_MANY_REQUESTS,
};

/** What any transport needs to answer an error: status, a stable code, a safe message, field problems. */
export interface Problem {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly fields: readonly FieldProblem[];
  /** False for unknown errors and outages: log them, show nothing of them. */
  readonly expected: boolean;
  /** Seconds for `Retry-After` (RFC 9110 §10.2.3) when trying again later may work; null otherwise. */
  readonly retryAfter: number | null;
}

/** A database restart or failover takes seconds; a client that waits this long usually gets through. */
export const RETRY_AFTER_SECONDS = 5;

/** The JSON body parser's limit on nesting: far beyond any document we take, far below a stack overflow. */
export const MAX_JSON_DEPTH = 32;

const logger = new Logger('HttpError');

/**
 * The problem to answer `error` with. Every 5xx is logged here with its cause and the request id,
 * whichever transport answers it; the answer itself never shows the cause.
 */
export function problemFor(error: unknown, request: AppRequest): Problem {
  const problem = toProblem(error);
  if (!problem.expected) {
    const message = problem.status === 503 ? 'Database unavailable' : 'Unhandled error';
    logger.error({ err: error, requestId: request.id, status: problem.status, path: request.path }, message);
  }
  return problem;
}

export function toProblem(error: unknown): Problem {
  if (isDatabaseUnavailable(error)) {
    return {
      status: HttpStatus.SERVICE_UNAVAILABLE,
      code: 'temporarily_unavailable',
      title: titleOf(HttpStatus.SERVICE_UNAVAILABLE),
      detail: 'The service is briefly unavailable; nothing was changed. Please try again in a few seconds.',
      fields: [],
      expected: false,
      retryAfter: RETRY_AFTER_SECONDS,
    };
  }
  if (error instanceof DomainError) {
    const status = STATUS_BY_CODE[error.code];
    const fields = problemsInWords(error.fields);
    const sole = error.fields.length === 1 && error.fields[0].message === error.message;
    return {
      status,
      code: error.code,
      title: error.headline ?? titleOf(status),
      detail: sole ? fields[0].message : error.message,
      fields,
      expected: true,
      retryAfter: error.retryAfterSeconds ?? null,
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return {
      status,
      code: codeOf(status),
      title: titleOf(status),
      detail: detailOf(error),
      fields: [],
      expected: status < 500,
      retryAfter: null,
    };
  }
  // Body parsers throw http-errors with `status` and `expose` (malformed JSON, too large, bad charset).
  const httpError = error as { status?: unknown; expose?: unknown; type?: unknown };
  if (typeof httpError.status === 'number' && httpError.expose === true && httpError.status < 500) {
    return {
      status: httpError.status,
      code: codeOf(httpError.status),
      title: titleOf(httpError.status),
      detail: BODY_PARSER_DETAILS[String(httpError.type)] ?? titleOf(httpError.status),
      fields: [],
      expected: true,
      retryAfter: null,
    };
  }
  if (isDataException(error)) {
    return {
      status: 400,
      code: 'invalid_input',
      title: titleOf(400),
      detail: 'A value in the request is not acceptable',
      fields: [],
      expected: true,
      retryAfter: null,
    };
  }
  return {
    status: 500,
    code: 'internal_error',
    title: titleOf(500),
    detail: 'Something went wrong on our side',
    fields: [],
    expected: false,
    retryAfter: null,
  };
}

/** What a client can do about a body the parsers refused (body-parser's error `type`s, and ours). */
const BODY_PARSER_DETAILS: Record<string, string> = {
  'entity.parse.failed': 'The request body is not valid JSON',
  'entity.too.deep': `The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep`,
  'entity.too.large': 'The request body is too large',
  'charset.unsupported': 'The request body has an unsupported charset',
  'encoding.unsupported': 'The request body has an unsupported content encoding',
};

function detailOf(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  return titleOf(error.getStatus());
}

function codeOf(status: number): string {
  return titleOf(status)
    .toLowerCase()
    .replace(/[^a-z]+/g, '_');
}

export function titleOf(status: number): string {
  const titles: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    409: 'Conflict',
    410: 'No Longer Available',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
  };
  return titles[status] ?? (status < 500 ? 'Bad Request' : 'Internal Server Error');
}
