import { Logger } from '@nestjs/common';
import type { Response } from 'express';
import { CourseActivity, RosterProgress } from '@tms/core';

/**
 * A roster as CSV (RFC 4180): one row per enrollment, history included, with each activity's
 * status and score. Cells that a spreadsheet would run as a formula are prefixed with `'`
 * (OWASP "CSV injection").
 */
export function progressCsv(rows: readonly RosterProgress[]): string {
  return progressCsvHeader(rows[0]?.activities.map((a) => a.activity) ?? []) + progressCsvRows(rows);
}

export function progressCsvHeader(activities: readonly CourseActivity[]): string {
  return line([
    'learner',
    'email',
    'role',
    'offering',
    'enrolled_at',
    'enrollment_status',
    'course_complete',
    ...activities.flatMap((a) => [`${a.title} status`, `${a.title} score`]),
  ]);
}

export function progressCsvRows(rows: readonly RosterProgress[]): string {
  return rows
    .map((row) =>
      line([
        row.entry.userName,
        row.entry.userEmail,
        row.enrollment.role,
        row.courseClass ? row.courseClass.title : 'self-paced',
        row.enrollment.createdAt.toISOString(),
        row.enrollment.status,
        row.courseComplete ? 'yes' : 'no',
        ...row.activities.flatMap(({ progress }) => [progress.status, progress.scorePercent?.toString() ?? '']),
      ]),
    )
    .join('');
}

/**
 * Streams a roster's batches as a CSV attachment: one batch in memory at a time, each written when
 * the client has taken the one before. A failure after the first bytes cuts the transfer short
 * (the chunked body ends without its terminator), so a partial file never looks complete.
 */
export async function sendProgressCsv(
  response: Response,
  filename: string,
  batches: AsyncIterable<readonly RosterProgress[]>,
): Promise<void> {
  response.type('text/csv').attachment(filename);
  let started = false;
  try {
    for await (const rows of batches) {
      const header = started ? '' : progressCsvHeader(rows[0]?.activities.map((a) => a.activity) ?? []);
      started = true;
      // A client that went away stops the export: no further batch is read.
      if (!(await written(response, header + progressCsvRows(rows)))) return;
    }
    response.end(started ? '' : progressCsvHeader([]));
  } catch (error) {
    if (!response.headersSent) throw error;
    new Logger('ProgressCsv').error(`CSV export ${filename} cut short`, error instanceof Error ? error.stack : error);
    response.destroy(error instanceof Error ? error : undefined);
  }
}

/** Writes, then waits until the client has taken it (or has gone: false). */
async function written(response: Response, text: string): Promise<boolean> {
  if (!response.write(text)) {
    await new Promise<void>((resolve) => {
      const done = () => {
        response.off('drain', done).off('close', done);
        resolve();
      };
      response.on('drain', done).on('close', done);
    });
  }
  return !response.destroyed;
}

function line(cells: readonly string[]): string {
  return cells.map(cell).join(',') + '\r\n';
}

function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
