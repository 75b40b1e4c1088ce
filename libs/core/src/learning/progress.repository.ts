import { ActivityProgress, Enrollment } from './learning';

/** Port: each enrollment's progress on its course's activities, and its course completion. */
export abstract class ProgressRepository {
  abstract listForEnrollments(enrollmentIds: readonly string[]): Promise<ActivityProgress[]>;
  /**
   * Locks the enrollment row for the rest of the transaction: every progress write of an enrollment
   * takes this lock first, so concurrent scores and launches of one learner apply one after another
   * and course completion is computed from what is really stored.
   */
  abstract lockEnrollment(enrollmentId: string): Promise<Enrollment | null>;
  abstract find(enrollmentId: string, activityId: string): Promise<ActivityProgress | null>;
  /** Inserts or replaces the row of (enrollment, activity). */
  abstract save(progress: ActivityProgress): Promise<void>;
  /** Null clears a completion that no longer holds (a score deleted or lowered). */
  abstract setCourseCompletedAt(enrollmentId: string, at: Date | null): Promise<void>;
}
