import { ProvisioningProblem, ProvisioningReport } from './provisioning-report';
import { ProvisioningRow } from './provisioning-row';

export const PROVISIONING_JOB_STATUSES = ['running', 'succeeded', 'refused', 'failed'] as const;
export type ProvisioningJobStatus = (typeof PROVISIONING_JOB_STATUSES)[number];

/** An import started from the page: its progress and result, kept in the database for any instance to show. */
export interface ProvisioningJob {
  readonly id: string;
  readonly userId: string;
  readonly fileName: string;
  readonly dryRun: boolean;
  readonly status: ProvisioningJobStatus;
  readonly total: number;
  readonly processed: number;
  readonly report: ProvisioningReport | null;
  readonly problems: readonly ProvisioningProblem[];
  /** Why it was refused or failed, in a sentence. */
  readonly message: string | null;
  readonly createdAt: Date;
  readonly finishedAt: Date | null;
}

export interface NewProvisioningJob {
  readonly id: string;
  readonly userId: string;
  readonly fileName: string;
  readonly dryRun: boolean;
  readonly rows: readonly ProvisioningRow[];
}

export interface ProvisioningJobEnd {
  readonly status: Exclude<ProvisioningJobStatus, 'running'>;
  readonly report: ProvisioningReport | null;
  readonly problems: readonly ProvisioningProblem[];
  readonly message: string | null;
}

/**
 * Port: provisioning jobs, each visible to the person who started it only. Progress and the end
 * are written outside any transaction in progress (the import's own stays open until its end).
 */
export abstract class ProvisioningJobRepository {
  abstract create(job: NewProvisioningJob): Promise<void>;
  abstract progress(id: string, processed: number): Promise<void>;
  abstract finish(id: string, end: ProvisioningJobEnd): Promise<void>;
  abstract find(userId: string, id: string): Promise<ProvisioningJob | null>;
  /** The rows a job was started with (to apply what a dry run checked). */
  abstract findRows(userId: string, id: string): Promise<ProvisioningRow[] | null>;
}
