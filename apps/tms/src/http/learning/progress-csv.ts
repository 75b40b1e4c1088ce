import { RosterProgress } from '@tms/core';

/**
 * A roster as CSV (RFC 4180): one row per enrollment, history included, with each activity's
 * status and score. Cells that a spreadsheet would run as a formula are prefixed with `'`
 * (OWASP "CSV injection").
 */
export function progressCsv(rows: readonly RosterProgress[]): string {
  const activities = rows[0]?.activities.map((a) => a.activity) ?? [];
  const header = [
    'learner',
    'email',
    'role',
    'offering',
    'enrolled_at',
    'enrollment_status',
    'course_complete',
    ...activities.flatMap((a) => [`${a.title} status`, `${a.title} score`]),
  ];
  const lines = rows.map((row) => [
    row.entry.userName,
    row.entry.userEmail,
    row.enrollment.role,
    row.courseClass ? row.courseClass.title : 'self-paced',
    row.enrollment.createdAt.toISOString(),
    row.enrollment.status,
    row.courseComplete ? 'yes' : 'no',
    ...row.activities.flatMap(({ progress }) => [progress.status, progress.scorePercent?.toString() ?? '']),
  ]);
  return [header, ...lines].map((cells) => cells.map(cell).join(',')).join('\r\n') + '\r\n';
}

function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
