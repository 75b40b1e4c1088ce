import { Injectable } from '@nestjs/common';
import { forUserClaim, isReviewable, LIS_ROLES, SubmissionReview } from '@tms/lti';
import { Principal } from '../access/principal';
import { DomainError } from '../errors/domain-error';
import { GradedPlacement, GradedPlacements } from '../grading/graded-placements';
import { LineItem, LineItemRepository } from '../grading/line-item.repository';
import { UserRepository } from '../identity/user.repository';
import { LaunchContext, LaunchContextService } from '../launch/launch-context.service';
import { launchIdentity } from '../launch/launch-identity';
import { ltiContextOf, ltiResourceLinkIdIn } from '../learning/lti-context';

/** What a Submission Review launch adds to a resource link launch (SRS 1.0 §3). */
export interface ReviewLaunch {
  /** The instructor's launch of the placement, in the learner's class (or course) context. */
  readonly context: LaunchContext;
  readonly lineItem: LineItem;
  readonly review: SubmissionReview;
  /** The learner whose work is reviewed: their enrollment and the `for_user` claim. */
  readonly forEnrollmentId: string;
  readonly forUser: Record<string, unknown>;
  /** `submissionReview.url`, or the link's URL (SRS 1.0 §3.1). */
  readonly targetLinkUri: string;
}

/**
 * Submission Review launches (LTI Submission Review Service 1.0): staff who may grade a learner open
 * the learner's attempt in the tool, when the placement's line item carries `submissionReview` and
 * the learner's result is in one of its reviewable statuses. The launch is the instructor's (their
 * `sub` and roles, never graded); `for_user` names the learner as the tool knows them, with the
 * person fields the tool's privacy setting allows.
 */
@Injectable()
export class SubmissionReviews {
  constructor(
    private readonly placements: GradedPlacements,
    private readonly contexts: LaunchContextService,
    private readonly lineItems: LineItemRepository,
    private readonly users: UserRepository,
  ) {}

  /** The label of the review button, or null when there is nothing the tool can review. */
  async offer(placement: GradedPlacement): Promise<string | null> {
    const found = await this.reviewable(placement);
    return found ? (found.review.label ?? 'Open in tool (Submission Review)') : null;
  }

  async resolve(principal: Principal, enrollmentId: string, activityId: string): Promise<ReviewLaunch> {
    const placement = await this.placements.resolve(principal, enrollmentId, activityId, 'staff');
    const found = await this.reviewable(placement);
    if (!found) throw DomainError.notFound('Submission to review');
    const launchable = await this.contexts.launchable(placement.activity, placement.organizationId);
    const learner = await this.users.findById(placement.enrollment.userId);
    if (!learner) throw DomainError.notFound('Submission to review');
    const identity = launchIdentity(learner, launchable.provider.privacy);
    return {
      context: {
        kind: 'instructor',
        userId: principal.userId,
        enrollment: null,
        course: placement.course,
        courseClass: placement.courseClass,
        activity: placement.activity,
        ...launchable,
      },
      lineItem: found.lineItem,
      review: found.review,
      forEnrollmentId: placement.enrollment.id,
      forUser: forUserClaim(identity.userId, identity.person, [LIS_ROLES.learner]),
      targetLinkUri: found.review.url ?? launchable.link.url,
    };
  }

  /** The placement's line item of its own tool that offers review, with the learner's result reviewable. */
  private async reviewable(placement: GradedPlacement) {
    const provider = placement.provider;
    if (!provider || provider.ltiVersion !== '1.3') return null;
    const scope = {
      providerId: provider.id,
      courseId: placement.course.id,
      classId: placement.courseClass?.id ?? null,
    };
    const resourceLinkId = ltiResourceLinkIdIn(
      placement.activity,
      ltiContextOf(placement.course, placement.courseClass),
    );
    const items = await this.lineItems.list({ ...scope, resourceLinkId, offset: 0, limit: 100 });
    for (const lineItem of items.sort((a, b) => Number(b.declarative) - Number(a.declarative))) {
      const review = lineItem.submissionReview;
      if (!review) continue;
      const result = await this.lineItems.findResult(lineItem.id, placement.enrollment.id);
      if (result && isReviewable(review, result.activityProgress)) return { lineItem, review };
    }
    return null;
  }
}
