/**
 * Business failure codes. Each transport maps them to its own format (HTML page, problem+json,
 * OAuth2 error, LTI service error, POX failure); core never knows about HTTP.
 */
export type DomainErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'conflict'
  | 'unauthenticated'
  | 'forbidden'
  | 'invalid_credentials'
  /** Existed and was usable, is no longer (a withdrawn or disabled activity, an ended enrollment). */
  | 'unavailable'
  /** Refused for now, before any check (a sign-in lockout); `retryAfterSeconds` says until when. */
  | 'too_many_attempts';

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
  /** The line of an uploaded file the problem is on (bulk provisioning). */
  readonly line?: number;
}

export class DomainError extends Error {
  /** When the same request may succeed again; transports send it as Retry-After. */
  retryAfterSeconds?: number;

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly fields: readonly FieldProblem[] = [],
    /** What failed, in a few words, where a page says it as its heading ("The tool could not be launched"). */
    readonly headline?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static notFound(what: string): DomainError {
    return new DomainError('not_found', `${what} not found`);
  }

  static invalidField(field: string, message: string): DomainError {
    return new DomainError('validation_failed', message, [{ field, message }]);
  }

  /** A request refused as a whole (a tool's message, a selection), with the reason to show. */
  static refused(message: string, headline?: string): DomainError {
    return new DomainError('validation_failed', message, [], headline);
  }

  static tooManyAttempts(message: string, retryAfterSeconds: number): DomainError {
    return Object.assign(new DomainError('too_many_attempts', message), { retryAfterSeconds });
  }

  static conflictOn(field: string, message: string): DomainError {
    return new DomainError('conflict', message, [{ field, message }]);
  }
}
