import { readSubmissionReview, type SubmissionReview } from './submission-review';

/**
 * LTI Assignment and Grade Services 2.0 (https://www.imsglobal.org/spec/lti-ags/v2p0): the media
 * types, and the line item and score documents a tool sends, checked field by field. Numbers stay
 * as the tool wrote them (decimal strings), so what is stored and read back is exactly what was sent.
 */
export const AGS_MEDIA_TYPES = {
  lineItem: 'application/vnd.ims.lis.v2.lineitem+json',
  lineItemContainer: 'application/vnd.ims.lis.v2.lineitemcontainer+json',
  score: 'application/vnd.ims.lis.v1.score+json',
  resultContainer: 'application/vnd.ims.lis.v2.resultcontainer+json',
} as const;

/** AGS 2.0 §3.4.6: where the learner is with the activity. */
export const ACTIVITY_PROGRESS = ['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed'] as const;
export type ActivityProgressValue = (typeof ACTIVITY_PROGRESS)[number];

/** AGS 2.0 §3.4.7: where grading is; only `FullyGraded` is a final score. */
export const GRADING_PROGRESS = ['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady'] as const;
export type GradingProgressValue = (typeof GRADING_PROGRESS)[number];

/** What a line item says of itself (AGS 2.0 §3.2); absent optional fields are null. */
export interface LineItemFields {
  readonly label: string;
  /** A decimal string above 0. */
  readonly scoreMaximum: string;
  readonly resourceLinkId: string | null;
  readonly resourceId: string | null;
  readonly tag: string | null;
  readonly startDateTime: Date | null;
  readonly endDateTime: Date | null;
  readonly gradesReleased: boolean | null;
  /** Submission Review Service 1.0 §2.1: whether and how the tool reviews submissions. */
  readonly submissionReview: SubmissionReview | null;
}

/** A score publish (AGS 2.0 §3.4). */
export interface ScorePublish {
  readonly userId: string;
  /** Both present or both null: a score (≥ 0, may exceed the maximum), or none (clears it). */
  readonly scoreGiven: string | null;
  readonly scoreMaximum: string | null;
  readonly comment: string | null;
  readonly timestamp: Date;
  readonly activityProgress: ActivityProgressValue;
  readonly gradingProgress: GradingProgressValue;
  /** AGS 2.0 §3.4.9 `submission`: when the learner started and handed in the attempt. */
  readonly submission: ScoreSubmission;
}

export interface ScoreSubmission {
  readonly startedAt: Date | null;
  readonly submittedAt: Date | null;
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

export const LINE_ITEM_LIMITS = { label: 1000, resourceLinkId: 255, resourceId: 255, tag: 255 } as const;

/**
 * How far a score's timestamp may be ahead of the platform's clock. The timestamp orders a learner's
 * scores (AGS 2.0 §3.4: a result is never replaced by an older score), so one dated in the future
 * would stand against every correct score until that date: it is refused. A minute covers the
 * ordinary skew between two servers' clocks.
 */
export const SCORE_TIMESTAMP_MAX_SKEW_SECONDS = 60;
/** Extra credit is kept, but a percentage must still fit the progress column (under 100 000 %). */
const MAX_SCORE_RATIO = 999;

/**
 * ISO 8601 with a date, a time and a zone (AGS 2.0 §3.4.2 asks for sub-second precision; we accept
 * any, since the order of two scores is what matters and milliseconds are kept).
 */
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

export function parseTimestamp(value: unknown): Date | null {
  const parts = typeof value === 'string' ? ISO_8601.exec(value) : null;
  if (!parts) return null;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 7].map((i) => Number(parts[i] ?? 0));
  // Date would roll 31 February over into March: a date that does not exist is refused instead.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return null;
  const date = new Date(value as string);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * What `toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 })` does, built once:
 * that call builds a formatter each time, a cost every score post paid.
 */
const PLAIN_DECIMAL = new Intl.NumberFormat('en-US', { useGrouping: false, maximumFractionDigits: 20 });

/** A JSON number as a plain decimal string (never exponent notation), or null if it is not one. */
export function decimalOf(value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  const plain = PLAIN_DECIMAL.format(value);
  return /^-?\d+(\.\d+)?$/.test(plain) ? plain : null;
}

/**
 * A line item to create (`partial` false) or the new state of one (PUT replaces the whole item, AGS
 * 2.0 §3.2.5: `label` and `scoreMaximum` are required either way).
 */
export function readLineItemFields(body: unknown): Checked<LineItemFields> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, reason: 'The body must be a line item: a JSON object' };
  }
  const item = body as Record<string, unknown>;
  if (typeof item.label !== 'string' || item.label.trim() === '' || item.label.length > LINE_ITEM_LIMITS.label) {
    return { ok: false, reason: `label is required: text of 1 to ${LINE_ITEM_LIMITS.label} characters` };
  }
  const scoreMaximum = decimalOf(item.scoreMaximum);
  if (scoreMaximum === null || !(Number(scoreMaximum) > 0)) {
    return { ok: false, reason: 'scoreMaximum is required: a number above 0' };
  }
  const texts: Partial<Record<'resourceLinkId' | 'resourceId' | 'tag', string | null>> = {};
  for (const field of ['resourceLinkId', 'resourceId', 'tag'] as const) {
    const value = item[field];
    if (value === undefined || value === null) texts[field] = null;
    else if (typeof value === 'string' && value.length <= LINE_ITEM_LIMITS[field]) texts[field] = value;
    else return { ok: false, reason: `${field} must be text of at most ${LINE_ITEM_LIMITS[field]} characters` };
  }
  const dates: Partial<Record<'startDateTime' | 'endDateTime', Date | null>> = {};
  for (const field of ['startDateTime', 'endDateTime'] as const) {
    const value = item[field];
    dates[field] = value === undefined || value === null ? null : parseTimestamp(value);
    if (dates[field] === null && value !== undefined && value !== null) {
      return { ok: false, reason: `${field} must be an ISO 8601 date and time with a time zone` };
    }
  }
  if (item.gradesReleased !== undefined && item.gradesReleased !== null && typeof item.gradesReleased !== 'boolean') {
    return { ok: false, reason: 'gradesReleased must be true or false' };
  }
  const submissionReview = readSubmissionReview(item.submissionReview);
  if (!submissionReview.ok) return submissionReview;
  return {
    ok: true,
    value: {
      label: item.label,
      scoreMaximum,
      resourceLinkId: texts.resourceLinkId ?? null,
      resourceId: texts.resourceId ?? null,
      tag: texts.tag ?? null,
      startDateTime: dates.startDateTime ?? null,
      endDateTime: dates.endDateTime ?? null,
      gradesReleased: (item.gradesReleased as boolean | null | undefined) ?? null,
      submissionReview: submissionReview.value,
    },
  };
}

