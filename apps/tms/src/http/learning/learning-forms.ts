import { ProgressStatus } from '@tms/core';
import { FormBody } from '../shared/forms';

/** What learners read for each progress status. */
export const PROGRESS_LABELS: Record<ProgressStatus, string> = {
  not_started: 'Not started',
  launched: 'Launched',
  awaiting_score: 'Awaiting score',
  awaiting_review: 'Awaiting review',
  completed: 'Completed',
  failed: 'Failed — launch again',
};

export const ENROLLMENT_STATUS_LABELS: Record<string, string> = {
  active: 'Active',
  removed: 'Removed',
  closed: 'Closed (retaken)',
};

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
