import { Injectable } from '@nestjs/common';
import { ActivityProgress, Enrollment, notStarted } from '../learning/learning';
import { UnitOfWork } from '../shared/unit-of-work';
import { progressAfterLaunch, sameProgress } from './completion';
import { ProgressWriter, ScoreTarget } from './progress-writer';

/**
 * An enrollment's progress as a launch's placement read it: on every activity, with the fingerprint
 * that the launch's write checks under the enrollment's lock (`LaunchRepository.recordAsRead`).
 */
export interface ProgressAsRead {
  readonly fingerprint: string;
  readonly rows: readonly ActivityProgress[];
}

/** What a launch changes in its learner's progress, decided from the progress as read. */
export interface LaunchProgressChange {
  readonly enrollmentId: string;
  /** The progress it was decided from; the write happens only while it still stands. */
  readonly fingerprint: string;
  readonly progress: ActivityProgress;
  /** The course's completion to set (a time), to withdraw (null), or to leave as it is (undefined). */
  readonly courseCompletedAt: Date | null | undefined;
}

/**
 * A learner's launch in their enrollment: the first one is recorded, and a placement that takes no
 * score is complete from then on (course completion follows), under the enrollment's lock like a
 * score, so a launch and a score of one learner apply one after another.
 */
@Injectable()
export class LaunchProgress {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly progress: ProgressWriter,
  ) {}

  async record(target: ScoreTarget, now = new Date()): Promise<ActivityProgress> {
    return this.uow.run(async () => {
      const enrollment = await this.progress.lock(target.enrollmentId);
      const current = await this.progress.current(target);
      const next = progressAfterLaunch(current, target.link, now);
      if (!sameProgress(current, next)) await this.progress.save(next, enrollment, target, now);
      return next;
    });
  }

  /**
   * The same decision as `record`, made from the progress the placement read instead of under the
   * lock: the caller writes it only while that progress still stands, else takes `record`'s path.
   */
  async changeAsRead(
    target: ScoreTarget,
    enrollment: Enrollment,
    asRead: ProgressAsRead,
    now = new Date(),
  ): Promise<LaunchProgressChange> {
    const current =
      asRead.rows.find((row) => row.activityId === target.activityId) ??
      notStarted(target.enrollmentId, target.activityId);
    const next = progressAfterLaunch(current, target.link, now);
    const rows = [...asRead.rows.filter((row) => row.activityId !== target.activityId), next];
    return {
      enrollmentId: target.enrollmentId,
      fingerprint: asRead.fingerprint,
      progress: next,
      courseCompletedAt: await this.progress.completionAfter(rows, enrollment, target, now),
    };
  }
}
