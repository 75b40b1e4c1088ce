import { ActivityProgress, Enrollment } from '../learning/learning';
import { LineItemResult } from './line-item.repository';
import { NewScoreLedgerEntry } from './score-ledger.repository';
import { NewSubmission } from './submission.repository';

/**
 * What a score is decided from, read in one statement under the enrollment's row lock (so that
 * concurrent scores and launches of one learner apply one after another).
 */
export interface ScoreSnapshot {
  readonly enrollment: Enrollment;
  /** The enrollment's stored progress on every activity (course completion is computed from them). */
  readonly progress: readonly ActivityProgress[];
  /** An instructor's grade stands on the scored activity. */
  readonly overridden: boolean;
  /** The stored AGS result of the line item for this enrollment, when a line item was named. */
  readonly storedResult: LineItemResult | null;
}

/** Where a snapshot is taken: the enrollment, the activity scored, the AGS line item (if any). */
export interface ScoreSnapshotKey {
  readonly enrollmentId: string;
  readonly activityId: string | null;
  readonly lineItemId: string | null;
}

/** Everything one score writes, stored together in one statement. */
export interface ScoreWrites {
  readonly enrollmentId: string;
  readonly ledger: NewScoreLedgerEntry;
  readonly progress: ActivityProgress | null;
  /** The course's completion as it now stands; undefined when it did not change. */
  readonly courseCompletedAt?: Date | null;
  readonly submission: NewSubmission | null;
  readonly result: LineItemResult | null;
}

/**
 * Port of the score intake's hot path: one round trip to read what a score needs under the lock,
 * one to write what it decided (inside the intake's transaction).
 */
export abstract class ScoreBatchRepository {
  /** Null when the enrollment is gone. */
  abstract lock(key: ScoreSnapshotKey): Promise<ScoreSnapshot | null>;
  abstract write(writes: ScoreWrites): Promise<void>;
}
