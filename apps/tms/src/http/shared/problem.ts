import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError, DomainErrorCode, FieldProblem } from '@tms/core';
import { QueryFailedError } from 'typeorm';

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
  /** False for unknown errors: log them, show nothing of them. */
  readonly expected: boolean;
  /** Sent as Retry-After (RFC 9110 §10.2.3). */
  readonly retryAfterSeconds?: number;
}

/** PostgreSQL data exceptions (class 22: bad encoding, out of range, too long) come from client input. */
function isDataException(error: unknown): boolean {
  const code = error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
  return typeof code === 'string' && code.startsWith('22');
}

export function toProblem(error: unknown): Problem {
  if (error instanceof DomainError) {
    const status = STATUS_BY_CODE[error.code];
    return {
      status,
      code: error.code,
      title: titleOf(status),
      detail: error.message,
      fields: error.fields,
      expected: true,
      ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
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
    };
  }
  // Body parsers throw http-errors with `status` and `expose` (malformed JSON, too large, bad charset).
  const httpError = error as { status?: unknown; expose?: unknown; type?: unknown };
  if (typeof httpError.status === 'number' && httpError.expose === true && httpError.status < 500) {
    const detail =
      httpError.type === 'entity.parse.failed' ? 'The request body is not valid JSON' : titleOf(httpError.status);
    return {
      status: httpError.status,
      code: codeOf(httpError.status),
      title: titleOf(httpError.status),
      detail,
      fields: [],
      expected: true,
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
    };
  }
  return {
    status: 500,
    code: 'internal_error',
    title: titleOf(500),
    detail: 'Something went wrong on our side',
    fields: [],
    expected: false,
  };
}

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
  };
  return titles[status] ?? (status < 500 ? 'Bad Request' : 'Internal Server Error');
}