/** A score publish, checked as AGS 2.0 §3.4 requires, received at `now`. */
export function readScorePublish(body: unknown, now = new Date()): Checked<ScorePublish> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, reason: 'The body must be a score: a JSON object' };
  }
  const score = body as Record<string, unknown>;
  if (typeof score.userId !== 'string' || score.userId === '' || score.userId.length > 255) {
    return { ok: false, reason: 'userId is required: the user id the launch gave the tool' };
  }
  const timestamp = parseTimestamp(score.timestamp);
  if (!timestamp) {
    return { ok: false, reason: 'timestamp is required: an ISO 8601 date and time with a time zone' };
  }
  if (timestamp.getTime() - now.getTime() > SCORE_TIMESTAMP_MAX_SKEW_SECONDS * 1000) {
    return {
      ok: false,
      reason: `timestamp ${score.timestamp as string} is in the future: at most ${SCORE_TIMESTAMP_MAX_SKEW_SECONDS} seconds ahead of the platform's clock (${now.toISOString()}) is accepted`,
    };
  }
  if (!ACTIVITY_PROGRESS.includes(score.activityProgress as ActivityProgressValue)) {
    return { ok: false, reason: `activityProgress is required: one of ${ACTIVITY_PROGRESS.join(', ')}` };
  }
  if (!GRADING_PROGRESS.includes(score.gradingProgress as GradingProgressValue)) {
    return { ok: false, reason: `gradingProgress is required: one of ${GRADING_PROGRESS.join(', ')}` };
  }
  if (score.comment !== undefined && score.comment !== null && typeof score.comment !== 'string') {
    return { ok: false, reason: 'comment must be text' };
  }
  if (typeof score.comment === 'string' && score.comment.length > 10_000) {
    return { ok: false, reason: 'comment must be at most 10 000 characters' };
  }
  const submission = readSubmission(score.submission);
  if (!submission.ok) return submission;
  let scoreGiven: string | null = null;
  let scoreMaximum: string | null = null;
  if (score.scoreGiven !== undefined && score.scoreGiven !== null) {
    scoreGiven = decimalOf(score.scoreGiven);
    if (scoreGiven === null || Number(scoreGiven) < 0) {
      return { ok: false, reason: 'scoreGiven must be a number of 0 or more' };
    }
    scoreMaximum = decimalOf(score.scoreMaximum);
    if (scoreMaximum === null || !(Number(scoreMaximum) > 0)) {
      return { ok: false, reason: 'scoreMaximum is required with scoreGiven: a number above 0' };
    }
    if (Number(scoreGiven) / Number(scoreMaximum) > MAX_SCORE_RATIO) {
      return { ok: false, reason: `scoreGiven may exceed scoreMaximum, but not ${MAX_SCORE_RATIO} times over` };
    }
  }
  return {
    ok: true,
    value: {
      userId: score.userId,
      scoreGiven,
      scoreMaximum,
      comment: typeof score.comment === 'string' ? score.comment : null,
      timestamp,
      activityProgress: score.activityProgress as ActivityProgressValue,
      gradingProgress: score.gradingProgress as GradingProgressValue,
      submission: submission.value,
    },
  };
}

/** The optional `submission` object of a score: ISO 8601 `startedAt` and `submittedAt`, each optional. */
function readSubmission(value: unknown): Checked<ScoreSubmission> {
  if (value === undefined || value === null) return { ok: true, value: { startedAt: null, submittedAt: null } };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, reason: 'submission must be an object with startedAt and submittedAt' };
  }
  const fields = value as Record<string, unknown>;
  const times: Record<'startedAt' | 'submittedAt', Date | null> = { startedAt: null, submittedAt: null };
  for (const field of ['startedAt', 'submittedAt'] as const) {
    if (fields[field] === undefined || fields[field] === null) continue;
    times[field] = parseTimestamp(fields[field]);
    if (!times[field])
      return { ok: false, reason: `submission.${field} must be an ISO 8601 date and time with a time zone` };
  }
  return { ok: true, value: times };
}
