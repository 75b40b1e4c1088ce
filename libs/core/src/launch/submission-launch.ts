import { Injectable } from '@nestjs/common';
import { Principal } from '../access/principal';
import { DomainError } from '../errors/domain-error';
import { GradedPlacements } from '../grading/graded-placements';
import { SubmissionRepository } from '../grading/submission.repository';
import { LaunchContext, LaunchContextService } from './launch-context.service';

/**
 * "Open in tool" for an attempt a tool handed in with an LTI launch URL (LTI 1.1 outcome data,
 * `ltiLaunchUrl`): an instructor's launch of the placement, in its class (or course) context with the
 * Instructor role and never graded, sent to that URL instead of the link's. The URL was checked to
 * be on the tool's own site when it arrived; only staff who may grade the learner open it.
 */
@Injectable()
export class SubmissionLaunches {
  constructor(
    private readonly placements: GradedPlacements,
    private readonly submissions: SubmissionRepository,
    private readonly contexts: LaunchContextService,
  ) {}

  async resolve(
    principal: Principal,
    enrollmentId: string,
    activityId: string,
    submissionId: string,
  ): Promise<LaunchContext> {
    const placement = await this.placements.resolve(principal, enrollmentId, activityId, 'staff');
    const history = await this.submissions.history(enrollmentId, activityId);
    const url = history.find((s) => s.id === submissionId)?.ltiLaunchUrl;
    if (!url) throw DomainError.notFound('Submission');
    const launchable = await this.contexts.launchable(placement.activity, placement.organizationId);
    if (launchable.provider.ltiVersion !== '1.1') throw DomainError.notFound('Submission');
    return {
      kind: 'instructor',
      userId: principal.userId,
      enrollment: null,
      course: placement.course,
      courseClass: placement.courseClass,
      activity: placement.activity,
      ...launchable,
      link: { ...launchable.link, url },
    };
  }
}
