import { ActivityProgress } from '../learning/learning';
import { LtiResourceLink } from '../catalog/lti-resource-link';

/** What decides completion: the catalog entry's "requires a score for completion" and its passing score. */
export type CompletionRule = Pick<LtiResourceLink, 'requiresScoreForCompletion' | 'passingScore'>;

/** A score as a tool gives it: exact decimal strings (`scoreGiven` ≥ 0 over `scoreMaximum` > 0). */
export interface GivenScore {
  readonly given: string;
  readonly maximum: string;
}

/**
 * What a tool says besides the score (AGS 2.0 §3.4.6–3.4.7). LTI 1.1 scores are always final.
 * `final`: a grade (`FullyGraded`); `review`: a person must grade it first (`PendingManual`);
 * `pending`: not graded yet (`Pending`, `Failed`, `NotReady`).
 */
export interface ToolGrading {
  readonly grading: 'final' | 'review' | 'pending';
  /** The learner finished the activity (`activityProgress: Completed`). */
  readonly activityCompleted: boolean;
}

export const FINAL_GRADE: ToolGrading = { grading: 'final', activityCompleted: false };

/**
 * A launch: the first one is recorded; a placement that takes no score is complete from then on,
 * one that takes a score waits for it. A failed or completed activity keeps its state (the learner
 * launches again to improve a score; that does not undo anything).
 */
export function progressAfterLaunch(current: ActivityProgress, rule: CompletionRule, now: Date): ActivityProgress {
  const launched = { ...current, firstLaunchedAt: current.firstLaunchedAt ?? now };
  if (!rule.requiresScoreForCompletion) {
    return current.status === 'completed' ? launched : { ...launched, status: 'completed', completedAt: now };
  }
  if (current.status === 'not_started' || current.status === 'launched') {
    return { ...launched, status: 'awaiting_score' };
  }
  return launched;
}

/**
 * A score replaced (or deleted: `score` null). Where the link requires a score, a final score that
 * reaches the passing score (any score when none is set) completes the activity, a lower one fails
 * it, no score means waiting for one again, and a score a person still has to grade waits for that
 * review. Where the link requires no score, the score is kept for the record, and the tool saying the
 * learner completed the activity completes it.
 */
export function progressAfterScore(
  current: ActivityProgress,
  rule: CompletionRule,
  score: GivenScore | null,
  now: Date,
  tool: ToolGrading = FINAL_GRADE,
): ActivityProgress {
  const scored = {
    ...current,
    scoreGiven: score?.given ?? null,
    scoreMaximum: score?.maximum ?? null,
    scorePercent: score ? percentOf(score) : null,
    scoredAt: now,
  };
  if (!rule.requiresScoreForCompletion) {
    if (!tool.activityCompleted || current.status === 'completed') return scored;
    return { ...scored, status: 'completed', completedAt: now };
  }
  if (tool.grading === 'review') return { ...scored, status: 'awaiting_review', completedAt: null };
  if (!score || tool.grading === 'pending') return { ...scored, status: 'awaiting_score', completedAt: null };
  const passed = rule.passingScore === null || scored.scorePercent! >= rule.passingScore;
  if (!passed) return { ...scored, status: 'failed', completedAt: null };
  return { ...scored, status: 'completed', completedAt: current.status === 'completed' ? current.completedAt : now };
}

/**
 * Percent with three decimals (the column's scale), rounded so that binary floating point does not
 * decide a pass: 0.29 × 100 is 28.999999999999996 in IEEE 754 and must still pass at 29.
 */
export function percentOf(score: GivenScore): number {
  return Math.round((Number(score.given) / Number(score.maximum)) * 100_000) / 1000;
}

/** Same score, status and completion: a repeated post changes nothing. */
export function sameProgress(a: ActivityProgress, b: ActivityProgress): boolean {
  return (
    a.status === b.status &&
    a.scoreGiven === b.scoreGiven &&
    a.scoreMaximum === b.scoreMaximum &&
    a.completedAt?.getTime() === b.completedAt?.getTime() &&
    a.firstLaunchedAt?.getTime() === b.firstLaunchedAt?.getTime()
  );
}

/** An instructor's grade: a score out of 100, a completion, or both (at least one). */
export interface GradeOverride {
  /** Percent as a decimal string, 0 to 100; null keeps the stored score. */
  readonly scorePercent: string | null;
  /** Null: the score decides completion by the link's rule, like any final score. */
  readonly status: 'completed' | 'failed' | null;
}

/**
 * The progress an instructor's grade makes: its score decides completion like a tool's final grade
 * (the link's rule and passing score apply), unless the instructor also decides completion outright.
 */
export function progressAfterOverride(
  current: ActivityProgress,
  rule: CompletionRule,
  override: GradeOverride,
  now: Date,
): ActivityProgress {
  const score = override.scorePercent === null ? null : { given: override.scorePercent, maximum: '100' };
  const scored = score ? progressAfterScore(current, rule, score, now) : current;
  if (override.status === 'completed') {
    return { ...scored, status: 'completed', completedAt: current.status === 'completed' ? current.completedAt : now };
  }
  if (override.status === 'failed') return { ...scored, status: 'failed', completedAt: null };
  return scored;
}
