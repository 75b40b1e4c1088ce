import { ProgressStatus } from '@tms/core';

/** A browser form post as the body parser hands it over (repeated names arrive as arrays). */
export type FormBody = Record<string, unknown>;

export type Errors = Record<string, string>;

/** An option of the `choice-select` partial. */
export interface Choice {
  readonly value: string;
  readonly label: string;
  readonly depth?: number;
}

/** What learners read for each progress status. */
export const PROGRESS_LABELS: Record<ProgressStatus, string> = {
  not_started: 'Not started',
  launched: 'Launched',
  awaiting_score: 'Awaiting score',
  completed: 'Completed',
  failed: 'Failed — launch again',
};

export const ENROLLMENT_STATUS_LABELS: Record<string, string> = {
  active: 'Active',
  removed: 'Removed',
  closed: 'Closed (retaken)',
};

/**
 * A lone checkbox comes with a hidden "false" before it: unticked sends "false", ticked sends both
 * and the box wins. The DTOs take real booleans.
 */
export function checkbox(body: FormBody, field: string): FormBody {
  if (!(field in body)) return body;
  const values = ([] as unknown[]).concat(body[field]);
  return { ...body, [field]: values.includes('true') };
}

/** The optional fields that an emptied input clears on an edit form (parseForm drops empty inputs). */
export function emptiedToNull(body: FormBody, fields: readonly string[]): Record<string, null> {
  return Object.fromEntries(fields.filter((field) => body[field] === '').map((field) => [field, null]));
}

/** The query string of a list page without its empty filters and notice, for paging links. */
export function activeFilters(query: FormBody): Record<string, string> {
  return Object.fromEntries(
    Object.entries(query).filter(
      (entry): entry is [string, string] => entry[0] !== 'page' && typeof entry[1] === 'string' && entry[1] !== '',
    ),
  );
}

/** A date as the pages show it (YYYY-MM-DD, UTC). */
export function isoDate(value: Date | null | undefined): string {
  return value ? value.toISOString().slice(0, 10) : '';
}

/** Emails typed in a text area: one per line, or separated by commas, semicolons or spaces. */
export function splitEmails(lines: readonly string[]): string[] {
  return lines.flatMap((line) => line.split(/[,;\s]+/)).filter((email) => email !== '');
}
