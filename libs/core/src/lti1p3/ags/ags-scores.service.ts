import { Injectable } from '@nestjs/common';
import { AGS_SCOPES, readScorePublish, ScorePublish } from '@tms/lti';
import { DomainError } from '../../errors/domain-error';
import { ToolGrading } from '../../grading/completion';
import { LedgerContext, ScoreIntakeService } from '../../grading/score-intake.service';
import { NO_DETAILS } from '../../grading/submission.repository';
import { routePath } from '../../launch/platform-urls';
import { isTestLearnerId } from '../../launch/test-learner';
import { ltiContextIdOf, parseLtiContextId } from '../../learning/lti-context';
import { UnitOfWork } from '../../shared/unit-of-work';
import { isUuid } from '../../shared/uuid';
import { CallingToolToken, ServiceAccess } from '../service-access';
import { AgsScoreLearner, AgsScoreTarget, AgsScoreTargetRepository } from './ags-score-target.repository';

/** A line item id no row has: an id that is not a UUID finds nothing, like an unknown one. */
const NO_LINE_ITEM = '00000000-0000-0000-0000-000000000000';

/** What became of a score publish the tool may know (refusals are thrown). */
export type PublishOutcome = 'applied' | 'unchanged' | 'preview';

/** Whose score it is: a learner's enrollment, the test learner of a preview, or nobody we may score. */
type Scored = { readonly learner: AgsScoreLearner } | { readonly preview: true } | { readonly refused: string };

/**
 * A score publish of AGS 2.0 (§3.4) on one of the tool's line items: read and checked, matched to
 * the learner enrolled in the line item's context, and handed to the score intake, which keeps it
 * as the line item's result and, on the placement's platform-made line item, lets it decide the
 * placement's progress. Every publish, refused or not, is in the score ledger.
 *
 * One transaction: one statement checks the token again (the guard may have taken it from this
 * process's cache), resolves context, line item, placement and learner and takes the learner's
 * lock; the intake then writes once.
 */
@Injectable()
export class AgsScoresService {
  constructor(
    private readonly targets: AgsScoreTargetRepository,
    private readonly access: ServiceAccess,
    private readonly intake: ScoreIntakeService,
    private readonly uow: UnitOfWork,
  ) {}

  /**
   * A timestamp not later than the stored one never overwrites it (`conflict`); the same score again
   * changes nothing. Contexts and line items outside the tool's are not found (404).
   */
  async publishScore(
    caller: CallingToolToken,
    contextId: string,
    lineItemId: string,
    body: unknown,
    requestId: string | null,
    now = new Date(),
  ): Promise<PublishOutcome> {
    const { provider } = caller;
    const ref = parseLtiContextId(contextId);
    if (!ref) throw DomainError.notFound('Context');
    const read = readScorePublish(body, now);
    const score = read.ok ? read.value : null;
    const userIdSource = provider.privacy.userIdSource;
    // Refusals and a stale score are thrown once the transaction has kept their ledger entry.
    const outcome = await this.uow.run(async (): Promise<PublishOutcome | DomainError> => {
      const found = await this.targets.resolve({
        tokenHash: caller.tokenHash,
        scoreScope: AGS_SCOPES.score,
        providerId: provider.id,
        userIdSource,
        classId: 'classId' in ref ? ref.classId : null,
        selfPacedCourseId: 'selfPacedCourseId' in ref ? ref.selfPacedCourseId : null,
        lineItemId: isUuid(lineItemId) ? lineItemId : NO_LINE_ITEM,
        ltiUserId: score && (userIdSource !== 'internal' || isUuid(score.userId)) ? score.userId : null,
      });
      if (!found.tokenCurrent) {
        this.access.forget(caller.tokenHash);
        throw new DomainError('unauthenticated', 'A valid access token from /lti/1p3/token is required');
      }
      if (!found.course || !found.placed) throw DomainError.notFound('Context');
      if (!found.lineItem) throw DomainError.notFound('Line item');
      const ledger: LedgerContext = {
        ltiVersion: '1.3',
        providerId: provider.id,
        organizationId: found.course.organizationId,
        enrollmentId: null,
        activityId: found.lineItem.activityId,
        userId: null,
        source: routePath('lineItem', { contextId: ltiContextIdOf(ref), lineItemId: found.lineItem.id }),
        operation: 'score',
        rawScore: score?.scoreGiven != null ? `${score.scoreGiven}/${score.scoreMaximum}` : null,
        requestId,
      };
      if (!read.ok) return this.refuse(ledger, read.reason);
      const scored = learnerOf(found.learners, 'classId' in ref, read.value.userId);
      if ('refused' in scored) return this.refuse(ledger, scored.refused);
      if ('preview' in scored) {
        await this.intake.acknowledgePreview(ledger);
        return 'preview';
      }
      try {
        return await this.publish(found, scored.learner, read.value, ledger, now);
      } catch (error) {
        if (error instanceof DomainError && error.code === 'conflict') return error;
        throw error;
      }
    });
    if (outcome instanceof DomainError) throw outcome;
    return outcome;
  }

  private publish(
    found: AgsScoreTarget,
    learner: AgsScoreLearner,
    value: ScorePublish,
    ledger: LedgerContext,
    now: Date,
  ): Promise<'applied' | 'unchanged'> {
    const item = found.lineItem!;
    const snapshot = found.snapshot ?? undefined;
    return this.intake.publishResult({
      ledger: { ...ledger, enrollmentId: learner.enrollmentId, userId: learner.userId },
      result: {
        lineItemId: item.id,
        enrollmentId: learner.enrollmentId,
        ltiUserId: value.userId,
        scoreGiven: value.scoreGiven,
        scoreMaximum: value.scoreMaximum,
        comment: value.comment,
        activityProgress: value.activityProgress,
        gradingProgress: value.gradingProgress,
        scoredAt: value.timestamp,
      },
      target:
        found.link && item.activityId
          ? {
              enrollmentId: learner.enrollmentId,
              activityId: item.activityId,
              link: found.link,
              courseActivities: found.activities,
            }
          : null,
      snapshot,
      tool: toolGrading(value),
      details: {
        ...NO_DETAILS,
        comment: value.comment,
        startedAt: value.submission.startedAt,
        submittedAt: value.submission.submittedAt,
      },
      now,
    });
  }

  private async refuse(ledger: LedgerContext, reason: string): Promise<DomainError> {
    await this.intake.refuse(ledger, reason);
    return DomainError.refused(reason);
  }
}

/**
 * The learner's live enrollment in the context, found by the id the tool knows them by; the test
 * learner of a preview (acknowledged, recorded nowhere but the ledger); or why nobody may be scored.
 */
function learnerOf(found: readonly AgsScoreLearner[], inClass: boolean, userId: string): Scored {
  if (found.length === 0) {
    if (!inClass && isTestLearnerId(userId)) return { preview: true };
    return { refused: `No learner with userId ${userId} is enrolled in this context; nothing was stored` };
  }
  if (found.length > 1) return { refused: `Several people in this context have userId ${userId}; nothing was stored` };
  if (found[0].role !== 'learner') {
    return { refused: `userId ${userId} teaches this context; only learners receive scores` };
  }
  return { learner: found[0] };
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
