import type { TenantScope } from '../access/tenant-scope';
import { Page, PageRequest } from '../shared/page';
import { LtiVersion } from '../catalog/lti-provider';
import { ProgressStatus } from '../learning/learning';

/**
 * What became of a score request: applied (progress changed), unchanged (same as stored), read,
 * rejected (and why), preview (an author's test launch, never recorded in anyone's progress),
 * overridden (kept as an attempt while an instructor's grade stands), or manual (an instructor's
 * grade set or cleared).
 */
export const SCORE_DECISIONS = ['applied', 'unchanged', 'read', 'rejected', 'preview', 'overridden', 'manual'] as const;
export type ScoreDecision = (typeof SCORE_DECISIONS)[number];

/** One score request of a tool, whatever became of it (DESIGN.md §2: the score-intake ledger). */
export interface ScoreLedgerEntry {
  readonly id: string;
  readonly receivedAt: Date;
  readonly ltiVersion: LtiVersion;
  /** The authenticated tool; null when the request could not be authenticated at all. */
  readonly providerId: string | null;
  /** Where the enrollment lives (class or course); the provider's when no enrollment was identified. */
  readonly organizationId: string | null;
  readonly enrollmentId: string | null;
  readonly activityId: string | null;
  readonly userId: string | null;
  /** The sourcedid (1.1) or line item (1.3) the request named. */
  readonly source: string | null;
  /** `replaceResult`, `readResult`, `deleteResult`, an unknown POX operation, or an AGS verb. */
  readonly operation: string;
  readonly rawScore: string | null;
  readonly decision: ScoreDecision;
  readonly reason: string | null;
  readonly resultingStatus: ProgressStatus | null;
  readonly scorePercent: number | null;
  readonly requestId: string | null;
}

export type NewScoreLedgerEntry = Omit<ScoreLedgerEntry, 'id' | 'receivedAt'>;

export interface ScoreLedgerQuery extends PageRequest {
  /** Only this organization's entries (checked to be in scope); otherwise every entry of the scope. */
  readonly organizationId?: string;
  readonly providerId?: string;
  readonly decision?: ScoreDecision;
}

/** An entry with the names a reader needs (they may have changed or gone since). */
export interface ScoreLedgerView extends ScoreLedgerEntry {
  readonly providerName: string | null;
  readonly userName: string | null;
  readonly activityTitle: string | null;
}

export abstract class ScoreLedgerRepository {
  abstract record(entry: NewScoreLedgerEntry): Promise<void>;
  /**
   * Newest first: entries of organizations the scope covers, and unattributed ones (no
   * organization) for platform administrators when no organization is asked for.
   */
  abstract list(scope: TenantScope, query: ScoreLedgerQuery): Promise<Page<ScoreLedgerView>>;
}
