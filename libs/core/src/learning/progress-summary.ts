import { CourseActivity, EnrollmentProgress, PROGRESS_STATUSES, ProgressStatus } from './learning';
import type { ProgressCounts, ProgressRowCount } from './progress-summary.repository';

/** Score bands of a report's score chart, in percent: [from, to), the last one closed (100 and over). */
export const SCORE_BANDS = [
  { from: 0, to: 20, label: '0–19%' },
  { from: 20, to: 40, label: '20–39%' },
  { from: 40, to: 60, label: '40–59%' },
  { from: 60, to: 80, label: '60–79%' },
  { from: 80, to: Infinity, label: '80–100%' },
] as const;

export interface ActivitySummary {
  readonly activityId: string;
  readonly title: string;
  readonly required: boolean;
  readonly completed: number;
  readonly learners: number;
}

/** What a course or class report shows at a glance, counted over the learners still enrolled. */
export interface ProgressSummary {
  /** Active learner enrollments (removed and closed ones are history, not counted). */
  readonly learners: number;
  /** Of them, those who completed every required activity. */
  readonly completed: number;
  /** completed / learners, 0 when nobody is enrolled. */
  readonly completionRate: number;
  /** Every (learner, activity) pair by its status. */
  readonly statuses: ReadonlyArray<{ readonly status: ProgressStatus; readonly count: number }>;
  /** Every score received, by band. */
  readonly scores: ReadonlyArray<{ readonly label: string; readonly count: number }>;
  readonly activities: readonly ActivitySummary[];
  /** Self-paced assignments past their due date and not complete. */
  readonly overdue: number;
}

/** The share of a learner's required activities that is complete (all activities when none is required). */
export function completionShare(row: EnrollmentProgress): number {
  const required = row.activities.filter((a) => a.activity.required);
  const counted = required.length > 0 ? required : row.activities;
  if (counted.length === 0) return 0;
  return counted.filter((a) => a.progress.status === 'completed').length / counted.length;
}

/** A self-paced assignment whose due date has passed while the course is not complete. */
export function isOverdue(row: EnrollmentProgress, now: Date): boolean {
  const { enrollment } = row;
  return (
    enrollment.kind === 'self_paced' &&
    enrollment.status === 'active' &&
    enrollment.dueAt !== null &&
    enrollment.dueAt.getTime() < now.getTime() &&
    !row.courseComplete
  );
}

/** The lower bounds of the score bands after the first: a score belongs to the last one it reaches. */
export const SCORE_BAND_STARTS: readonly number[] = SCORE_BANDS.slice(1).map((band) => band.from);

/**
 * The summary of a roster from its counts (`ProgressSummaryRepository`), with the course's activities
 * in course order: every learner is paired with every activity, not started where no row is stored;
 * no activity is listed while nobody is enrolled.
 */
export function summaryFromCounts(counts: ProgressCounts, activities: readonly CourseActivity[]): ProgressSummary {
  const total = (match: (row: ProgressRowCount) => boolean) =>
    counts.stored.reduce((sum, row) => sum + (match(row) ? row.count : 0), 0);
  const unstored = counts.learners * activities.length - total(() => true);
  return {
    learners: counts.learners,
    completed: counts.completed,
    completionRate: counts.learners === 0 ? 0 : counts.completed / counts.learners,
    statuses: PROGRESS_STATUSES.map((status) => ({
      status,
      count: total((row) => row.status === status) + (status === 'not_started' ? unstored : 0),
    })),
    scores: SCORE_BANDS.map((band, index) => ({ label: band.label, count: total((row) => row.band === index) })),
    activities:
      counts.learners === 0
        ? []
        : activities.map((activity) => ({
            activityId: activity.id,
            title: activity.title,
            required: activity.required,
            completed: total((row) => row.activityId === activity.id && row.status === 'completed'),
            learners: counts.learners,
          })),
    overdue: counts.overdue,
  };
}
