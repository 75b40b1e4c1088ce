import { Injectable } from '@nestjs/common';
import {
  ActivityProgress,
  Enrollment,
  LineItemResult,
  ScoreBatchRepository,
  ScoreSnapshot,
  ScoreSnapshotKey,
  ScoreWrites,
} from '@tms/core';
import { TransactionContext } from '../database/transaction-context';

/** The JSON of `score_state(enrollment, activity, line item)` (migration ScoreState). */
export interface ScoreStateJson {
  readonly [field: string]: unknown;
  readonly progress: ReadonlyArray<Record<string, string | null>>;
  readonly overridden: boolean;
  readonly result: Record<string, string | null> | null;
}

export function toScoreSnapshot(state: ScoreStateJson): ScoreSnapshot {
  const field = (name: string) => state[name] as string | null;
  const id = field('id')!;
  const enrollment: Enrollment = {
    id,
    kind: field('kind') as Enrollment['kind'],
    courseId: field('courseId')!,
    classId: field('classId'),
    userId: field('userId')!,
    role: field('role') as Enrollment['role'],
    status: field('status') as Enrollment['status'],
    dueAt: dateOf(field('dueAt')),
    completedAt: dateOf(field('completedAt')),
    endedAt: dateOf(field('endedAt')),
    createdAt: new Date(field('createdAt')!),
  };
  return {
    enrollment,
    progress: state.progress.map((p) => toProgress(id, p)),
    overridden: state.overridden,
    storedResult: state.result && toResult(id, state.result),
  };
}

/** One progress row of `score_state` or `enrollment_progress` (numerics as text, times as JSON). */
export function toProgress(enrollmentId: string, p: Record<string, string | null>): ActivityProgress {
  return {
    enrollmentId,
    activityId: p.activityId!,
    status: p.status as ActivityProgress['status'],
    scorePercent: p.scorePercent === null ? null : Number(p.scorePercent),
    scoreGiven: p.scoreGiven,
    scoreMaximum: p.scoreMaximum,
    scoredAt: dateOf(p.scoredAt),
    firstLaunchedAt: dateOf(p.firstLaunchedAt),
    completedAt: dateOf(p.completedAt),
  };
}

function toResult(enrollmentId: string, r: Record<string, string | null>): LineItemResult {
  return {
    lineItemId: r.lineItemId!,
    enrollmentId,
    ltiUserId: r.ltiUserId!,
    scoreGiven: r.scoreGiven,
    scoreMaximum: r.scoreMaximum,
    comment: r.comment,
    activityProgress: r.activityProgress as LineItemResult['activityProgress'],
    gradingProgress: r.gradingProgress as LineItemResult['gradingProgress'],
    scoredAt: new Date(r.scoredAt!),
  };
}

function dateOf(value: string | null): Date | null {
  return value === null ? null : new Date(value);
}

/** Parameters of one statement, numbered as they are added. */
export class Parameters {
  readonly values: unknown[] = [];

  add(...values: unknown[]): string {
    return values.map((value) => `$${this.values.push(value)}`).join(', ');
  }
}

/**
 * The score intake's two round trips: the snapshot under the enrollment's row lock (`score_state`),
 * and every write
 * of the score in one statement of data-modifying CTEs (atomic, like the transaction around it).
 */
@Injectable()
export class SqlScoreBatchRepository extends ScoreBatchRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  async lock({ enrollmentId, activityId, lineItemId }: ScoreSnapshotKey): Promise<ScoreSnapshot | null> {
    const [row] = await this.tx.prepared<{ state: ScoreStateJson | null }>(`SELECT score_state($1, $2, $3) AS state`, [
      enrollmentId,
      activityId,
      lineItemId,
    ]);
    return row.state && toScoreSnapshot(row.state);
  }

  async write(writes: ScoreWrites): Promise<void> {
    const p = new Parameters();
    const parts = [ledgerInsert(p, writes)];
    if (writes.progress) parts.push(progressUpsert(p, writes.progress));
    if (writes.courseCompletedAt !== undefined) {
      parts.push(`UPDATE enrollments SET completed_at = ${p.add(writes.courseCompletedAt)}, updated_at = now()
        WHERE id = ${p.add(writes.enrollmentId)}`);
    }
    if (writes.submission) parts.push(submissionInsert(p, writes.submission));
    if (writes.result) parts.push(resultUpsert(p, writes.result));
    const ctes = parts.map((sql, index) => `w${index} AS (${sql})`).join(',\n');
    await this.tx.prepared(`WITH ${ctes} SELECT 1`, p.values);
  }
}

function ledgerInsert(p: Parameters, { ledger: l }: ScoreWrites): string {
  return `INSERT INTO score_ledger (lti_version, provider_id, organization_id, enrollment_id, activity_id, user_id,
      source, operation, raw_score, decision, reason, resulting_status, score_percent, request_id)
    VALUES (${p.add(l.ltiVersion, l.providerId, l.organizationId, l.enrollmentId, l.activityId, l.userId)},
      ${p.add(l.source, l.operation, l.rawScore, l.decision, l.reason, l.resultingStatus, l.scorePercent, l.requestId)})`;
}

export function progressUpsert(p: Parameters, r: ActivityProgress): string {
  return `INSERT INTO activity_progress (enrollment_id, activity_id, status, score_percent, score_given, score_maximum,
      scored_at, first_launched_at, completed_at)
    VALUES (${p.add(r.enrollmentId, r.activityId, r.status, r.scorePercent, r.scoreGiven, r.scoreMaximum)},
      ${p.add(r.scoredAt, r.firstLaunchedAt, r.completedAt)})
    ON CONFLICT (enrollment_id, activity_id) DO UPDATE SET status = EXCLUDED.status,
      score_percent = EXCLUDED.score_percent, score_given = EXCLUDED.score_given,
      score_maximum = EXCLUDED.score_maximum, scored_at = EXCLUDED.scored_at,
      first_launched_at = EXCLUDED.first_launched_at, completed_at = EXCLUDED.completed_at, updated_at = now()`;
}

function submissionInsert(p: Parameters, s: NonNullable<ScoreWrites['submission']>): string {
  return `INSERT INTO submissions (enrollment_id, activity_id, provider_id, kind, outcome, score_given, score_maximum,
      status, comment, text, url, lti_launch_url, started_at, submitted_at, reason, by_user_id)
    VALUES (${p.add(s.enrollmentId, s.activityId, s.providerId, s.kind, s.outcome, s.scoreGiven, s.scoreMaximum)},
      ${p.add(s.status, s.comment, s.text, s.url, s.ltiLaunchUrl, s.startedAt, s.submittedAt, s.reason, s.byUserId)})`;
}

function resultUpsert(p: Parameters, r: LineItemResult): string {
  return `INSERT INTO lti1p3_results (line_item_id, enrollment_id, lti_user_id, score_given, score_maximum, comment,
      activity_progress, grading_progress, scored_at)
    VALUES (${p.add(r.lineItemId, r.enrollmentId, r.ltiUserId, r.scoreGiven, r.scoreMaximum, r.comment)},
      ${p.add(r.activityProgress, r.gradingProgress, r.scoredAt)})
    ON CONFLICT (line_item_id, enrollment_id) DO UPDATE SET lti_user_id = EXCLUDED.lti_user_id,
      score_given = EXCLUDED.score_given, score_maximum = EXCLUDED.score_maximum, comment = EXCLUDED.comment,
      activity_progress = EXCLUDED.activity_progress, grading_progress = EXCLUDED.grading_progress,
      scored_at = EXCLUDED.scored_at, updated_at = now()`;
}
