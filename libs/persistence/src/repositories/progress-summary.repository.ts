import { Injectable } from '@nestjs/common';
import {
  ProgressCounts,
  ProgressStatus,
  ProgressSummaryRepository,
  RosterOf,
  SummaryActivity,
  TenantScope,
} from '@tms/core';
import { TransactionContext } from '../database/transaction-context';
import { rosterCondition } from './roster-rows.sql';

interface CountRow {
  readonly activity_id: string | null;
  readonly status: ProgressStatus | null;
  readonly band: number | null;
  readonly n: number;
  readonly completed: number | null;
  readonly overdue: number | null;
}

/**
 * A report's summary in one statement over the roster's active learners. A learner completed the
 * course when it requires something and every required activity is completed (`isCourseComplete`):
 * counted per learner through the progress key (enrollment, activity), so the work grows with the
 * roster, never with the product of learners and progress rows. The row without an activity
 * carries the learners' counts; the others, the stored progress of the course's activities by
 * activity, status and score band.
 */
@Injectable()
export class SqlProgressSummaryRepository extends ProgressSummaryRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  async count(
    scope: TenantScope,
    of: RosterOf,
    activities: readonly SummaryActivity[],
    bandStarts: readonly number[],
    now: Date,
  ): Promise<ProgressCounts> {
    const condition = rosterCondition(scope, of);
    const required = activities.filter((activity) => activity.required).map((activity) => activity.id);
    const rows = await this.tx.query<CountRow>(
      `WITH learners AS (
         SELECT e.id, e.kind, e.due_at FROM enrollments e
          WHERE ${condition.sql} AND e.status = 'active' AND e.role = 'learner'),
       counted AS (
         SELECT l.kind, l.due_at,
                cardinality($5::uuid[]) > 0 AND cardinality($5::uuid[]) =
                  (SELECT count(*) FROM activity_progress p
                    WHERE p.enrollment_id = l.id AND p.activity_id = ANY($5::uuid[]) AND p.status = 'completed') AS complete
           FROM learners l)
       SELECT NULL::uuid AS activity_id, NULL::varchar AS status, NULL::int AS band, count(*)::int AS n,
              count(*) FILTER (WHERE complete)::int AS completed,
              count(*) FILTER (WHERE kind = 'self_paced' AND due_at < $6 AND NOT complete)::int AS overdue
         FROM counted
       UNION ALL
       SELECT p.activity_id, p.status, width_bucket(p.score_percent, $7::numeric[]), count(*)::int, NULL, NULL
         FROM learners l JOIN activity_progress p ON p.enrollment_id = l.id
        WHERE p.activity_id = ANY($4::uuid[])
        GROUP BY 1, 2, 3`,
      [...condition.values, activities.map((activity) => activity.id), required, now, [...bandStarts]],
    );
    const learners = rows.find((row) => row.activity_id === null)!;
    const stored = rows.filter((row) => row.activity_id !== null);
    return {
      learners: learners.n,
      completed: learners.completed ?? 0,
      overdue: learners.overdue ?? 0,
      stored: stored.map((row) => ({
        activityId: row.activity_id!,
        status: row.status!,
        band: row.band,
        count: row.n,
      })),
    };
  }
}
