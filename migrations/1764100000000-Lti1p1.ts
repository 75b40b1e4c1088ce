import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * LTI 1.1 launches and Basic Outcomes: the launch record, consumed OAuth nonces, the score ledger
 * (one for every score intake, 1.1 and 1.3), the exact score behind each progress row, and
 * Content-Item selection requests.
 */
export class Lti1p11764100000000 implements MigrationInterface {
  name = 'Lti1p11764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE lti_launches (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        enrollment_id uuid NULL REFERENCES enrollments (id) ON DELETE CASCADE,
        activity_id uuid NULL REFERENCES course_activities (id) ON DELETE CASCADE,
        resource_link_id uuid NOT NULL REFERENCES lti_resource_links (id) ON DELETE CASCADE,
        provider_id uuid NOT NULL REFERENCES lti_providers (id) ON DELETE CASCADE,
        lti_version varchar(3) NOT NULL CHECK (lti_version IN ('1.1', '1.3')),
        kind varchar(16) NOT NULL CHECK (kind IN ('learner', 'instructor', 'preview')),
        roles text[] NOT NULL,
        pii_sent text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX lti_launches_enrollment_idx ON lti_launches (enrollment_id, created_at)`);
    await queryRunner.query(`CREATE INDEX lti_launches_user_idx ON lti_launches (user_id, created_at)`);

    // Consumed once: the primary key refuses a replay (RFC 5849 §3.3), in every process at once.
    await queryRunner.query(`
      CREATE TABLE oauth_nonces (
        provider_id uuid NOT NULL REFERENCES lti_providers (id) ON DELETE CASCADE,
        nonce varchar(255) NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (provider_id, nonce)
      )`);
    await queryRunner.query(`CREATE INDEX oauth_nonces_expires_idx ON oauth_nonces (expires_at)`);

    await queryRunner.query(`
      CREATE TABLE score_ledger (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        received_at timestamptz NOT NULL DEFAULT now(),
        lti_version varchar(3) NOT NULL CHECK (lti_version IN ('1.1', '1.3')),
        provider_id uuid NULL REFERENCES lti_providers (id) ON DELETE SET NULL,
        organization_id uuid NULL REFERENCES organizations (id) ON DELETE SET NULL,
        enrollment_id uuid NULL REFERENCES enrollments (id) ON DELETE SET NULL,
        activity_id uuid NULL REFERENCES course_activities (id) ON DELETE SET NULL,
        user_id uuid NULL REFERENCES users (id) ON DELETE SET NULL,
        source varchar(1000) NULL,
        operation varchar(64) NOT NULL,
        raw_score varchar(64) NULL,
        decision varchar(16) NOT NULL CHECK (decision IN ('applied', 'unchanged', 'read', 'rejected', 'preview')),
        reason varchar(500) NULL,
        resulting_status varchar(16) NULL,
        score_percent numeric(8, 3) NULL,
        request_id varchar(100) NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX score_ledger_organization_idx ON score_ledger (organization_id, received_at DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX score_ledger_enrollment_idx ON score_ledger (enrollment_id, received_at DESC)`,
    );
    await queryRunner.query(`CREATE INDEX score_ledger_provider_idx ON score_ledger (provider_id, received_at DESC)`);

    // The score exactly as the tool gave it (1.1: a decimal in [0, 1] over a maximum of 1).
    await queryRunner.query(`
      ALTER TABLE activity_progress
        ADD COLUMN score_given numeric NULL CHECK (score_given >= 0),
        ADD COLUMN score_maximum numeric NULL CHECK (score_maximum > 0),
        ADD COLUMN scored_at timestamptz NULL`);

    await queryRunner.query(`ALTER TABLE lti_providers ADD COLUMN content_item_url varchar(2048) NULL`);
    await queryRunner.query(`
      CREATE TABLE content_item_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        course_id uuid NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
        provider_id uuid NOT NULL REFERENCES lti_providers (id) ON DELETE CASCADE,
        accept_multiple boolean NOT NULL DEFAULT true,
        expires_at timestamptz NOT NULL,
        consumed_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE content_item_requests`);
    await queryRunner.query(`ALTER TABLE lti_providers DROP COLUMN content_item_url`);
    await queryRunner.query(
      `ALTER TABLE activity_progress DROP COLUMN score_given, DROP COLUMN score_maximum, DROP COLUMN scored_at`,
    );
    await queryRunner.query(`DROP TABLE score_ledger`);
    await queryRunner.query(`DROP TABLE oauth_nonces`);
    await queryRunner.query(`DROP TABLE lti_launches`);
  }
}
