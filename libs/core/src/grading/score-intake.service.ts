import { Injectable } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import { ActivityProgress, Enrollment, notStarted } from '../learning/learning';
import { UnitOfWork } from '../shared/unit-of-work';
import {
  FINAL_GRADE,
  GivenScore,
  GradeOverride,
  progressAfterOverride,
  progressAfterScore,
  sameProgress,
  ToolGrading,
} from './completion';
import { OverrideResults } from './override-results';
import { ProgressWriter, ScoreTarget } from './progress-writer';
import { LineItemRepository, LineItemResult } from './line-item.repository';
import { NewScoreLedgerEntry, ScoreDecision, ScoreLedgerRepository } from './score-ledger.repository';
import { ScoreBatchRepository, ScoreSnapshot, ScoreWrites } from './score-batch.repository';
import {
  NewSubmission,
  NO_DETAILS,
  SubmissionDetails,
  SubmissionOutcome,
  SubmissionRepository,
} from './submission.repository';

export type { ScoreTarget } from './progress-writer';

/** The ledger fields the caller knows; the decision and the resulting status are filled in here. */
export type LedgerContext = Omit<NewScoreLedgerEntry, 'decision' | 'reason' | 'resultingStatus' | 'scorePercent'>;

/** An AGS score for a learner's enrollment (AGS 2.0 §3.4), as the line item keeps it. */
export interface ResultArrival {
  readonly ledger: LedgerContext;
  /** The result on the line item: stored unless one with the same or a later timestamp is. */
  readonly result: LineItemResult;
  /** The placement whose progress the score decides; null on a line item that decides nothing. */
  readonly target: ScoreTarget | null;
  readonly tool: ToolGrading;
  /** The comment and submission times, kept as the learner's attempt. */
  readonly details: SubmissionDetails;
  readonly now: Date;
  /** The learner's enrollment as the caller read it under its row lock in this transaction, if it did. */
  readonly snapshot?: ScoreSnapshot;
}

/** An instructor's grade set or cleared, with why; the ledger context names the placement's tool. */
export interface OverrideArrival {
  readonly target: ScoreTarget;
  readonly reason: string;
  readonly byUserId: string;
  readonly ledger: LedgerContext;
  /** The learner as the placement's tool knows them (for its AGS result). */
  readonly ltiUserId: string;
  readonly now: Date;
}

export const PREVIEW_REASON = 'A preview launch: not recorded';
export const OVERRIDDEN_REASON =
  "Kept: overridden. An instructor's grade stands until the instructor clears it; this score is kept in the learner's attempts";

/**
 * The score intake (DESIGN.md §2), for both LTI versions: from "a score arrived" to "progress and
 * ledger written". A score is applied in one transaction under the enrollment's row lock, taken
 * once, so that concurrent scores and launches of one learner apply one after another; course
 * completion follows from what is stored; and every score request, whatever its fate, is written to
 * the score ledger here and nowhere else — with the change it made, or not at all.
 */
