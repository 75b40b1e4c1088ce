import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * LTI 1.3 launches: the single-use login initiation hints (LTI Security 1.0 §5.1.1), and the LTI 1.1
 * provider a 1.3 provider replaces (the 1.1 → 1.3 migration claim).
 */
export class Lti1p3Launch1764200000000 implements MigrationInterface {
  name = 'Lti1p3Launch1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE lti1p3_message_hints (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        message_hint varchar(64) NOT NULL,
        login_hint varchar(64) NOT NULL,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        provider_id uuid NOT NULL REFERENCES lti_providers (id) ON DELETE CASCADE,
        message_type varchar(32) NOT NULL CHECK (message_type IN ('LtiResourceLinkRequest', 'LtiDeepLinkingRequest')),
        kind varchar(16) NOT NULL CHECK (kind IN ('learner', 'instructor', 'preview')),
        course_id uuid NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
        class_id uuid NULL REFERENCES classes (id) ON DELETE CASCADE,
        enrollment_id uuid NULL REFERENCES enrollments (id) ON DELETE CASCADE,
        activity_id uuid NULL REFERENCES course_activities (id) ON DELETE CASCADE,
        target_link_uri varchar(2048) NOT NULL,
        accept_multiple boolean NOT NULL DEFAULT true,
        document_target varchar(8) NOT NULL CHECK (document_target IN ('iframe', 'window')),
        expires_at timestamptz NOT NULL,
        consumed_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT lti1p3_message_hints_hint_uq UNIQUE (message_hint)
      )`);
    await queryRunner.query(`CREATE INDEX lti1p3_message_hints_expires_idx ON lti1p3_message_hints (expires_at)`);
    // The gradebook column a tool asked for with a deep-linked item (label, scoreMaximum, resourceId, tag).
    await queryRunner.query(`ALTER TABLE lti_resource_links ADD COLUMN line_item jsonb NULL`);
    await queryRunner.query(
      `ALTER TABLE lti_providers ADD COLUMN replaces_provider_id uuid NULL REFERENCES lti_providers (id) ON DELETE SET NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE lti_providers DROP COLUMN replaces_provider_id`);
    await queryRunner.query(`ALTER TABLE lti_resource_links DROP COLUMN line_item`);
    await queryRunner.query(`DROP TABLE lti1p3_message_hints`);
  }
}
