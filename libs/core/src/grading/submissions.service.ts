import { Injectable } from '@nestjs/common';
import { Principal } from '../access/principal';
import { AuditTrail } from '../audit/audit-trail';
import { ltiUserIdOf } from '../catalog/lti-provider';
import { DomainError } from '../errors/domain-error';
import { UserRepository } from '../identity/user.repository';
import { ActivityProgress } from '../learning/learning';
import { ProgressWriter } from './progress-writer';
import { GradeOverride } from './completion';
import { GradedPlacement, GradedPlacements, SubmissionViewer } from './graded-placements';
import { OverrideArrival, ScoreIntakeService } from './score-intake.service';
import { Submission, SubmissionRepository, SubmissionView } from './submission.repository';

/** A learner's work on one activity in one enrollment, as its learner or its instructors see it. */
export interface ActivitySubmissions {
  readonly placement: GradedPlacement;
  readonly learnerName: string;
  readonly progress: ActivityProgress;
  /** The latest attempt a tool handed in. */
  readonly latest: SubmissionView | null;
  /** The instructor's grade in force, if any. */
  readonly override: Submission | null;
  /** Attempts and grading decisions, newest first. */
  readonly history: readonly SubmissionView[];
}

export interface OverrideInput extends GradeOverride {
  readonly reason: string;
}

/**
 * Submissions: what learners handed in through their tools, shown to them and to their instructors,
 * and the grades instructors set over it. An instructor's grade stands until the instructor clears
 * it (see ScoreIntakeService); each one is audited and in the score ledger.
 */
@Injectable()
export class SubmissionsService {
  constructor(
    private readonly placements: GradedPlacements,
    private readonly submissions: SubmissionRepository,
    private readonly progress: ProgressWriter,
    private readonly users: UserRepository,
    private readonly intake: ScoreIntakeService,
    private readonly audit: AuditTrail,
  ) {}

  /** As the learner (their own), as staff (who may grade it), or either (the learner's own first). */
  async view(
    principal: Principal,
    enrollmentId: string,
    activityId: string,
    as: SubmissionViewer | 'either' = 'either',
  ): Promise<ActivitySubmissions> {
    const placement = await this.placements.resolve(principal, enrollmentId, activityId, as);
    const history = await this.submissions.history(enrollmentId, activityId);
    const learner = await this.users.findById(placement.enrollment.userId);
    return {
      placement,
      learnerName: learner?.name ?? '',
      progress: await this.progress.current(placement.target),
      latest: history.find((s) => s.kind === 'tool') ?? null,
      override: await this.submissions.standingOverride(enrollmentId, activityId),
      history,
    };
  }

  async override(
    principal: Principal,
    enrollmentId: string,
    activityId: string,
    input: OverrideInput,
    now = new Date(),
  ): Promise<ActivityProgress> {
    if (input.scorePercent === null && input.status === null) {
      throw DomainError.invalidField('scorePercent', 'Enter a score, a completion, or both');
    }
    const arrival = await this.arrival(principal, enrollmentId, activityId, 'override', input.reason, now);
    return this.audit.change(
      () => this.intake.applyOverride(arrival, input),
      (progress) => auditEntry(principal, arrival, 'update', { ...input, resultingStatus: progress.status }),
    );
  }

  async clearOverride(
    principal: Principal,
    enrollmentId: string,
    activityId: string,
    reason: string,
    now = new Date(),
  ): Promise<ActivityProgress> {
    const arrival = await this.arrival(principal, enrollmentId, activityId, 'override_cleared', reason, now);
    return this.audit.change(
      () => this.intake.clearOverride(arrival),
      (progress) => auditEntry(principal, arrival, 'delete', { reason, resultingStatus: progress.status }),
    );
  }

  private async arrival(
    principal: Principal,
    enrollmentId: string,
    activityId: string,
    operation: string,
    reason: string,
    now: Date,
  ): Promise<OverrideArrival> {
    const placement = await this.placements.resolve(principal, enrollmentId, activityId, 'staff');
    const { provider, enrollment } = placement;
    if (!provider) throw new DomainError('unavailable', "This activity's tool is gone; its grade cannot change");
    const learner = await this.users.findById(enrollment.userId);
    return {
      target: placement.target,
      reason,
      byUserId: principal.userId,
      ltiUserId: (learner && ltiUserIdOf(learner, provider.privacy)) ?? enrollment.userId,
      now,
      ledger: {
        ltiVersion: provider.ltiVersion,
        providerId: provider.id,
        organizationId: placement.organizationId,
        enrollmentId,
        activityId,
        userId: enrollment.userId,
        source: `instructor:${principal.userId}`,
        operation,
        rawScore: null,
        requestId: null,
      },
    };
  }
}

function auditEntry(
  principal: Principal,
  arrival: OverrideArrival,
  action: 'update' | 'delete',
  after: Record<string, unknown>,
) {
  return {
    actorUserId: principal.userId,
    organizationId: arrival.ledger.organizationId,
    entityType: 'grade' as const,
    entityId: arrival.target.enrollmentId,
    action,
    before: null,
    after: { activityId: arrival.target.activityId, ...after },
  };
}