@Injectable()
export class ScoreIntakeService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly progress: ProgressWriter,
    private readonly lineItems: LineItemRepository,
    private readonly ledger: ScoreLedgerRepository,
    private readonly submissions: SubmissionRepository,
    private readonly overrideResults: OverrideResults,
    private readonly batch: ScoreBatchRepository,
  ) {}

  /**
   * LTI 1.1 `replaceResult` (or with null, `deleteResult`): the score decides the placement's
   * progress, and a score is kept with its outcome data as the learner's attempt.
   */
  async applyScore(
    target: ScoreTarget,
    score: GivenScore | null,
    ledger: LedgerContext,
    now = new Date(),
    details: SubmissionDetails = NO_DETAILS,
  ): Promise<ActivityProgress> {
    return this.uow.run(async () => {
      const snapshot = await this.snapshot(target, null);
      const { kept, writes } = await this.scored(target, snapshot, score, FINAL_GRADE, ledger, details, now);
      await this.batch.write({ ...writes, result: null });
      return kept;
    });
  }

  /**
   * An AGS score (AGS 2.0 §3.4): a timestamp not later than the stored result's never overwrites it
   * (the same score again is unchanged, another is refused as `conflict`, after its ledger entry is
   * written); otherwise the result is kept and, on a line item that decides the placement, its
   * progress follows.
   */
  async publishResult(arrival: ResultArrival): Promise<'applied' | 'unchanged'> {
    const { ledger, result, target, tool, now } = arrival;
    const decision = await this.uow.run(async () => {
      const snapshot = await this.snapshot(
        { enrollmentId: result.enrollmentId, activityId: target?.activityId ?? null, snapshot: arrival.snapshot },
        result.lineItemId,
      );
      const stored = snapshot.storedResult;
      if (stored && result.scoredAt.getTime() <= stored.scoredAt.getTime()) {
        const same = sameResult(stored, result);
        await this.write(ledger, same ? 'unchanged' : 'rejected', same ? 'The same score again' : staleReason(stored));
        return same ? 'unchanged' : 'stale';
      }
      if (!target) {
        const entry = ledgerEntry(ledger, 'applied', null);
        await this.batch.write({
          enrollmentId: result.enrollmentId,
          ledger: entry,
          progress: null,
          submission: null,
          result,
        });
        return 'applied';
      }
      const { writes, overridden } = await this.scored(
        target,
        snapshot,
        scoreOf(result),
        tool,
        ledger,
        arrival.details,
        now,
      );
      await this.batch.write({ ...writes, result: overridden ? null : result });
      return overridden ? 'unchanged' : 'applied';
    });
    if (decision === 'stale') throw new DomainError('conflict', staleReason(null));
    return decision;
  }

  /**
   * An instructor's grade: it decides progress and completion like a final score, enters the ledger
   * as `manual`, becomes the placement's AGS result, and stands until cleared (see `scored`).
   */
  async applyOverride(arrival: OverrideArrival, override: GradeOverride): Promise<ActivityProgress> {
    const { target, now } = arrival;
    return this.uow.run(async () => {
      const enrollment = await this.progress.lock(target.enrollmentId);
      const current = await this.progress.current(target);
      const next = progressAfterOverride(current, target.link, override, now);
      if (!sameProgress(current, next)) await this.progress.save(next, enrollment, target, now);
      await this.write(arrival.ledger, 'manual', arrival.reason, next);
      const score = next.scoreGiven === null ? null : { given: next.scoreGiven, maximum: next.scoreMaximum! };
      await this.recordDecision(arrival, 'override', score, override.status);
      await this.overrideResults.write(this.resultOf(arrival, enrollment), score);
      return next;
    });
  }

  /**
   * The instructor's grade withdrawn: the latest score the tool handed in (kept meanwhile) decides
   * progress again, and becomes the AGS result; with none, the activity waits for a score.
   */
  async clearOverride(arrival: OverrideArrival): Promise<ActivityProgress> {
    const { target, now } = arrival;
    return this.uow.run(async () => {
      const enrollment = await this.progress.lock(target.enrollmentId);
      if (!(await this.submissions.standingOverride(target.enrollmentId, target.activityId))) {
        throw new DomainError('conflict', 'No instructor grade stands for this activity; there is nothing to clear');
      }
      const latest = await this.submissions.latestFromTool(target.enrollmentId, target.activityId);
      const score = latest?.scoreGiven != null ? { given: latest.scoreGiven, maximum: latest.scoreMaximum! } : null;
      const current = await this.progress.current(target);
      const next = progressAfterScore(current, target.link, score, now);
      if (!sameProgress(current, next)) await this.progress.save(next, enrollment, target, now);
      await this.write(arrival.ledger, 'manual', arrival.reason, next);
      await this.recordDecision(arrival, 'override_cleared', score, null);
      await this.overrideResults.write(
        { ...this.resultOf(arrival, enrollment), comment: latest?.comment ?? null },
        score,
      );
      return next;
    });
  }

  /** The stored progress, read under the same lock (LTI 1.1 `readResult` answers what is really stored). */
  async read(target: ScoreTarget): Promise<ActivityProgress> {
    return this.uow.run(async () => currentOf(await this.snapshot(target, null), target.activityId));
  }

  /** A read answered (LTI 1.1 `readResult`): with what is stored, or for a preview with nothing. */
  async recordRead(ledger: LedgerContext, progress: ActivityProgress | null): Promise<void> {
    await this.write(ledger, progress ? 'read' : 'preview', null, progress);
  }

  /** A score of an author's test launch: acknowledged to the tool, recorded in nobody's progress. */
  async acknowledgePreview(ledger: LedgerContext): Promise<void> {
    await this.write(ledger, 'preview', PREVIEW_REASON);
  }

  /** A score request refused, and why; nothing else is written. */
  async refuse(ledger: LedgerContext, reason: string): Promise<void> {
    await this.write(ledger, 'rejected', reason);
  }

  /** The enrollment's snapshot under its row lock: the caller's, or read now (one statement). */
  private async snapshot(
    target: Pick<ScoreTarget, 'enrollmentId' | 'snapshot'> & { readonly activityId: string | null },
    lineItemId: string | null,
  ): Promise<ScoreSnapshot> {
    const snapshot =
      target.snapshot ??
      (await this.batch.lock({ enrollmentId: target.enrollmentId, activityId: target.activityId, lineItemId }));
    if (!snapshot) throw DomainError.notFound('Enrollment');
    return snapshot;
  }

  /**
   * A tool's score on a placement: what it writes and the progress kept. The override rule: while an
   * instructor's grade stands, the score is kept as an attempt (`overridden`) and in the ledger, and
   * changes neither progress nor the result the tool reads. Otherwise it decides the placement's
   * progress and the course's completion; a score handed in is an attempt of the learner (a deleted
   * score is none).
   */
  private async scored(
    target: ScoreTarget,
    snapshot: ScoreSnapshot,
    score: GivenScore | null,
    tool: ToolGrading,
    ledger: LedgerContext,
    details: SubmissionDetails,
    now: Date,
  ): Promise<{ kept: ActivityProgress; overridden: boolean; writes: Omit<ScoreWrites, 'result'> }> {
    const current = currentOf(snapshot, target.activityId);
    const enrollmentId = target.enrollmentId;
    if (snapshot.overridden) {
      const entry = ledgerEntry(ledger, 'overridden', OVERRIDDEN_REASON, current);
      const submission = attempt(target, ledger, score, details, 'overridden');
      return { kept: current, overridden: true, writes: { enrollmentId, ledger: entry, progress: null, submission } };
    }
    const next = progressAfterScore(current, target.link, score, now, tool);
    const changed = !sameProgress(current, next);
    const kept = changed ? next : current;
    const rows = [...snapshot.progress.filter((row) => row.activityId !== next.activityId), next];
    const writes = {
      enrollmentId,
      ledger: ledgerEntry(ledger, changed ? 'applied' : 'unchanged', null, kept),
      progress: changed ? next : null,
      courseCompletedAt: changed
        ? await this.progress.completionAfter(rows, snapshot.enrollment, target, now)
        : undefined,
      submission: attempt(target, ledger, score, details, 'applied'),
    };
    return { kept, overridden: false, writes };
  }

  private recordDecision(
    arrival: OverrideArrival,
    kind: 'override' | 'override_cleared',
    score: GivenScore | null,
    status: 'completed' | 'failed' | null,
  ): Promise<void> {
    return this.submissions.record({
      ...NO_DETAILS,
      enrollmentId: arrival.target.enrollmentId,
      activityId: arrival.target.activityId,
      providerId: arrival.ledger.providerId,
      kind,
      outcome: 'applied',
      scoreGiven: kind === 'override' ? (score?.given ?? null) : null,
      scoreMaximum: kind === 'override' ? (score?.maximum ?? null) : null,
      status,
      reason: arrival.reason.slice(0, 500),
      byUserId: arrival.byUserId,
    });
  }

  private resultOf(arrival: OverrideArrival, enrollment: Enrollment) {
    return {
      enrollment,
      activityId: arrival.target.activityId,
      providerId: arrival.target.link.providerId,
      ltiUserId: arrival.ltiUserId,
      comment: arrival.reason,
    };
  }

  /** The one writer of the score ledger (with the batch of a score, see {@link ledgerEntry}). */
  private write(
    ledger: LedgerContext,
    decision: ScoreDecision,
    reason: string | null,
    progress: ActivityProgress | null = null,
  ): Promise<void> {
    return this.ledger.record(ledgerEntry(ledger, decision, reason, progress));
  }
}

