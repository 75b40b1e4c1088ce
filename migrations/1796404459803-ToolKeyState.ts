import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Register first, key later: a 1.3 provider may be saved before its tool serves a key. Whether we hold
 * a usable key, why not, and when the JWKS URL was last fetched. 1.3 providers saved before were
 * saved only with a working key, so they are ready; 1.1 providers have no tool key (null).
 */
export class ToolKeyState1796404459803 implements MigrationInterface {
  name = 'ToolKeyState1796404459803';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE lti_providers ADD COLUMN key_status varchar(16) NULL`);
    await queryRunner.query(`ALTER TABLE lti_providers ADD COLUMN key_problem varchar(500) NULL`);
    await queryRunner.query(`ALTER TABLE lti_providers ADD COLUMN key_checked_at timestamptz NULL`);
    await queryRunner.query(`UPDATE lti_providers SET key_status = 'ready' WHERE lti_version = '1.3'`);
    await queryRunner.query(
      `ALTER TABLE lti_providers ADD CONSTRAINT lti_providers_key_status_ck
         CHECK ((lti_version = '1.3') = (key_status IS NOT NULL) AND key_status IN ('ready', 'waiting'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE lti_providers DROP CONSTRAINT lti_providers_key_status_ck`);
    await queryRunner.query(`ALTER TABLE lti_providers DROP COLUMN key_checked_at`);
    await queryRunner.query(`ALTER TABLE lti_providers DROP COLUMN key_problem`);
    await queryRunner.query(`ALTER TABLE lti_providers DROP COLUMN key_status`);
  }
}
