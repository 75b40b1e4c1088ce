import { ScoredLink } from '../grading/progress-writer';
import { ScoreSnapshot } from '../grading/score-batch.repository';
import { CompletionActivity, EnrollmentStatus } from '../learning/learning';
import { ResultTarget } from './result-sourced-id';

/** A Basic Outcomes request authenticated on a signer, whose nonce is used up in the same statement. */
export interface OutcomePlacementQuery {
  readonly target: ResultTarget;
  readonly providerId: string;
  readonly consumerKey: string;
  /** The sealed secret the signature was checked with: the provider must still have it. */
  readonly sealedSecret: string;
  readonly nonce: string;
  readonly nonceExpiresAt: Date;
}

/** What one statement finds for a verified `lis_result_sourcedid`. */
export interface OutcomePlacement {
  /** False: the nonce was used before (a replayed request). */
  readonly nonceFresh: boolean;
  /** False: the provider was changed, disabled or deleted since its signer was read. */
  readonly signerCurrent: boolean;
  /** The target's enrollment, when it names one and it exists. */
  readonly enrollment: { readonly userId: string; readonly status: EnrollmentStatus } | null;
  /** The enrollment's course (a preview's: the activity's), with its activities. */
  readonly course: { readonly organizationId: string; readonly activities: readonly CompletionActivity[] } | null;
  /** The activity is (still) in that course; its catalog entry. */
  readonly link: ScoredLink | null;
  readonly classOrganizationId: string | null;
  /** The enrollment under its row lock (taken in the statement), when it is its person's and active. */
  readonly snapshot: ScoreSnapshot | null;
}

/**
 * Port of the LTI 1.1 outcomes path: one round trip, inside the score's transaction, uses up the
 * nonce, checks the signer is current, resolves the placement and takes the enrollment's lock.
 */
export abstract class OutcomePlacementRepository {
  abstract resolve(query: OutcomePlacementQuery): Promise<OutcomePlacement>;
}
