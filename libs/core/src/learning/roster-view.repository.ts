import type { TenantScope } from '../access/tenant-scope';
import type { Page, PageRequest } from '../shared/page';
import type { RosterOf } from './enrollment.repository';
import type { EnrollmentKind, EnrollmentRole, EnrollmentStatus, ProgressStatus } from './learning';

/** A time as `Date#toISOString` writes it, in UTC to the millisecond: `2026-12-05T02:29:41.123Z`. */
export type IsoTime = string;

/** A learner's progress on one activity of the course; an activity without stored progress is not started. */
export interface ActivityProgressView {
  readonly activityId: string;
  readonly title: string;
  readonly required: boolean;
  readonly status: ProgressStatus;
  readonly scorePercent: number | null;
  readonly firstLaunchedAt: IsoTime | null;
  readonly completedAt: IsoTime | null;
}

/**
 * A row of a roster or report as it is shown: the enrollment with its learner's name and email, its
 * course, its class (none when self-paced), whether the course is complete (`isCourseComplete`), the
 * progress on each of the course's activities in course order, and the learner.
 */
export interface RosterRowView {
  readonly enrollment: {
    readonly id: string;
    readonly kind: EnrollmentKind;
    readonly courseId: string;
    readonly classId: string | null;
    readonly userId: string;
    readonly role: EnrollmentRole;
    readonly status: EnrollmentStatus;
    readonly dueAt: IsoTime | null;
    readonly completedAt: IsoTime | null;
    readonly endedAt: IsoTime | null;
    readonly createdAt: IsoTime;
    readonly userName: string;
    readonly userEmail: string;
  };
  readonly course: { readonly id: string; readonly title: string; readonly code: string | null };
  readonly class: { readonly id: string; readonly title: string } | null;
  readonly courseComplete: boolean;
  readonly activities: readonly ActivityProgressView[];
  readonly learner: { readonly id: string; readonly name: string; readonly email: string };
}

/**
 * Port: a page of a roster or report read straight into the shape it is shown in. A page of 1,000
 * enrollments assembled as domain objects (times parsed into Dates, progress mapped, then copied into
 * answers) cost the app 15–17 ms of CPU and most of its garbage; read as this view, each value is
 * read once and the course, class and activity parts are built once per page.
 */
export abstract class RosterViewRepository {
  abstract page(scope: TenantScope, of: RosterOf, page: PageRequest): Promise<Page<RosterRowView>>;
}
