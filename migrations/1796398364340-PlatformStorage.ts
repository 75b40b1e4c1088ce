import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * LTI platform storage: whether a 1.3 tool keeps its OIDC state in the platform's storage frame
 * (LTI Platform Storage; it may then open in our frame from another site), and how each launch was
 * shown (frame, frame with platform storage, window, or window as the fallback for a cross-site tool
 * without it). A login initiation remembers its path until the launch it starts is recorded. Launches
 * recorded before keep null: nobody wrote it down then.
 */
export class PlatformStorage1796398364340 implements MigrationInterface {
  name = 'PlatformStorage1796398364340';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE lti_providers ADD COLUMN platform_storage boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE lti1p3_message_hints ADD COLUMN presentation_path varchar(32) NULL`);
    await queryRunner.query(`ALTER TABLE lti_launches ADD COLUMN presentation_path varchar(32) NULL`);
    for (const table of ['lti1p3_message_hints', 'lti_launches']) {
      await queryRunner.query(
        `ALTER TABLE ${table} ADD CONSTRAINT ${table}_presentation_path_ck
           CHECK (presentation_path IN ('frame', 'frame_platform_storage', 'window', 'window_fallback'))`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE lti_launches DROP COLUMN presentation_path`);
    await queryRunner.query(`ALTER TABLE lti1p3_message_hints DROP COLUMN presentation_path`);
    await queryRunner.query(`ALTER TABLE lti_providers DROP COLUMN platform_storage`);
  }
}
