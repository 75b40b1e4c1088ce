import { Injectable } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import { ScoreTarget } from '../grading/score-intake.service';
import { AuthenticatedRequest, Lti1p1RequestRefused, REPLAYED_NONCE } from './lti1p1-request-verifier';
import { OutcomePlacementRepository } from './outcome-placement.repository';
import { ResultTarget } from './result-sourced-id';

export interface ResolvedTarget {
  /** Where the ledger entry belongs: the class's or course's organization. */
  readonly organizationId: string;
  readonly enrollmentId: string | null;
  /** Null for a preview: acknowledged, never recorded in anyone's progress. */
  readonly score: ScoreTarget | null;
}

/** Refused with a reason the tool may read (nothing about other tenants). */
export class ScoreTargetRefused extends DomainError {
  constructor(reason: string) {
    super('validation_failed', reason);
  }
}

/** The request was accepted on a cached signer that no longer holds: authenticate afresh and retry. */
export class StaleSigner extends Error {
  constructor() {
    super('The provider changed since its signer was read');
    this.name = 'StaleSigner';
  }
}

/**
 * What a verified result identifier points at, checked against today's data: the enrollment is
 * still that person's and still live, the activity is still in its course, and the activity's tool
 * is the provider that authenticated the request (another tool's identifiers are refused). Found in
 * one statement that also uses up the request's nonce and, for a live enrollment, takes its lock:
 * call it inside the score's transaction.
 */
@Injectable()
export class ScoreTargets {
  constructor(private readonly placements: OutcomePlacementRepository) {}

  async resolve(target: ResultTarget, request: AuthenticatedRequest): Promise<ResolvedTarget> {
    const provider = request.signer.provider;
    const found = await this.placements.resolve({
      target,
      providerId: provider.id,
      consumerKey: request.consumerKey,
      sealedSecret: request.signer.sealed,
      nonce: request.nonce,
      nonceExpiresAt: request.nonceExpiresAt,
    });
    if (!found.signerCurrent) throw new StaleSigner();
    if (!found.nonceFresh) throw new Lti1p1RequestRefused(REPLAYED_NONCE, provider);
    const { enrollment, course, link } = found;
    if (target.kind === 'enrollment' && enrollment?.userId !== target.userId) {
      throw new ScoreTargetRefused('This result belongs to no enrollment on this platform');
    }
    if (!course || !link) throw new ScoreTargetRefused('The activity of this result was removed from its course');
    if (link.providerId !== provider.id) throw new ScoreTargetRefused('This result belongs to another tool');
    if (target.kind === 'preview') return { organizationId: course.organizationId, enrollmentId: null, score: null };
    if (enrollment!.status !== 'active' || found.snapshot?.enrollment.status !== 'active') {
      throw new ScoreTargetRefused('This enrollment has ended; its results can no longer change');
    }
    return {
      organizationId: found.classOrganizationId ?? course.organizationId,
      enrollmentId: target.enrollmentId,
      score: {
        enrollmentId: target.enrollmentId,
        activityId: target.activityId,
        link,
        courseActivities: course.activities,
        snapshot: found.snapshot,
      },
    };
  }
}
