import type { LaunchPerson } from '../launch-variables';
import { checkToolUrl } from '../tool-url';
import { ACTIVITY_PROGRESS, type ActivityProgressValue, type Checked } from './ags';

/**
 * LTI Submission Review Service 1.0 (https://www.imsglobal.org/spec/lti-sr/v1p0): a line item may
 * say that its submissions can be reviewed in the tool (`submissionReview`, §2), and the platform
 * then launches an instructor (or the learner) back to the tool with an `LtiSubmissionReviewRequest`
 * (§3) that names, in the `for_user` claim, the person whose work it is, and in the AGS endpoint
 * claim the line item.
 */
export const SUBMISSION_REVIEW_MESSAGE_TYPE = 'LtiSubmissionReviewRequest';
export const FOR_USER_CLAIM = 'https://purl.imsglobal.org/spec/lti/claim/for_user';

/** A line item's `submissionReview` (SRS 1.0 §2.1). */
export interface SubmissionReview {
  /** The learner's `activityProgress` values for which a review launch is offered; empty: whatever was handed in. */
  readonly reviewableStatus: readonly ActivityProgressValue[];
  /** What the platform shows on the launch button; null: ours. */
  readonly label: string | null;
  /** Where the review launch goes; null: the resource link's URL. */
  readonly url: string | null;
  /** Custom parameters of review launches, over the link's own. */
  readonly custom: Readonly<Record<string, string>> | null;
}

export const SUBMISSION_REVIEW_LIMITS = { label: 255, customEntries: 50, customValue: 1000 } as const;

/** Reads `submissionReview` of a line item: absent or null is none; anything else is checked field by field. */
export function readSubmissionReview(value: unknown): Checked<SubmissionReview | null> {
  if (value === undefined || value === null) return { ok: true, value: null };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, reason: 'submissionReview must be an object' };
  }
  const review = value as Record<string, unknown>;
  const statuses = review.reviewableStatus ?? [];
  if (!Array.isArray(statuses) || !statuses.every((s) => ACTIVITY_PROGRESS.includes(s as ActivityProgressValue))) {
    return {
      ok: false,
      reason: `submissionReview.reviewableStatus must be a list of ${ACTIVITY_PROGRESS.join(', ')}`,
    };
  }
  const label = review.label ?? null;
  if (label !== null && (typeof label !== 'string' || label.length > SUBMISSION_REVIEW_LIMITS.label)) {
    return {
      ok: false,
      reason: `submissionReview.label must be text of at most ${SUBMISSION_REVIEW_LIMITS.label} characters`,
    };
  }
  let url: string | null = null;
  if (review.url !== undefined && review.url !== null) {
    const check = typeof review.url === 'string' ? checkToolUrl(review.url) : null;
    if (!check?.ok) return { ok: false, reason: `submissionReview.url ${check ? check.reason : 'must be text'}` };
    url = check.url;
  }
  const custom = readCustom(review.custom);
  if (!custom.ok) return custom;
  return {
    ok: true,
    value: { reviewableStatus: statuses as ActivityProgressValue[], label, url, custom: custom.value },
  };
}

function readCustom(value: unknown): Checked<Record<string, string> | null> {
  if (value === undefined || value === null) return { ok: true, value: null };
  const entries = typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : null;
  const valid =
    entries !== null &&
    entries.length <= SUBMISSION_REVIEW_LIMITS.customEntries &&
    entries.every(([, v]) => typeof v === 'string' && v.length <= SUBMISSION_REVIEW_LIMITS.customValue);
  if (!valid) {
    return {
      ok: false,
      reason: `submissionReview.custom must be an object of at most ${SUBMISSION_REVIEW_LIMITS.customEntries} text values`,
    };
  }
  return { ok: true, value: Object.fromEntries(entries as [string, string][]) };
}

/** Whether a learner's attempt can be reviewed: its activityProgress is one the line item names (any, when none). */
export function isReviewable(review: SubmissionReview, activityProgress: ActivityProgressValue): boolean {
  return review.reviewableStatus.length === 0 || review.reviewableStatus.includes(activityProgress);
}

/**
 * The `for_user` claim (SRS 1.0 §3.2): the learner whose submission is reviewed, by the id the tool
 * knows them by, with only the person fields the tool's privacy setting allows.
 */
export function forUserClaim(userId: string, person: LaunchPerson, roles: readonly string[]): Record<string, unknown> {
  return {
    user_id: userId,
    ...(person.sourcedId ? { person_sourcedid: person.sourcedId } : {}),
    ...(person.givenName ? { given_name: person.givenName } : {}),
    ...(person.familyName ? { family_name: person.familyName } : {}),
    ...(person.fullName ? { name: person.fullName } : {}),
    ...(person.email ? { email: person.email } : {}),
    roles: [...roles],
  };
}
