import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * LTI Platform Notification Service: the notice handlers a tool registers (one per notice type), and
 * the queue of notices to deliver. A notice is written once, with the change that causes it (or when an
 * administrator asks for a test notice), and stays until it is sent or has failed its last attempt:
 * nothing acknowledged is lost. Workers claim due rows with FOR UPDATE SKIP LOCKED and lease them
 * (`next_attempt_at` moves past the delivery's time limit), so any number of instances share the queue
 * and a crash mid-delivery only delays a notice until its lease ends.
 */
export class PlatformNotices1796405673721 implements MigrationInterface {
  name = 'PlatformNotices1796405673721';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE notice_handlers (
        provider_id uuid NOT NULL REFERENCES lti_providers (id) ON DELETE CASCADE,
        notice_type varchar(64) NOT NULL,
        handler varchar(2048) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (provider_id, notice_type)
      )`);
    await queryRunner.query(`
      CREATE TABLE notice_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        provider_id uuid NOT NULL REFERENCES lti_providers (id) ON DELETE CASCADE,
        notice_type varchar(64) NOT NULL,
        handler varchar(2048) NOT NULL,
        claims jsonb NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at timestamptz NULL,
        last_attempt_at timestamptz NULL,
        last_error varchar(500) NULL,
        sent_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT notice_deliveries_pending_due CHECK ((status = 'pending') = (next_attempt_at IS NOT NULL))
      )`);
    await queryRunner.query(
      `CREATE INDEX notice_deliveries_due_idx ON notice_deliveries (next_attempt_at) WHERE status = 'pending'`,
    );
    await queryRunner.query(
      `CREATE INDEX notice_deliveries_provider_idx ON notice_deliveries (provider_id, created_at DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE notice_deliveries`);
    await queryRunner.query(`DROP TABLE notice_handlers`);
  }
}
