import type { ProgressStatus } from '../learning/learning';

/**
 * What a tool hands in besides the score: the AGS score's `comment` and `submission` times (AGS 2.0
 * §3.4: `submission.startedAt`, `submission.submittedAt`), LTI 1.1 outcome data (`text`, `url`,
 * `ltiLaunchUrl`). Text is kept as the tool wrote it; wherever it is shown it is escaped.
 */
export interface SubmissionDetails {
  readonly comment: string | null;
  readonly text: string | null;
  readonly url: string | null;
  readonly ltiLaunchUrl: string | null;
  readonly startedAt: Date | null;
  readonly submittedAt: Date | null;
}

export const NO_DETAILS: SubmissionDetails = {
  comment: null,
  text: null,
  url: null,
  ltiLaunchUrl: null,
  startedAt: null,
  submittedAt: null,
};

/** A tool's attempt, an instructor's grade over it, or the end of that grade. */
export type SubmissionKind = 'tool' | 'override' | 'override_cleared';

/**
 * What became of it. The rule: an instructor's override stands until the instructor clears it; a
 * tool score arriving meanwhile is kept as an attempt but changes neither progress nor the result
 * the tool reads back (`overridden`).
 */
export type SubmissionOutcome = 'applied' | 'overridden';

/** One attempt at an activity in one enrollment (a retake's new enrollment starts a clean history). */
export interface Submission extends SubmissionDetails {
  readonly id: string;
  readonly enrollmentId: string;
  readonly activityId: string;
  /** The tool that handed it in, or whose result an override replaces. */
  readonly providerId: string | null;
  readonly kind: SubmissionKind;
  readonly outcome: SubmissionOutcome;
  readonly scoreGiven: string | null;
  readonly scoreMaximum: string | null;
  /** The completion an override set (null: the score decides, by the link's rule). */
  readonly status: ProgressStatus | null;
  /** The instructor's reason, for an override or its clearing. */
  readonly reason: string | null;
  readonly byUserId: string | null;
  readonly receivedAt: Date;
}

export type NewSubmission = Omit<Submission, 'id' | 'receivedAt'>;

/** A submission with the name of the instructor who decided it (they may have gone since). */
export interface SubmissionView extends Submission {
  readonly byUserName: string | null;
}

export const SUBMISSION_HISTORY_LIMIT = 200;

export abstract class SubmissionRepository {
  abstract record(submission: NewSubmission): Promise<void>;
  /** Newest first, at most {@link SUBMISSION_HISTORY_LIMIT}. */
  abstract history(enrollmentId: string, activityId: string): Promise<SubmissionView[]>;
  /** The override in force: the latest override or clearing, when it is an override. */
  abstract standingOverride(enrollmentId: string, activityId: string): Promise<Submission | null>;
  /** The latest attempt a tool handed in (applied or kept as overridden). */
  abstract latestFromTool(enrollmentId: string, activityId: string): Promise<Submission | null>;
}
