import { UserIdSource } from '../../catalog/lti-provider';
import { ScoredLink } from '../../grading/progress-writer';
import { ScoreSnapshot } from '../../grading/score-batch.repository';
import { CompletionActivity, EnrollmentRole } from '../../learning/learning';

/** An AGS score publish as one statement resolves it, for a tool authenticated on a cached token. */
export interface AgsScoreQuery {
  /** The bearer token's hash: it must still be usable, for the score scope, by an active tool. */
  readonly tokenHash: string;
  readonly scoreScope: string;
  readonly providerId: string;
  readonly userIdSource: UserIdSource;
  /** The context: a class, or a course's self-paced offering. */
  readonly classId: string | null;
  readonly selfPacedCourseId: string | null;
  readonly lineItemId: string;
  /** The learner as the tool names them; null when the score was not readable. */
  readonly ltiUserId: string | null;
}

export interface AgsScoreLearner {
  readonly enrollmentId: string;
  readonly userId: string;
  readonly role: EnrollmentRole;
}

/** What the statement found; the rules that refuse are the service's. */
export interface AgsScoreTarget {
  /** False: the token was revoked or expired, or its tool disabled, deleted or changed, since it was cached. */
  readonly tokenCurrent: boolean;
  /** The context's course (null: no such context), its organization (the class's, for a class). */
  readonly course: { readonly id: string; readonly organizationId: string } | null;
  /** The tool has a link placed in the context's course. */
  readonly placed: boolean;
  readonly activities: readonly CompletionActivity[];
  /** The line item, when it is the tool's in this context. */
  readonly lineItem: { readonly id: string; readonly activityId: string | null; readonly declarative: boolean } | null;
  /** The catalog entry of the line item's placement, when the line item is declarative and placed. */
  readonly link: ScoredLink | null;
  /** Live enrollments in the context of whoever the tool's user id names (at most two are read). */
  readonly learners: readonly AgsScoreLearner[];
  /** The one learner's enrollment under its row lock, when exactly one learner was found. */
  readonly snapshot: ScoreSnapshot | null;
}

/**
 * Port of the AGS score path: one round trip, inside the score's transaction, checks the token,
 * resolves context, line item, placement and learner, and takes the learner's lock.
 */
export abstract class AgsScoreTargetRepository {
  abstract resolve(query: AgsScoreQuery): Promise<AgsScoreTarget>;
}
