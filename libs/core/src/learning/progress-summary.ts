import { EnrollmentProgress, PROGRESS_STATUSES, ProgressStatus } from './learning';

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

export function summarizeProgress(rows: readonly EnrollmentProgress[], now: Date): ProgressSummary {
  return new ProgressTally(now).add(rows).summary();
}

/** The summary of a roster read in batches (an export's keyset batches): one batch in memory at a time. */
export async function summarizeBatches(
  batches: AsyncIterable<readonly EnrollmentProgress[]>,
  now: Date,
): Promise<ProgressSummary> {
  const tally = new ProgressTally(now);
  for await (const rows of batches) tally.add(rows);
  return tally.summary();
}

/** Counts toward a ProgressSummary, row by row, keeping no row. */
class ProgressTally {
  private learners = 0;
  private completed = 0;
  private overdue = 0;
  private readonly statusCounts = new Map<ProgressStatus, number>(PROGRESS_STATUSES.map((s) => [s, 0]));
  private readonly bandCounts = SCORE_BANDS.map(() => 0);
  private readonly activities = new Map<string, ActivitySummary>();

  constructor(private readonly now: Date) {}

  add(rows: readonly EnrollmentProgress[]): this {
    for (const row of rows) {
      if (row.enrollment.status !== 'active' || row.enrollment.role !== 'learner') continue;
      this.learners += 1;
      if (row.courseComplete) this.completed += 1;
      if (isOverdue(row, this.now)) this.overdue += 1;
      for (const { activity, progress } of row.activities) {
        this.statusCounts.set(progress.status, this.statusCounts.get(progress.status)! + 1);
        if (progress.scorePercent !== null) {
          const band = SCORE_BANDS.findIndex((b) => progress.scorePercent! >= b.from && progress.scorePercent! < b.to);
          this.bandCounts[band < 0 ? 0 : band] += 1;
        }
        const before = this.activities.get(activity.id) ?? {
          activityId: activity.id,
          title: activity.title,
          required: activity.required,
          completed: 0,
          learners: 0,
        };
        this.activities.set(activity.id, {
          ...before,
          learners: before.learners + 1,
          completed: before.completed + (progress.status === 'completed' ? 1 : 0),
        });
      }
    }
    return this;
  }

  summary(): ProgressSummary {
    return {
      learners: this.learners,
      completed: this.completed,
      completionRate: this.learners === 0 ? 0 : this.completed / this.learners,
      statuses: PROGRESS_STATUSES.map((status) => ({ status, count: this.statusCounts.get(status)! })),
      scores: SCORE_BANDS.map((band, index) => ({ label: band.label, count: this.bandCounts[index] })),
      activities: [...this.activities.values()],
      overdue: this.overdue,
    };
  }
}
