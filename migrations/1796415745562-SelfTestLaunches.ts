import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * LTI 1.3 test launches from a provider's page: a launch of kind `self_test` belongs to no course, so
 * its login initiation names no course and its launch record no resource link (only a self-test may
 * leave them out), and the login initiation keeps the role the administrator tests as.
 */
export class SelfTestLaunches1796415745562 implements MigrationInterface {
  name = 'SelfTestLaunches1796415745562';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['lti_launches', 'lti1p3_message_hints']) {
      await queryRunner.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_kind_check`);
      await queryRunner.query(
        `ALTER TABLE ${table} ADD CONSTRAINT ${table}_kind_check
           CHECK (kind IN ('learner', 'instructor', 'preview', 'self_test'))`,
      );
    }
    await queryRunner.query(`ALTER TABLE lti_launches ALTER COLUMN resource_link_id DROP NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE lti_launches ADD CONSTRAINT lti_launches_self_test_ck
         CHECK ((kind = 'self_test') = (resource_link_id IS NULL))`,
    );
    await queryRunner.query(`ALTER TABLE lti1p3_message_hints ALTER COLUMN course_id DROP NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE lti1p3_message_hints
         ADD COLUMN test_role varchar(16) NULL CHECK (test_role IN ('learner', 'instructor'))`,
    );
    await queryRunner.query(
      `ALTER TABLE lti1p3_message_hints ADD CONSTRAINT lti1p3_message_hints_self_test_ck
         CHECK ((kind = 'self_test') = (course_id IS NULL) AND (kind = 'self_test') = (test_role IS NOT NULL))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM lti1p3_message_hints WHERE kind = 'self_test'`);
    await queryRunner.query(`DELETE FROM lti_launches WHERE kind = 'self_test'`);
    await queryRunner.query(`ALTER TABLE lti1p3_message_hints DROP CONSTRAINT lti1p3_message_hints_self_test_ck`);
    await queryRunner.query(`ALTER TABLE lti1p3_message_hints DROP COLUMN test_role`);
    await queryRunner.query(`ALTER TABLE lti1p3_message_hints ALTER COLUMN course_id SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE lti_launches DROP CONSTRAINT lti_launches_self_test_ck`);
    await queryRunner.query(`ALTER TABLE lti_launches ALTER COLUMN resource_link_id SET NOT NULL`);
    for (const table of ['lti_launches', 'lti1p3_message_hints']) {
      await queryRunner.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_kind_check`);
      await queryRunner.query(
        `ALTER TABLE ${table} ADD CONSTRAINT ${table}_kind_check CHECK (kind IN ('learner', 'instructor', 'preview'))`,
      );
    }
  }
}
