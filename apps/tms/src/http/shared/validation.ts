import { applyDecorators, ValidationPipe } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { DomainError, FieldProblem } from '@tms/core';
import { inWords, missingMessage } from './field-words';
import { plainToInstance, Transform } from 'class-transformer';
import {
  getMetadataStorage,
  IsIn,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateBy,
  ValidateIf,
  ValidationError,
  ValidatorOptions,
  validateSync,
} from 'class-validator';

/** The house pipe: unknown fields refused, null refused unless @Nullable, types converted, errors keyed by field. */
export function createValidationPipe(): ValidationPipe {
  return new HouseValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) =>
      new DomainError('validation_failed', invalidFieldsMessage(errors.length), flatten(errors)),
  });
}

class HouseValidationPipe extends ValidationPipe {
  protected override async validate(object: object, options?: ValidatorOptions): Promise<ValidationError[]> {
    return withNullErrors(object, await super.validate(object, options));
  }
}

/** Marks the conditional validation of a @Nullable field, so the null rule can tell it apart. */
const NULLABLE_CONTEXT = { nullable: true } as const;

/**
 * An optional field where null means "clear it" (a due date, a SIS id): null is taken and skips the
 * field's other validators, and OpenAPI documents the field as `nullable`. Every field without it
 * refuses null with a 400 naming the field (see {@link nullErrors}), so `{"name": null}` never
 * reaches a service that expects a name. Survives `PartialType`, which copies validation metadata.
 */
export function Nullable(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ nullable: true, required: false }),
    ValidateIf((_, value) => value !== null && value !== undefined, { context: NULLABLE_CONTEXT }),
  );
}

function isNullable(target: object, property: string): boolean {
  const dto = target.constructor;
  return getMetadataStorage()
    .getTargetValidationMetadatas(dto, '', false, false)
    .some((metadata) => metadata.propertyName === property && metadata.context?.nullable === true);
}

/**
 * The one null rule, for the API (the pipe) and for forms alike: a field of a DTO (or of a DTO nested
 * in it) that is null without being {@link Nullable} is an error. Plain objects and arrays of
 * scalars are not DTOs; their own validators judge them.
 */
export function nullErrors(instance: object): ValidationError[] {
  const errors: ValidationError[] = [];
  for (const [property, value] of Object.entries(instance)) {
    const error = Object.assign(new ValidationError(), { property, value, children: [] as ValidationError[] });
    if (value === null && !isNullable(instance, property)) {
      error.constraints = { notNull: `${property} must not be null` };
    } else if (isDto(value)) {
      error.children = nullErrors(value);
    } else if (Array.isArray(value)) {
      error.children = value
        .flatMap((item, index) =>
          isDto(item)
            ? [Object.assign(new ValidationError(), { property: String(index), children: nullErrors(item) })]
            : [],
        )
        .filter((child) => child.children!.length > 0);
    }
    if (error.constraints || error.children!.length > 0) errors.push(error);
  }
  return errors;
}

function isDto(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && value.constructor !== Object;
}

/** Null errors first; a field refused for null is not also reported for its other rules. */
function withNullErrors(instance: object, errors: ValidationError[]): ValidationError[] {
  const nulls = nullErrors(instance);
  const named = new Set(nulls.map((error) => error.property));
  return [...nulls, ...errors.filter((error) => !named.has(error.property))];
}

/** The headline of a refused form or request: how many fields need a change. */
export function invalidFieldsMessage(count: number): string {
  return count === 1 ? 'One field needs a change' : `${count} fields need a change`;
}

export function flatten(errors: readonly ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const message =
      error.constraints && ((field && missingMessage(field, error.value)) || Object.values(error.constraints)[0]);
    // A refusal of the whole value (no property, e.g. an unknown object) names no field to word.
    const own = message ? [{ field, message: field ? inWords(field, message) : message }] : [];
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
  const problems = flatten(withNullErrors(value, validateSync(value, { whitelist: true, forbidNonWhitelisted: true })));
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
      message: 'email is not an email address',
    }),
  );
}

/**
 * A UUID field, named in its message (`organizationId must be a UUID`); with `each`, a list of them
 * (`availableOrganizationIds must be UUIDs`).
 */
export function IsUuidField(options: { each?: boolean } = {}): PropertyDecorator {
  return (target, key) =>
    IsUUID('all', {
      each: options.each,
      message: `${String(key)} must be ${options.each ? 'UUIDs' : 'a UUID'}`,
    })(target, key);
}

/** One of `values`, named in its message (`status must be one of active, disabled`); with `each`, a list of them. */
export function OneOf(values: readonly string[], options: { each?: boolean } = {}): PropertyDecorator {
  return (target, key) =>
    IsIn(values, {
      each: options.each,
      message: `${String(key)} must ${options.each ? 'each ' : ''}be one of ${values.join(', ')}`,
    })(target, key);
}
/** JSON booleans as they are; a form checkbox arrives as "true"/"on" (ticked) or "false" (its hidden twin). */
/**
 * A finite number with at most `places` decimals, for values people type (a percentage). Not
 * class-validator's `maxDecimalPlaces`, which throws on exponent notation such as `1e-308`.
 */
export function DecimalNumber(places: number): PropertyDecorator {
  return ValidateBy({
    name: 'decimalNumber',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'number' && Number.isFinite(value) && Number(value.toFixed(places)) === value,
      defaultMessage: (args) => `${args?.property} must be a number with at most ${places} decimals`,
    },
  });
}

export const FormBoolean = () =>
  Transform(({ value }) => (value === 'true' || value === 'on' ? true : value === 'false' ? false : value));
