import { LtiProvider } from '../catalog/lti-provider';
import { LtiResourceLink } from '../catalog/lti-resource-link';
import { User } from '../identity/user';
import { ActivityProgress, CourseActivity, CourseClass, CourseWithActivities, Enrollment } from '../learning/learning';
import { ProgressAsRead } from '../grading/launch-progress';

/**
 * Everything a launch from an enrollment needs, as one statement reads it: the enrollment, its
 * person, course (with its activities) and class; the activity asked for with its link and tool;
 * where the course is taken and that organization's ancestors (availability is decided against
 * them); the person's progress in the activity. Nothing is refused here: LaunchContextService
 * decides.
 */
export interface LaunchPlacement {
  readonly enrollment: Enrollment;
  readonly person: User;
  readonly course: CourseWithActivities;
  readonly courseClass: CourseClass | null;
  /** Null when the activity is not the course's; then link and provider are null too. */
  readonly activity: CourseActivity | null;
  readonly link: LtiResourceLink | null;
  readonly provider: LtiProvider | null;
  /** The class's organization (else the course's) and its ancestors. */
  readonly lineage: readonly string[];
  /** Null when the person has no progress in the activity yet. */
  readonly progress: ActivityProgress | null;
  /** The enrollment's progress on every activity, as read in the same statement. */
  readonly progressAsRead: ProgressAsRead;
}

/** Port: a launch's placement in one round trip (launches are the hottest path there is). */
export abstract class LaunchPlacementRepository {
  abstract findByEnrollment(enrollmentId: string, activityId: string): Promise<LaunchPlacement | null>;
}
