import { LaunchKind } from '../launch/launch-context.service';
import { PresentationPath } from '../launch/launch-presentation';

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

export abstract class MessageHintRepository {
  abstract create(hint: Omit<MessageHint, 'id'>): Promise<MessageHint>;
  /** Unconsumed and unexpired, for that provider; null otherwise. */
  abstract findUsable(messageHint: string, providerId: string, now: Date): Promise<MessageHint | null>;
  /** Atomically; false when another request consumed it first. */
  abstract consume(id: string, now: Date): Promise<boolean>;
  abstract deleteExpired(now: Date): Promise<number>;
}
