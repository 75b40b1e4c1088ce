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
 * A report's summary in one statement over the roster's active learners. Each learner's progress in
 * the course's activities is read once (one join, or one probe of the progress key per learner) and
 * both counts are made from it: the work grows with the roster, never with the product of learners
 * and progress rows, and a second probe per learner (which grows with the key's depth) is not made.
 * A learner completed the course when it requires something and every required activity is
 * completed (`isCourseComplete`). The row without an activity carries the learners' counts; the
 * others, the stored progress of the course's activities by activity, status and score band.
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
      `WITH progress AS (
         SELECT e.id, e.kind, e.due_at, p.activity_id, p.status, p.score_percent
           FROM enrollments e
           LEFT JOIN activity_progress p ON p.enrollment_id = e.id AND p.activity_id = ANY($4::uuid[])
          WHERE ${condition.sql} AND e.status = 'active' AND e.role = 'learner'),
       learners AS (
         SELECT kind, due_at,
                cardinality($5::uuid[]) > 0 AND cardinality($5::uuid[]) =
                  count(*) FILTER (WHERE activity_id = ANY($5::uuid[]) AND status = 'completed') AS complete
           FROM progress GROUP BY id, kind, due_at)
       SELECT NULL::uuid AS activity_id, NULL::varchar AS status, NULL::int AS band, count(*)::int AS n,
              count(*) FILTER (WHERE complete)::int AS completed,
              count(*) FILTER (WHERE kind = 'self_paced' AND due_at < $6 AND NOT complete)::int AS overdue
         FROM learners
       UNION ALL
       SELECT activity_id, status, width_bucket(score_percent, $7::numeric[]), count(*)::int, NULL, NULL
         FROM progress WHERE activity_id IS NOT NULL
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
