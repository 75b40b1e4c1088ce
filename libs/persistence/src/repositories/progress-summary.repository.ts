import { Injectable } from '@nestjs/common';
import { ProgressCounts, ProgressSummaryRepository, RosterOf, TenantScope } from '@tms/core';
import { TransactionContext } from '../database/transaction-context';
import { rosterCondition } from './roster-rows.sql';

interface CountRow {
  readonly activity_id: string | null;
  readonly status: ProgressCounts['pairs'][number]['status'] | null;
  readonly band: number | null;
  readonly n: number;
  readonly completed: number | null;
  readonly overdue: number | null;
}

/**
 * A report's summary in one statement: the roster's active learners, each paired with every
 * activity of the course (no progress row: not started). A learner completed the course when the
 * course requires something and every required activity is completed (`isCourseComplete`). The
 * row without an activity carries the learners' counts, the others the pairs by activity, status and band.
 */
@Injectable()
export class SqlProgressSummaryRepository extends ProgressSummaryRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  async count(scope: TenantScope, of: RosterOf, bandStarts: readonly number[], now: Date): Promise<ProgressCounts> {
    const condition = rosterCondition(scope, of);
    const rows = await this.tx.query<CountRow>(
      `WITH learners AS (
         SELECT e.id, e.course_id, e.kind, e.due_at FROM enrollments e
          WHERE ${condition.sql} AND e.status = 'active' AND e.role = 'learner'),
       pairs AS (
         SELECT l.id AS enrollment_id, a.id AS activity_id, a.required,
                coalesce(p.status, 'not_started') AS status, p.score_percent
           FROM learners l JOIN course_activities a ON a.course_id = l.course_id
           LEFT JOIN activity_progress p ON p.enrollment_id = l.id AND p.activity_id = a.id),
       completion AS (
         SELECT l.kind, l.due_at, coalesce(bool_and(pr.status = 'completed') FILTER (WHERE pr.required), false) AS complete
           FROM learners l LEFT JOIN pairs pr ON pr.enrollment_id = l.id
          GROUP BY l.id, l.kind, l.due_at)
       SELECT NULL::uuid AS activity_id, NULL::varchar AS status, NULL::int AS band, count(*)::int AS n,
              count(*) FILTER (WHERE complete)::int AS completed,
              count(*) FILTER (WHERE kind = 'self_paced' AND due_at < $4 AND NOT complete)::int AS overdue
         FROM completion
       UNION ALL
       SELECT activity_id, status, width_bucket(score_percent, $5::numeric[]), count(*)::int, NULL, NULL
         FROM pairs GROUP BY 1, 2, 3`,
      [...condition.values, now, [...bandStarts]],
    );
    const learners = rows.find((row) => row.activity_id === null)!;
    const pairs = rows.filter((row) => row.activity_id !== null);
    return {
      learners: learners.n,
      completed: learners.completed ?? 0,
      overdue: learners.overdue ?? 0,
      pairs: pairs.map((row) => ({ activityId: row.activity_id!, status: row.status!, band: row.band, count: row.n })),
    };
  }
}
