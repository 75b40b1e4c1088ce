import type { FormBody } from '../shared/forms';

/** What an enrollment by emails did, as the class page reports it after its redirect (post/redirect/get). */
export interface EnrollmentReport {
  readonly enrolled: readonly string[];
  readonly alreadyEnrolled: readonly string[];
  readonly notFound: readonly string[];
  /** Typed, but not an email address at all: never looked up. */
  readonly invalid: readonly string[];
}

const EMAIL = /^[^\s@\u0000-\u001f\u007f]+@[^\s@\u0000-\u001f\u007f]+\.[^\s@\u0000-\u001f\u007f]+$/;
const KEYS = { enrolled: 'enrolled', alreadyEnrolled: 'already', notFound: 'unknown', invalid: 'invalid' } as const;
/** At most this many emails per list survive in the URL; the rest are counted in the roster itself. */
const LIST_MAX = 200;

/** Splits typed entries into what looks like an email (looked up) and what does not (reported as such). */
export function sortEmails(entries: readonly string[]): { valid: string[]; invalid: string[] } {
  const normalized = entries.map((entry) => entry.trim().toLowerCase());
  return {
    valid: normalized.filter((entry) => EMAIL.test(entry)),
    invalid: entries.filter((entry) => !EMAIL.test(entry.trim().toLowerCase())),
  };
}

/** The report as the query of the redirect to the class page. */
export function reportQuery(report: EnrollmentReport): string {
  const query = new URLSearchParams({ enrollment: 'done' });
  for (const [field, key] of Object.entries(KEYS)) {
    const list = report[field as keyof EnrollmentReport];
    if (list.length > 0) query.set(key, list.slice(0, LIST_MAX).join(','));
  }
  return query.toString();
}

/** The report back from the class page's query; null when it carries none. */
export function readReport(query: FormBody): EnrollmentReport | null {
  if (query.enrollment !== 'done') return null;
  const list = (key: string): string[] => {
    const value = query[key];
    return typeof value === 'string' && value !== '' ? value.split(',').slice(0, LIST_MAX) : [];
  };
  return {
    enrolled: list(KEYS.enrolled),
    alreadyEnrolled: list(KEYS.alreadyEnrolled),
    notFound: list(KEYS.notFound),
    invalid: list(KEYS.invalid),
  };
}
