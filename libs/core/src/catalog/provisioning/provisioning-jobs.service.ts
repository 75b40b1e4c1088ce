import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Principal } from '../../access/principal';
import { DomainError } from '../../errors/domain-error';
import { ProvisioningImportService } from './provisioning-import.service';
import { ProvisioningJob, ProvisioningJobRepository } from './provisioning-job.repository';
import { ProvisioningProblem } from './provisioning-report';
import { ProvisioningRow } from './provisioning-row';

/** Rows between two progress writes: often enough for a page to move, rare enough to cost nothing. */
const PROGRESS_EVERY = 25;

/**
 * A job still running after this long lost its process (a restart): its transaction never
 * committed, so nothing was written, and its page says so instead of waiting for ever.
 */
export const PROVISIONING_JOB_LIFETIME_MS = 60 * 60 * 1000;

/**
 * Imports started from the page run as jobs: the request that uploads the file answers at once
 * with the job, the import goes on in that process, and its progress and result are rows in the
 * database, so the page can poll any instance.
 */
@Injectable()
export class ProvisioningJobsService {
  private readonly logger = new Logger('ProvisioningJobs');

  constructor(
    private readonly imports: ProvisioningImportService,
    private readonly jobs: ProvisioningJobRepository,
  ) {}

  async start(
    principal: Principal,
    input: { fileName: string; dryRun: boolean; rows: readonly ProvisioningRow[] },
  ): Promise<string> {
    const id = randomUUID();
    await this.jobs.create({ id, userId: principal.userId, ...input });
    void this.run(principal, id, input.rows, input.dryRun);
    return id;
  }

  /** Applies what a dry run checked: a new job over the same rows. */
  async applyChecked(principal: Principal, dryRunId: string): Promise<string> {
    const job = await this.get(principal, dryRunId);
    const rows = await this.jobs.findRows(principal.userId, dryRunId);
    if (!job.dryRun || job.status !== 'succeeded' || !rows) {
      throw DomainError.refused('Only a dry run that found no problems can be applied; upload the file again');
    }
    return this.start(principal, { fileName: job.fileName, dryRun: false, rows });
  }

  async get(principal: Principal, id: string): Promise<ProvisioningJob> {
    const job = await this.jobs.find(principal.userId, id);
    if (!job) throw DomainError.notFound('Import');
    if (job.status === 'running' && Date.now() - job.createdAt.getTime() > PROVISIONING_JOB_LIFETIME_MS) {
      const message =
        'The import stopped before it ended (its server restarted); nothing was written. Upload the file again.';
      return { ...job, status: 'failed', message };
    }
    return job;
  }

  private async run(principal: Principal, id: string, rows: readonly ProvisioningRow[], dryRun: boolean) {
    try {
      const report = await this.imports.import(principal, rows, {
        dryRun,
        onProgress: async (processed, total) => {
          if (processed % PROGRESS_EVERY === 0 || processed === total) await this.jobs.progress(id, processed);
        },
      });
      await this.jobs.finish(id, { status: 'succeeded', report, problems: [], message: null });
    } catch (error) {
      await this.end(id, error).catch((failure: unknown) =>
        this.logger.error({ err: failure, jobId: id }, 'Could not record the end of a provisioning job'),
      );
    }
  }

  private end(id: string, error: unknown): Promise<void> {
    if (error instanceof DomainError) {
      const problems = error.fields.map((problem) => ({ line: 0, ...problem }) as ProvisioningProblem);
      return this.jobs.finish(id, { status: 'refused', report: null, problems, message: error.message });
    }
    this.logger.error({ err: error, jobId: id }, 'Provisioning job failed');
    const message = 'The import failed on our side; nothing was written. Please try again.';
    return this.jobs.finish(id, { status: 'failed', report: null, problems: [], message });
  }
}