/** A ledger entry; values are kept within the ledger's column sizes. */
function ledgerEntry(
  ledger: LedgerContext,
  decision: ScoreDecision,
  reason: string | null,
  progress: ActivityProgress | null = null,
): NewScoreLedgerEntry {
  return {
    ...ledger,
    rawScore: ledger.rawScore?.slice(0, 64) ?? null,
    decision,
    reason: reason?.slice(0, 500) ?? null,
    resultingStatus: progress?.status ?? null,
    scorePercent: progress?.scorePercent ?? null,
  };
}

/** A score handed in, as the learner's attempt; a deleted score is none. */
function attempt(
  target: ScoreTarget,
  ledger: LedgerContext,
  score: GivenScore | null,
  details: SubmissionDetails,
  outcome: SubmissionOutcome,
): NewSubmission | null {
  if (!score) return null;
  return {
    ...details,
    enrollmentId: target.enrollmentId,
    activityId: target.activityId,
    providerId: ledger.providerId,
    kind: 'tool',
    outcome,
    scoreGiven: score.given,
    scoreMaximum: score.maximum,
    status: null,
    reason: null,
    byUserId: null,
  };
}

/** The activity's progress in a snapshot (not started when there is none). */
function currentOf(snapshot: ScoreSnapshot, activityId: string): ActivityProgress {
  return (
    snapshot.progress.find((row) => row.activityId === activityId) ?? notStarted(snapshot.enrollment.id, activityId)
  );
}

/** What a result says as a score: none when `scoreGiven` was left out (a cleared score). */
function scoreOf(result: LineItemResult): GivenScore | null {
  return result.scoreGiven === null || result.scoreMaximum === null
    ? null
    : { given: result.scoreGiven, maximum: result.scoreMaximum };
}

function sameResult(stored: LineItemResult, result: LineItemResult): boolean {
  return (
    sameNumber(stored.scoreGiven, result.scoreGiven) &&
    sameNumber(stored.scoreMaximum, result.scoreMaximum) &&
    stored.comment === result.comment &&
    stored.activityProgress === result.activityProgress &&
    stored.gradingProgress === result.gradingProgress
  );
}

function sameNumber(a: string | null, b: string | null): boolean {
  return a === null || b === null ? a === b : Number(a) === Number(b);
}

function staleReason(stored: LineItemResult | null): string {
  const when = stored ? ` (${stored.scoredAt.toISOString()})` : '';
  return `A score with the same or a later timestamp${when} is stored; this one was not applied`;
}
