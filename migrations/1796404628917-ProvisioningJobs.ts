import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bulk provisioning imports started from the page: the rows uploaded (a dry run's rows are what
 * "apply" writes), the progress any instance can report, and the result. Each belongs to the
 * person who started it; deleting them deletes their jobs.
 */
export class ProvisioningJobs1796404628917 implements MigrationInterface {
  name = 'ProvisioningJobs1796404628917';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE provisioning_jobs (
        id uuid NOT NULL,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        file_name varchar(255) NOT NULL,
        dry_run boolean NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'running',
        total integer NOT NULL,
        processed integer NOT NULL DEFAULT 0,
        rows jsonb NOT NULL,
        report jsonb NULL,
        problems jsonb NOT NULL DEFAULT '[]',
        message text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz NULL,
        CONSTRAINT provisioning_jobs_pk PRIMARY KEY (id),
        CONSTRAINT provisioning_jobs_status_ck CHECK (status IN ('running', 'succeeded', 'refused', 'failed')),
        CONSTRAINT provisioning_jobs_progress_ck CHECK (processed >= 0 AND processed <= total)
      )`);
    await queryRunner.query(`CREATE INDEX provisioning_jobs_user_idx ON provisioning_jobs (user_id, created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE provisioning_jobs`);
  }
}
