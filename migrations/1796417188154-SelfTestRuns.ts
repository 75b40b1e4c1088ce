import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Provider self-test runs kept for their administrators: who ran which test when, its outcome, and
 * what was sent and received (capped by the application at 64 KiB); a 1.3 test launch names its
 * launch record, which the launch inspector shows. The audit log keeps its own entries beside them.
 */
export class SelfTestRuns1796417188154 implements MigrationInterface {
  name = 'SelfTestRuns1796417188154';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE lti_provider_self_tests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        provider_id uuid NOT NULL REFERENCES lti_providers (id) ON DELETE CASCADE,
        user_id uuid NULL REFERENCES users (id) ON DELETE SET NULL,
        kind varchar(32) NOT NULL CHECK (kind IN ('lti1p1_test_launch', 'lti1p3_checks', 'lti1p3_test_launch')),
        passed boolean NOT NULL,
        summary varchar(500) NOT NULL,
        detail jsonb NOT NULL,
        launch_id uuid NULL REFERENCES lti_launches (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'lti1p3_test_launch') = (launch_id IS NOT NULL))
      )`);
    await queryRunner.query(
      `CREATE INDEX lti_provider_self_tests_provider_idx ON lti_provider_self_tests (provider_id, created_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE lti_provider_self_tests`);
  }
}
