export interface Course {
  readonly id: string;
  readonly organizationId: string;
  readonly title: string;
  readonly code: string | null;
  readonly description: string | null;
  /** The course this one was copied from, while it exists; null for a course made from scratch. */
  readonly sourceCourseId: string | null;
  /**
   * The context ids tools knew this course's content by before it was copied, most recent first
   * (`$Context.id.history`, LTI Core 1.3 Appendix C); empty for a course made from scratch.
   */
  readonly contextIdHistory: readonly string[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** An LTI activity: a resource link placed in a course. */
export interface CourseActivity {
  readonly id: string;
  readonly courseId: string;
  /** The catalog entry placed. */
  readonly resourceLinkId: string;
  /** The LTI `resource_link_id` of this placement: opaque, stable, never shared (LTI 1.1 §4; LTI Core 1.3 §5.4.1). */
  readonly ltiResourceLinkId: string;
  readonly title: string;
  readonly position: number;
  readonly required: boolean;
  /** The placement this one was copied from, while it exists; null for one placed by hand. */
  readonly sourceActivityId: string | null;
  /**
   * The `resource_link_id`s of the placements this one was copied from, most recent first
   * (`$ResourceLink.id.history`, LTI Core 1.3 Appendix C); empty for one placed by hand.
   */
  readonly resourceLinkIdHistory: readonly string[];
}

/** What placing a resource link needs; a copy gives its source and history too. */
export type NewCourseActivity = Omit<CourseActivity, 'id' | 'position' | 'sourceActivityId' | 'resourceLinkIdHistory'> &
  Partial<Pick<CourseActivity, 'sourceActivityId' | 'resourceLinkIdHistory'>>;

export interface CourseWithActivities extends Course {
  readonly activities: readonly CourseActivity[];
}

export interface CourseClass {
  readonly id: string;
  readonly courseId: string;
  readonly organizationId: string;
  readonly title: string;
  readonly code: string | null;
  /** ISO dates (YYYY-MM-DD). */
  readonly startsOn: string | null;
  readonly endsOn: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

const HOUR_MS = 3_600_000;

/**
 * Whether a class has ended at `now`: its end date is over everywhere on Earth. The date is a
 * calendar day without a zone, so it ends at midnight at its close in the last zone to see it
 * (UTC−12), and no learner anywhere loses the last day of their class. Without an end date, never.
 */
export function hasClassEnded(courseClass: Pick<CourseClass, 'endsOn'>, now: Date): boolean {
  if (courseClass.endsOn === null) return false;
  const endsEverywhere = Date.parse(`${courseClass.endsOn}T00:00:00Z`) + (24 + 12) * HOUR_MS;
  return now.getTime() >= endsEverywhere;
}

export const ENROLLMENT_ROLES = ['learner', 'instructor'] as const;
export type EnrollmentRole = (typeof ENROLLMENT_ROLES)[number];
export type EnrollmentKind = 'class' | 'self_paced';
/** removed: taken out of the class; closed: superseded by a retake. Both stay as history. */
export type EnrollmentStatus = 'active' | 'removed' | 'closed';

export interface Enrollment {
  readonly id: string;
  readonly kind: EnrollmentKind;
  readonly courseId: string;
  readonly classId: string | null;
  readonly userId: string;
  readonly role: EnrollmentRole;
  readonly status: EnrollmentStatus;
  readonly dueAt: Date | null;
  readonly completedAt: Date | null;
  readonly endedAt: Date | null;
  readonly createdAt: Date;
}

export const PROGRESS_STATUSES = [
  'not_started',
  'launched',
  'awaiting_score',
  /** The tool says a person must grade the work (AGS `PendingManual`). */
  'awaiting_review',
  'completed',
  'failed',
] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];

export interface ActivityProgress {
  readonly enrollmentId: string;
  readonly activityId: string;
  readonly status: ProgressStatus;
  /** Percent of the maximum; may exceed 100 (AGS allows scores over the maximum). */
  readonly scorePercent: number | null;
  /** The score exactly as the tool sent it (a decimal string), over `scoreMaximum` (1 for LTI 1.1). */
  readonly scoreGiven: string | null;
  readonly scoreMaximum: string | null;
  /** When the score last changed (set, replaced or deleted). */
  readonly scoredAt: Date | null;
  readonly firstLaunchedAt: Date | null;
  readonly completedAt: Date | null;
}

/** An enrollment's progress on every activity of its course (a missing row means not started). */
export interface EnrollmentProgress {
  readonly enrollment: Enrollment;
  readonly course: CourseWithActivities;
  readonly courseClass: CourseClass | null;
  readonly activities: ReadonlyArray<{ readonly activity: CourseActivity; readonly progress: ActivityProgress }>;
  /** Every required activity is complete. */
  readonly courseComplete: boolean;
}

export function notStarted(enrollmentId: string, activityId: string): ActivityProgress {
  return {
    enrollmentId,
    activityId,
    status: 'not_started',
    scorePercent: null,
    scoreGiven: null,
    scoreMaximum: null,
    scoredAt: null,
    firstLaunchedAt: null,
    completedAt: null,
  };
}

/** What course completion reads of an activity. */
export type CompletionActivity = Pick<CourseActivity, 'id' | 'required'>;

export function isCourseComplete(
  activities: readonly CompletionActivity[],
  progress: ReadonlyMap<string, Pick<ActivityProgress, 'status'>>,
): boolean {
  const required = activities.filter((a) => a.required);
  return required.length > 0 && required.every((a) => progress.get(a.id)?.status === 'completed');
}
