import type { TenantScope } from '../access/tenant-scope';
import type { RosterOf } from './enrollment.repository';
import type { CourseActivity, ProgressStatus } from './learning';

/** Stored progress rows of one kind: an activity of the course, a status, a score band. */
export interface ProgressRowCount {
  readonly activityId: string;
  readonly status: ProgressStatus;
  /** Index of the score's band; null without a score. */
  readonly band: number | null;
  readonly count: number;
}

/** What a report's summary is made of, counted over the active learners of a roster. */
export interface ProgressCounts {
  readonly learners: number;
  /** Learners who completed every required activity (none when the course requires none). */
  readonly completed: number;
  /** Active self-paced learners past their due date and not complete. */
  readonly overdue: number;
  /** The learners' stored progress on the course's activities; a learner without a row has not started. */
  readonly stored: readonly ProgressRowCount[];
}

export type SummaryActivity = Pick<CourseActivity, 'id' | 'required'>;

/** Port: a roster's progress counted where it is stored, whatever the roster's size. */
export abstract class ProgressSummaryRepository {
  /**
   * Counts over a roster the scope covers, on the course's `activities`. `bandStarts` are the lower
   * bounds of the score bands after the first, ascending: a score is in the band of the last bound
   * it reaches (0 below all).
   */
  abstract count(
    scope: TenantScope,
    of: RosterOf,
    activities: readonly SummaryActivity[],
    bandStarts: readonly number[],
    now: Date,
  ): Promise<ProgressCounts>;
}
