import {
  DomainError,
  MAX_PROVISIONING_ROWS,
  ORGANIZATION_LIST_SEPARATOR,
  PROVISIONING_COLUMNS,
  ProvisioningColumn,
  ProvisioningRow,
  ProvisioningValues,
} from '@tms/core';
import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

export const PROVISIONING_FORMATS = ['csv', 'json'] as const;
export type ProvisioningFormat = (typeof PROVISIONING_FORMATS)[number];

export const PROVISIONING_MEDIA_TYPES: Record<ProvisioningFormat, string> = {
  csv: 'text/csv',
  json: 'application/json',
};

/** The largest file the import takes (about 10,000 rows of a full catalog). */
export const PROVISIONING_FILE_LIMIT = 8 * 1024 * 1024;

/** What a JSON file says it is, so that a file of something else is told apart. */
const JSON_FORMAT = 'tms-lti-provisioning/1';

const KNOWN = new Set<string>(PROVISIONING_COLUMNS);

/**
 * The rows of an uploaded file, each with its line; a file that cannot be read is refused as a
 * whole. A JSON body the body parser already read comes as its value.
 */
export function readProvisioningFile(content: unknown, format: ProvisioningFormat): ProvisioningRow[] {
  if (format === 'csv' && typeof content !== 'string') throw fileProblem(0, 'Send the CSV file as text/csv');
  const rows = format === 'csv' ? readCsv(content as string) : readJson(content);
  if (rows.length > MAX_PROVISIONING_ROWS) {
    throw fileProblem(0, `A file may hold at most ${MAX_PROVISIONING_ROWS} rows; split it`);
  }
  return rows;
}

/** A file of these rows, CSV with a header line or JSON `{format, rows}`. */
export function writeProvisioningFile(rows: readonly ProvisioningValues[], format: ProvisioningFormat): string {
  if (format === 'json') return JSON.stringify({ format: JSON_FORMAT, rows }, null, 2);
  return stringify(
    rows.map((row) => PROVISIONING_COLUMNS.map((column) => escapeCell(row[column] ?? ''))),
    { header: true, columns: [...PROVISIONING_COLUMNS], record_delimiter: '\n' },
  );
}

function readCsv(text: string): ProvisioningRow[] {
  let header: string[] = [];
  let records: { record: Record<string, string>; info: { lines: number }; raw: string }[];
  try {
    // One line ending throughout: csv-parse counts a CR inside a quoted cell as a line of its own.
    records = parse(text.replace(/\r\n?/g, '\n'), {
      bom: true,
      columns: (names: string[]) => (header = names.map((name) => String(name).trim())),
      skip_empty_lines: true,
      info: true,
      raw: true,
    });
  } catch (error) {
    if (error instanceof CsvError) throw fileProblem(csvLine(error), csvMessage(error));
    throw error;
  }
  const unknown = header.filter((name) => name && !KNOWN.has(name));
  if (unknown.length > 0) throw fileProblem(1, unknownColumns(unknown));
  if (!header.includes('kind')) {
    throw fileProblem(1, 'The first line must name the columns, with at least kind (see the export for all of them)');
  }
  return records.map(({ record, info, raw }) => ({
    // info.lines is where the record ends; a quoted cell may span lines (and empty lines come before it).
    line:
      info.lines -
      (raw
        .replace(/^(\r?\n)+/, '')
        .replace(/\r?\n$/, '')
        .match(/\n/g)?.length ?? 0),
    values: Object.fromEntries(Object.entries(record).map(([column, value]) => [column, unescapeCell(value)])),
  }));
}

/**
 * A cell a spreadsheet would run as a formula is written with a leading `'` (OWASP "CSV
 * injection"), and read back without it, so an export imports as it was.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

function escapeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

function unescapeCell(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

function readJson(content: unknown): ProvisioningRow[] {
  let document = content;
  try {
    if (typeof content === 'string') document = JSON.parse(content);
  } catch {
    throw fileProblem(0, 'The file is not valid JSON');
  }
  const items = Array.isArray(document) ? document : (document as { rows?: unknown } | null)?.rows;
  if (!Array.isArray(items)) throw fileProblem(0, 'A JSON file holds {"rows": [ … ]} (or an array of rows)');
  return items.map((item: unknown, index) => ({ line: index + 1, values: jsonValues(item, index + 1) }));
}

/** A JSON row's values as the CSV cells they stand for: lists joined, numbers and booleans written out. */
function jsonValues(item: unknown, line: number): ProvisioningValues {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw fileProblem(line, `Row ${line} must be an object of column names and values`);
  }
  const unknown = Object.keys(item).filter((key) => !KNOWN.has(key));
  if (unknown.length > 0) throw fileProblem(line, unknownColumns(unknown));
  const values: ProvisioningValues = {};
  for (const [key, value] of Object.entries(item)) {
    const column = key as ProvisioningColumn;
    if (value === null || value === undefined) continue;
    if (Array.isArray(value) && value.every((entry) => typeof entry === 'string')) {
      values[column] = value.join(column === 'availableOrganizations' ? `${ORGANIZATION_LIST_SEPARATOR} ` : ' ');
    } else if (['string', 'number', 'boolean'].includes(typeof value)) values[column] = String(value);
    else throw DomainError.invalidField(column, `${column} must be text, a number, true or false, or a list of text`);
  }
  return values;
}

function fileProblem(line: number, message: string): DomainError {
  return new DomainError('validation_failed', message, [{ field: 'file', message, ...(line > 0 ? { line } : {}) }]);
}

function unknownColumns(names: readonly string[]): string {
  const list = names
    .slice(0, 5)
    .map((name) => `“${name.slice(0, 40)}”`)
    .join(', ');
  return `Unknown column${names.length > 1 ? 's' : ''} ${list}; the columns are ${PROVISIONING_COLUMNS.join(', ')}`;
}

function csvLine(error: CsvError): number {
  return (error as CsvError & { lines?: number }).lines ?? 0;
}

function csvMessage(error: CsvError): string {
  const line = csvLine(error);
  const where = line ? ` (line ${line})` : '';
  if (error.code === 'CSV_RECORD_INCONSISTENT_COLUMNS')
    return `A row has a different number of cells than the header${where}`;
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') return `A quoted cell is never closed${where}`;
  return `The file is not valid CSV${where}`;
}
