import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the queries that must cost the same on a large database as on a small one.
 *
 * - `enrollments (class_id, created_at)`: a class roster, NRPS and class progress filter on the
 *   class whatever the enrollment's status; the only index on it was the partial unique one for
 *   live enrollments, so each of them scanned every enrollment.
 * - `lti_providers (consumer_key)`: every LTI 1.1 launch check and Basic Outcomes request finds its
 *   provider by the consumer key (a sequential scan over the providers before).
 * - `score_ledger (received_at DESC, id DESC)`: the platform-wide ledger list (a platform
 *   administrator's, newest first) reads a page from the index instead of sorting the ledger.
 * - `activity_progress (enrollment_id)` is the primary key's prefix already; nothing to add.
 */
export class ScaleIndexes1796404539763 implements MigrationInterface {
  name = 'ScaleIndexes1796404539763';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX enrollments_class_idx ON enrollments (class_id, created_at) WHERE class_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX lti_providers_consumer_key_idx ON lti_providers (consumer_key) WHERE consumer_key IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX score_ledger_received_idx ON score_ledger (received_at DESC, id DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX score_ledger_received_idx`);
    await queryRunner.query(`DROP INDEX lti_providers_consumer_key_idx`);
    await queryRunner.query(`DROP INDEX enrollments_class_idx`);
  }
}
