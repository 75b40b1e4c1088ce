import { Injectable } from '@nestjs/common';
import { LtiResourceLink } from '../catalog/lti-resource-link';
import { DomainError } from '../errors/domain-error';
import { CourseRepository } from '../learning/course.repository';
import {
  ActivityProgress,
  CompletionActivity,
  CourseWithActivities,
  Enrollment,
  isCourseComplete,
  notStarted,
} from '../learning/learning';
import { ProgressRepository } from '../learning/progress.repository';
import { ScoreSnapshot } from './score-batch.repository';

/** What a score needs of the placement's catalog entry: its tool, its URL, its completion rule. */
export type ScoredLink = Pick<LtiResourceLink, 'providerId' | 'url' | 'requiresScoreForCompletion' | 'passingScore'>;

/** Where progress changes: an enrollment's activity, and the catalog entry that rules its completion. */
export interface ScoreTarget {
  readonly enrollmentId: string;
  readonly activityId: string;
  readonly link: ScoredLink;
  /** The course's activities, when the caller has them (saves loading the course again). */
  readonly courseActivities?: readonly CompletionActivity[];
  /**
   * The enrollment as the caller read it under its row lock in the transaction the score is applied
   * in (saves reading it again); the caller's statement took the lock.
   */
  readonly snapshot?: ScoreSnapshot;
}

/**
 * Reads and writes one enrollment's progress for the use cases that change it (a score arriving, a
 * launch), inside their transaction: the enrollment's row lock first, so that concurrent scores and
 * launches of one learner apply one after another, then course completion computed from what is
 * stored.
 */
@Injectable()
export class ProgressWriter {
  constructor(
    private readonly progress: ProgressRepository,
    private readonly courses: CourseRepository,
  ) {}

  /** Takes the enrollment's row lock for the rest of the transaction. */
  async lock(enrollmentId: string): Promise<Enrollment> {
    const enrollment = await this.progress.lockEnrollment(enrollmentId);
    if (!enrollment) throw DomainError.notFound('Enrollment');
    return enrollment;
  }

  /** The activity's progress as stored (not started when there is none); under the lock. */
  async current(target: Pick<ScoreTarget, 'enrollmentId' | 'activityId'>): Promise<ActivityProgress> {
    return (
      (await this.progress.find(target.enrollmentId, target.activityId)) ??
      notStarted(target.enrollmentId, target.activityId)
    );
  }

  /** Stores the activity's progress, and the course's completion as it now stands (set or withdrawn). */
  async save(next: ActivityProgress, enrollment: Enrollment, target: ScoreTarget, now: Date): Promise<void> {
    await this.progress.save(next);
    const rows = await this.progress.listForEnrollments([enrollment.id]);
    const completedAt = await this.completionAfter(rows, enrollment, target, now);
    if (completedAt !== undefined) await this.progress.setCourseCompletedAt(enrollment.id, completedAt);
  }

  /**
   * The course's completion once `rows` (the enrollment's progress on every activity) are stored:
   * the time to set, null to withdraw it, undefined when it stands as it is.
   */
  async completionAfter(
    rows: readonly ActivityProgress[],
    enrollment: Enrollment,
    target: ScoreTarget,
    now: Date,
  ): Promise<Date | null | undefined> {
    const activities =
      target.courseActivities ??
      ((await this.courses.findById(enrollment.courseId)) as CourseWithActivities).activities;
    const complete = isCourseComplete(activities, new Map(rows.map((row) => [row.activityId, row])));
    if (complete && !enrollment.completedAt) return now;
    if (!complete && enrollment.completedAt) return null;
    return undefined;
  }
}
