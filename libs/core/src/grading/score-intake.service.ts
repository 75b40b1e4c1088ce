import { Injectable } from '@nestjs/common';
import { LtiResourceLink } from '../catalog/lti-resource-link';
import { DomainError } from '../errors/domain-error';
import {
  ActivityProgress,
  CourseActivity,
  CourseWithActivities,
  Enrollment,
  isCourseComplete,
  notStarted,
} from '../learning/learning';
import { CourseRepository } from '../learning/course.repository';
import { ProgressRepository } from '../learning/progress.repository';
import { UnitOfWork } from '../shared/unit-of-work';
import {
  FINAL_GRADE,
  GivenScore,
  progressAfterLaunch,
  progressAfterScore,
  sameProgress,
  ToolGrading,
} from './completion';
import { NewScoreLedgerEntry, ScoreLedgerRepository } from './score-ledger.repository';

/** Where a score lands: an enrollment's activity, and the catalog entry that rules its completion. */
export interface ScoreTarget {
  readonly enrollmentId: string;
  readonly activityId: string;
  readonly link: LtiResourceLink;
  /** The course's activities, when the caller has them (saves loading the course again). */
  readonly courseActivities?: readonly CourseActivity[];
}

/** The ledger fields the caller knows; the decision and the resulting status are filled in here. */
export type LedgerContext = Omit<NewScoreLedgerEntry, 'decision' | 'reason' | 'resultingStatus' | 'scorePercent'>;

/**
 * The one way progress changes, for both LTI versions: under the enrollment's row lock, so that
 * concurrent launches and scores of one learner apply one after another, course completion is
 * computed from what is stored, and the ledger entry commits with the change or not at all.
 */
@Injectable()
export class ScoreIntakeService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly progress: ProgressRepository,
    private readonly courses: CourseRepository,
    private readonly ledger: ScoreLedgerRepository,
  ) {}

  /** Replaces (or with null, deletes) the score and records the request in the ledger. */
  async applyScore(
    target: ScoreTarget,
    score: GivenScore | null,
    ledger: LedgerContext,
    now = new Date(),
    tool: ToolGrading = FINAL_GRADE,
  ): Promise<ActivityProgress> {
    return this.uow.run(async () => {
      const { enrollment, current } = await this.current(target);
      const next = progressAfterScore(current, target.link, score, now, tool);
      const changed = !sameProgress(current, next);
      if (changed) await this.save(next, enrollment, target, now);
      await this.ledger.record({
        ...ledger,
        decision: changed ? 'applied' : 'unchanged',
        reason: null,
        resultingStatus: (changed ? next : current).status,
        scorePercent: (changed ? next : current).scorePercent,
      });
      return changed ? next : current;
    });
  }

  /** A launch of the enrollment's learner. */
  async recordLaunch(target: ScoreTarget, now = new Date()): Promise<ActivityProgress> {
    return this.uow.run(async () => {
      const { enrollment, current } = await this.current(target);
      const next = progressAfterLaunch(current, target.link, now);
      if (!sameProgress(current, next)) await this.save(next, enrollment, target, now);
      return next;
    });
  }

  /** The stored progress, read under the same lock (readResult answers what is really stored). */
  async read(target: ScoreTarget): Promise<ActivityProgress> {
    return this.uow.run(async () => (await this.current(target)).current);
  }

  /** The enrollment, locked for the rest of the transaction, and the stored progress. */
  private async current(target: ScoreTarget): Promise<{ enrollment: Enrollment; current: ActivityProgress }> {
    const enrollment = await this.progress.lockEnrollment(target.enrollmentId);
    if (!enrollment) throw DomainError.notFound('Enrollment');
    const current =
      (await this.progress.find(target.enrollmentId, target.activityId)) ??
      notStarted(target.enrollmentId, target.activityId);
    return { enrollment, current };
  }

  private async save(next: ActivityProgress, enrollment: Enrollment, target: ScoreTarget, now: Date): Promise<void> {
    await this.progress.save(next);
    const activities =
      target.courseActivities ??
      ((await this.courses.findById(enrollment.courseId)) as CourseWithActivities).activities;
    const rows = await this.progress.listForEnrollments([enrollment.id]);
    const complete = isCourseComplete(activities, new Map(rows.map((row) => [row.activityId, row])));
    if (complete && !enrollment.completedAt) await this.progress.setCourseCompletedAt(enrollment.id, now);
    if (!complete && enrollment.completedAt) await this.progress.setCourseCompletedAt(enrollment.id, null);
  }
}
