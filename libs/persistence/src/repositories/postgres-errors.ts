import { QueryFailedError } from 'typeorm';

/** True when the query failed on the named unique constraint or index (SQLSTATE 23505). */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' && driverError.constraint === constraint;
}

/** True when the query failed on the named check constraint (SQLSTATE 23514), a trigger's included. */
export function isCheckViolation(error: unknown, constraint: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23514' && driverError.constraint === constraint;
}

/** True when the query failed with serialization_failure (SQLSTATE 40001), as `progress_as_read` raises it. */
export function isSerializationFailure(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '40001';
}

/** `%` and `_` match literally in a LIKE pattern built from user input. */
export function likeContains(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
