import { ValidationError, ValidationPipe } from '@nestjs/common';
import { applyDecorators } from '@nestjs/common';
import { DomainError, FieldProblem } from '@tms/core';
import { plainToInstance, Transform } from 'class-transformer';
import { IsString, Length, Matches, ValidateBy, validateSync } from 'class-validator';

/** The house pipe: unknown fields refused, types converted, errors keyed by field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) =>
      new DomainError('validation_failed', 'The request has invalid fields', flatten(errors)),
  });
}

export function flatten(errors: readonly ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, message: Object.values(error.constraints)[0] }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Validates a browser form with the same DTO as the API. Empty inputs count as absent, except the
 * `required` ones: an emptied required field must fail, not be silently kept as it was.
 * Returns the DTO or the field problems to show inline.
 */
export function parseForm<T extends object>(
  dto: new () => T,
  body: unknown,
  required: readonly string[] = [],
): { value: T; errors: null } | { value: null; errors: Record<string, string> } {
  const raw = Object.fromEntries(
    Object.entries((body ?? {}) as Record<string, unknown>).filter(
      ([key, value]) => key !== '_csrf' && (value !== '' || required.includes(key)),
    ),
  );
  const value = plainToInstance(dto, raw);
  const problems = flatten(validateSync(value, { whitelist: true, forbidNonWhitelisted: true }));
  if (problems.length === 0) return { value, errors: null };
  return { value: null, errors: fieldMap(problems) };
}

export function fieldMap(problems: readonly FieldProblem[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const problem of problems) map[problem.field] ??= problem.message;
  return map;
}

/**
 * Characters that have no place in names and identifiers: control characters (NUL breaks
 * PostgreSQL text), bidirectional overrides (spoof how text reads), and lone surrogates
 * (not encodable as UTF-8).
 */
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb]/;

export function isPlainText(value: unknown): boolean {
  return typeof value === 'string' && value.isWellFormed() && !UNSAFE_CHARACTERS.test(value);
}

/** A single-line human text: trimmed, NFC, 1..max characters, no control or bidi characters. */
export function PlainText(max: number, min = 1): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }) =>
      typeof value === 'string' && value.isWellFormed() ? value.normalize('NFC').trim() : value,
    ),
    IsString(),
    ValidateBy({
      name: 'plainText',
      validator: {
        validate: isPlainText,
        defaultMessage: (args) => `${args?.property} contains control, invisible or invalid characters`,
      },
    }),
    Length(min, max, { message: (args) => `${args.property} must be ${min} to ${max} characters long` }),
  );
}

export function EmailAddress(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value)),
    IsString(),
    Length(3, 254, { message: 'email must be 3 to 254 characters long' }),
    Matches(/^[^\s@\u0000-\u001f\u007f]+@[^\s@\u0000-\u001f\u007f]+\.[^\s@\u0000-\u001f\u007f]+$/, {
      message: 'email must be an email address',
    }),
  );
}
