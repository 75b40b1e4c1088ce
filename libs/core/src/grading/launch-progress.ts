import { Injectable } from '@nestjs/common';
import { ActivityProgress } from '../learning/learning';
import { UnitOfWork } from '../shared/unit-of-work';
import { progressAfterLaunch, sameProgress } from './completion';
import { ProgressWriter, ScoreTarget } from './progress-writer';

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
}
