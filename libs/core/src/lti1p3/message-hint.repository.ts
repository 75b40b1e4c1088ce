import type { SessionCheck } from '../access/principal';
import { LaunchKind } from '../launch/launch-context.service';
import { PresentationPath } from '../launch/launch-presentation';
import { LaunchPlacement } from '../launch/launch-placement.repository';

/** The role of a provider's test launch: a test learner or a test instructor. */
export type SelfTestRole = 'learner' | 'instructor';

/**
 * What an LTI 1.3 login initiation stands for (LTI Security 1.0 §5.1.1): our `lti_message_hint`
 * names it, `login_hint` names the person; both opaque and random, single use, short-lived.
 */
export interface MessageHint {
  readonly id: string;
  readonly messageHint: string;
  readonly loginHint: string;
  readonly userId: string;
  readonly providerId: string;
  readonly messageType: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest' | 'LtiSubmissionReviewRequest';
  readonly kind: LaunchKind;
  /** Null only for a provider's test launch (`self_test`). */
  readonly courseId: string | null;
  readonly classId: string | null;
  readonly enrollmentId: string | null;
  readonly activityId: string | null;
  readonly targetLinkUri: string;
  /** Where the tool will show: the provider's presentation, or a new window the learner asked for. */
  readonly documentTarget: 'iframe' | 'window';
  /** How the launch page presented it (null: a Deep Linking request, which takes the whole window). */
  readonly presentationPath: PresentationPath | null;
  /** Deep Linking: whether the author asked for several items or one. */
  readonly acceptMultiple: boolean;
  /** Submission Review: the learner's enrollment whose work is reviewed, and the line item it was scored on. */
  readonly forEnrollmentId: string | null;
  readonly lineItemId: string | null;
  /** A provider's test launch (`self_test`): the role the administrator tests as; null otherwise. */
  readonly testRole: SelfTestRole | null;
  readonly expiresAt: Date;
}

/** Who presents a hint at the authorization endpoint (LTI Security 1.0 §5.1.1.2). */
export interface HintClaimant {
  readonly messageHint: string;
  readonly providerId: string;
  readonly loginHint: string;
  /** The person signed in, or null: then only a login in `boundHintIds` answers, for the person it was issued to. */
  readonly userId: string | null;
  readonly boundHintIds: readonly string[];
  /**
   * The version of the provider row the request was checked against, when that provider came from a
   * process's cache: then the hint is found (and consumed) only while the row is still that version.
   */
  readonly providerVersion?: string | null;
  /**
   * The claimant's session when this process kept it: the hint is found (and consumed) only while
   * the session is still live at that version, or the claim throws `KeptSessionChanged`.
   */
  readonly session?: SessionCheck;
}

/** A usable hint as one statement claimed it. */
export interface HintClaim {
  readonly hint: MessageHint;
  /**
   * Whether this claim consumed it: its login_hint and person matched the claimant's, and no other
   * request consumed it first. A hint that does not match is left usable.
   */
  readonly consumed: boolean;
  /** A launch from an enrollment: its placement, read in the same statement. */
  readonly placement: LaunchPlacement | null;
  /** The kid of the platform's current signing key, read in the same statement. */
  readonly signingKid: string | null;
}

export abstract class MessageHintRepository {
  /**
   * With `session` (the person's session as this process kept it), the hint is written only while that
   * session is still live at its version, in the same statement, or nothing is and `KeptSessionChanged` is thrown.
   */
  abstract create(hint: Omit<MessageHint, 'id'>, session?: SessionCheck): Promise<MessageHint>;
  /**
   * The hint, unconsumed and unexpired, for that provider (null otherwise), consumed in the same
   * statement when it is the claimant's: single use holds across processes, one round trip. A claimant's
   * kept session found changed throws `KeptSessionChanged`, with nothing consumed.
   */
  abstract claim(claimant: HintClaimant, now: Date): Promise<HintClaim | null>;
  abstract deleteExpired(now: Date): Promise<number>;
}
