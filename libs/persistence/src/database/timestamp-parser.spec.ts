import { types } from 'pg';
import { APP_TYPE_PARSERS, parseTimestamptz } from './timestamp-parser';

const TIMESTAMPTZ = 1184;
const pgParse = types.getTypeParser(TIMESTAMPTZ, 'text') as (value: string) => Date | number;

/** How PostgreSQL writes a time in UTC: microseconds, trailing zeros of the fraction left out. */
function written(epochMicroseconds: number): string {
  const iso = new Date(Math.floor(epochMicroseconds / 1000)).toISOString();
  const micros = String(((epochMicroseconds % 1_000_000) + 1_000_000) % 1_000_000)
    .padStart(6, '0')
    .replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${micros ? `.${micros}` : ''}+00`;
}

const same = (value: string) => {
  const ours = parseTimestamptz(value);
  const theirs = pgParse(value);
  return ours instanceof Date && theirs instanceof Date ? ours.getTime() === theirs.getTime() : ours === theirs;
};

describe('parseTimestamptz', () => {
  it('should make the same Date as pg when times in UTC carry every fraction of a second', () => {
    const base = Date.UTC(2026, 11, 5, 2, 29, 41) * 1000;
    const values = Array.from({ length: 20_000 }, (_, n) => written(base + n * 1_037 + (n % 7) * 100_000));

    expect(values.filter((value) => !same(value))).toEqual([]);
    expect(values.some((value) => !value.includes('.'))).toBe(true);
  });

  it('should make the same Date as pg when times span the years 1000 to 9999', () => {
    const values = [1000, 1582, 1970, 2000, 2038, 9999].flatMap((year) => [
      `${year}-01-01 00:00:00+00`,
      `${year}-12-31 23:59:59.999999+00`,
      `${year}-06-15 12:00:00.5+00`,
    ]);

    expect(values.filter((value) => !same(value))).toEqual([]);
  });

  it('should leave to pg the forms it does not read when the value has an offset, an early year, an era, no end or a stray character', () => {
    const values = [
      '2026-12-05 03:29:41.123456+01',
      '2026-12-04 21:59:41-04:30',
      '0050-03-01 10:00:00+00',
      '0999-03-01 10:00:00.25+00',
      '0044-03-15 12:00:00+00 BC',
      '10000-01-01 00:00:00+00',
      '2026-1x-05 02:29:41+00',
      '2026-12-05 02:29:41.12a456+00',
      '2026-12-05 02:29:41.1234567+00',
      'infinity',
      '-infinity',
    ];

    expect(values.filter((value) => !same(value))).toEqual([]);
    expect(parseTimestamptz('infinity')).toBe(Infinity);
  });

  it('should hand the pool the fast parser for timestamptz and pg’s own for other types', () => {
    expect(APP_TYPE_PARSERS.getTypeParser(TIMESTAMPTZ, 'text')).toBe(parseTimestamptz);
    expect(APP_TYPE_PARSERS.getTypeParser(1114, 'text')).toBe(types.getTypeParser(1114, 'text'));
    expect(APP_TYPE_PARSERS.getTypeParser(23, 'text')).toBe(types.getTypeParser(23, 'text'));
  });
});
