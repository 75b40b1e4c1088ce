import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The launch inspector: what each launch sent (LTI 1.1 parameters and signature base string, LTI 1.3
 * id_token claims), with the person's values redacted before writing and the size bounded by the
 * application (64 KiB). Launches recorded before keep null: nobody wrote it down then.
 */
export class LaunchSent1796406563364 implements MigrationInterface {
  name = 'LaunchSent1796406563364';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE lti_launches ADD COLUMN sent jsonb NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE lti_launches DROP COLUMN sent`);
  }
}
