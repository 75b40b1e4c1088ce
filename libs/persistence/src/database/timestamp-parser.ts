import { types } from 'pg';

const TIMESTAMPTZ = 1184;

/** pg's own parser (postgres-date): every form PostgreSQL writes, with three regular expressions a value. */
const parseAnyTimestamptz = types.getTypeParser(TIMESTAMPTZ, 'text') as (value: string) => Date | number;

/**
 * A timestamptz as a Date, the same Date pg makes (its milliseconds truncated, as postgres-date's
 * are), about four times faster (0.14 µs a value against 0.57 µs, warm) for the form every value
 * takes on a UTC server; anything else goes to pg's parser. A 1,000-member NRPS page carries
 * thousands of times: parsing them was among the largest costs of reading one.
 */
export function parseTimestamptz(value: string): Date | number {
  return parseUtcTimestamp(value) ?? parseAnyTimestamptz(value);
}

/**
 * `2026-12-05 02:29:41.123456+00`: what PostgreSQL writes for a timestamptz when the session's
 * TimeZone is UTC (DateStyle ISO), the fraction's trailing zeros left out; null for any other form.
 * Years 1000–9999 only: earlier ones need postgres-date's care (Date.UTC reads 0–99 as 1900–1999).
 */
function parseUtcTimestamp(value: string): Date | null {
  const zone = value.length - 3;
  const fraction = zone - 20;
  const shaped =
    value.endsWith('+00') &&
    (zone === 19 || (fraction >= 1 && fraction <= 6 && value[19] === '.')) &&
    value[4] === '-' &&
    value[7] === '-' &&
    value[10] === ' ' &&
    value[13] === ':' &&
    value[16] === ':';
  if (!shaped) return null;
  const year = digits(value, 0, 4);
  let milliseconds = 0;
  for (let place = 0; place < 3; place++)
    milliseconds = milliseconds * 10 + (place < fraction ? digits(value, 20 + place, 21 + place) : 0);
  const time = Date.UTC(
    year,
    digits(value, 5, 7) - 1,
    digits(value, 8, 10),
    digits(value, 11, 13),
    digits(value, 14, 16),
    digits(value, 17, 19),
    milliseconds,
  );
  // NaN when a digit was not one (digits' NaN spreads); the rest of the fraction must be digits too.
  return year >= 1000 && !Number.isNaN(time) && (fraction <= 3 || !Number.isNaN(digits(value, 23, zone)))
    ? new Date(time)
    : null;
}

/** The decimal number `value` writes from `start` to `end`; NaN unless every character there is a digit. */
function digits(value: string, start: number, end: number): number {
  let number = 0;
  for (let at = start; at < end; at++) {
    const digit = value.charCodeAt(at) - 48;
    if (digit < 0 || digit > 9) return NaN;
    number = number * 10 + digit;
  }
  return number;
}

/** pg's type parsers with the fast timestamptz one: for the pool's `types` option (this app's connections only). */
export const APP_TYPE_PARSERS = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMPTZ && format !== 'binary'
      ? parseTimestamptz
      : types.getTypeParser(oid, format)) as typeof types.getTypeParser,
};
