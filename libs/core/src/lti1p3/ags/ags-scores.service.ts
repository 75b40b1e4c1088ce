import { Injectable } from '@nestjs/common';
import { readScorePublish, ScorePublish } from '@tms/lti';
import { LtiProvider } from '../../catalog/lti-provider';
import { DomainError } from '../../errors/domain-error';
import { ToolGrading } from '../../grading/completion';
import { LedgerContext, ScoreIntakeService } from '../../grading/score-intake.service';
import { NO_DETAILS } from '../../grading/submission.repository';
import { routePath } from '../../launch/platform-urls';
import { isTestLearnerId } from '../../launch/test-learner';
import { EnrollmentRepository } from '../../learning/enrollment.repository';
import { Enrollment } from '../../learning/learning';
import { ServiceContext, ServiceContexts } from '../service-contexts';
import { LineItemsService } from './line-items.service';

/** What became of a score publish the tool may know (refusals are thrown). */
export type PublishOutcome = 'applied' | 'unchanged' | 'preview';

/** Whose score it is: a learner's enrollment, the test learner of a preview, or nobody we may score. */
type Scored = { readonly enrollment: Enrollment } | { readonly preview: true } | { readonly refused: string };

/**
 * A score publish of AGS 2.0 (§3.4) on one of the tool's line items: read and checked, matched to
 * the learner enrolled in the line item's context, and handed to the score intake, which keeps it
 * as the line item's result and, on the placement's platform-made line item, lets it decide the
 * placement's progress. Every publish, refused or not, is in the score ledger.
 */
@Injectable()
export class AgsScoresService {
  constructor(
    private readonly contexts: ServiceContexts,
    private readonly lineItems: LineItemsService,
    private readonly enrollments: EnrollmentRepository,
    private readonly intake: ScoreIntakeService,
  ) {}

  /**
   * A timestamp not later than the stored one never overwrites it (`conflict`); the same score again
   * changes nothing.
   */
  async publishScore(
    provider: LtiProvider,
    contextId: string,
    lineItemId: string,
    body: unknown,
    requestId: string | null,
    now = new Date(),
  ): Promise<PublishOutcome> {
    const context = await this.contexts.resolve(provider, contextId);
    const item = await this.lineItems.find(provider, context, lineItemId);
    const read = readScorePublish(body, now);
    const score = read.ok ? read.value : null;
    const ledger: LedgerContext = {
      ltiVersion: '1.3',
      providerId: provider.id,
      organizationId: context.courseClass?.organizationId ?? context.course.organizationId,
      enrollmentId: null,
      activityId: item.activityId,
      userId: null,
      source: routePath('lineItem', { contextId: context.context.id, lineItemId: item.id }),
      operation: 'score',
      rawScore: score?.scoreGiven != null ? `${score.scoreGiven}/${score.scoreMaximum}` : null,
      requestId,
    };
    if (!read.ok) return this.refuse(ledger, read.reason);
    const scored = await this.learnerOf(provider, context, read.value.userId);
    if ('refused' in scored) return this.refuse(ledger, scored.refused);
    if ('preview' in scored) {
      await this.intake.acknowledgePreview(ledger);
      return 'preview';
    }
    const { enrollment } = scored;
    const placement = item.declarative && context.placements.find((p) => p.activity.id === item.activityId);
    return this.intake.publishResult({
      ledger: { ...ledger, enrollmentId: enrollment.id, userId: enrollment.userId },
      result: {
        lineItemId: item.id,
        enrollmentId: enrollment.id,
        ltiUserId: read.value.userId,
        scoreGiven: read.value.scoreGiven,
        scoreMaximum: read.value.scoreMaximum,
        comment: read.value.comment,
        activityProgress: read.value.activityProgress,
        gradingProgress: read.value.gradingProgress,
        scoredAt: read.value.timestamp,
      },
      target: placement
        ? {
            enrollmentId: enrollment.id,
            activityId: placement.activity.id,
            link: placement.link,
            courseActivities: context.course.activities,
          }
        : null,
      tool: toolGrading(read.value),
      details: {
        ...NO_DETAILS,
        comment: read.value.comment,
        startedAt: read.value.submission.startedAt,
        submittedAt: read.value.submission.submittedAt,
      },
      now,
    });
  }

  private async refuse(ledger: LedgerContext, reason: string): Promise<never> {
    await this.intake.refuse(ledger, reason);
    throw DomainError.refused(reason);
  }

  /**
   * The learner's live enrollment in the context, found by the id the tool knows them by; the test
   * learner of a preview (acknowledged, recorded nowhere but the ledger); or why nobody may be scored.
   */
  private async learnerOf(provider: LtiProvider, context: ServiceContext, userId: string): Promise<Scored> {
    const found = await this.enrollments.findActiveByLtiUserId(
      { courseId: context.course.id, classId: context.courseClass?.id ?? null },
      provider.privacy.userIdSource,
      userId,
    );
    if (found.length === 0) {
      if (!context.courseClass && isTestLearnerId(userId)) return { preview: true };
      return { refused: `No learner with userId ${userId} is enrolled in this context; nothing was stored` };
    }
    if (found.length > 1)
      return { refused: `Several people in this context have userId ${userId}; nothing was stored` };
    if (found[0].role !== 'learner') {
      return { refused: `userId ${userId} teaches this context; only learners receive scores` };
    }
    return { enrollment: found[0] };
  }
}

/** AGS 2.0 §3.4.7: only `FullyGraded` is final; `PendingManual` waits for a person. */
function toolGrading(score: ScorePublish): ToolGrading {
  return {
    grading:
      score.gradingProgress === 'FullyGraded'
        ? 'final'
        : score.gradingProgress === 'PendingManual'
          ? 'review'
          : 'pending',
    activityCompleted: score.activityProgress === 'Completed',
  };
}
