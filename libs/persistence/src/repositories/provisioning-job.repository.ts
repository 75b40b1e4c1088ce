import { Injectable } from '@nestjs/common';
import {
  isUuid,
  NewProvisioningJob,
  ProvisioningJob,
  ProvisioningJobEnd,
  ProvisioningJobRepository,
  ProvisioningRow,
} from '@tms/core';
import { DataSource } from 'typeorm';

interface JobRow {
  id: string;
  user_id: string;
  file_name: string;
  dry_run: boolean;
  status: ProvisioningJob['status'];
  total: number;
  processed: number;
  report: ProvisioningJob['report'];
  problems: ProvisioningJob['problems'];
  message: string | null;
  created_at: Date;
  finished_at: Date | null;
}

const COLUMNS =
  'id, user_id, file_name, dry_run, status, total, processed, report, problems, message, created_at, finished_at';

/**
 * On the pool, never in the transaction of the caller: an import writes its progress while its
 * own transaction (which no one else sees before it commits) is still open.
 */
@Injectable()
export class TypeOrmProvisioningJobRepository extends ProvisioningJobRepository {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async create(job: NewProvisioningJob): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO provisioning_jobs (id, user_id, file_name, dry_run, total, rows) VALUES ($1, $2, $3, $4, $5, $6)`,
      [job.id, job.userId, job.fileName.slice(0, 255), job.dryRun, job.rows.length, JSON.stringify(job.rows)],
    );
  }

  async progress(id: string, processed: number): Promise<void> {
    await this.dataSource.query(`UPDATE provisioning_jobs SET processed = $2 WHERE id = $1 AND status = 'running'`, [
      id,
      processed,
    ]);
  }

  async finish(id: string, end: ProvisioningJobEnd): Promise<void> {
    await this.dataSource.query(
      `UPDATE provisioning_jobs
          SET status = $2::varchar, report = $3, problems = $4, message = $5, finished_at = now(),
              processed = CASE WHEN $2::varchar = 'succeeded' THEN total ELSE processed END
        WHERE id = $1`,
      [id, end.status, end.report && JSON.stringify(end.report), JSON.stringify(end.problems), end.message],
    );
  }

  async find(userId: string, id: string): Promise<ProvisioningJob | null> {
    if (!isUuid(id)) return null;
    const [row] = await this.dataSource.query<JobRow[]>(
      `SELECT ${COLUMNS} FROM provisioning_jobs WHERE id = $1 AND user_id = $2`,
      [id, userId],
    );
    return row ? toJob(row) : null;
  }

  async findRows(userId: string, id: string): Promise<ProvisioningRow[] | null> {
    if (!isUuid(id)) return null;
    const [row] = await this.dataSource.query<{ rows: ProvisioningRow[] }[]>(
      `SELECT rows FROM provisioning_jobs WHERE id = $1 AND user_id = $2`,
      [id, userId],
    );
    return row?.rows ?? null;
  }
}

function toJob(row: JobRow): ProvisioningJob {
  return {
    id: row.id,
    userId: row.user_id,
    fileName: row.file_name,
    dryRun: row.dry_run,
    status: row.status,
    total: row.total,
    processed: row.processed,
    report: row.report,
    problems: row.problems,
    message: row.message,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}
