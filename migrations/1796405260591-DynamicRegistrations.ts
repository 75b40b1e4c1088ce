import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * LTI Dynamic Registration 1.0: a registration an administrator starts for an organization, the tool's
 * request once it registers (pending until an administrator decides), and the provider it became.
 * Only the SHA-256 of the single-use registration token is kept.
 */
export class DynamicRegistrations1796405260591 implements MigrationInterface {
  name = 'DynamicRegistrations1796405260591';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE lti_dynamic_registrations (
        id uuid PRIMARY KEY,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        initiation_url varchar(2048) NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('started', 'pending', 'approved', 'rejected')),
        token_hash char(64) NOT NULL UNIQUE,
        token_expires_at timestamptz NOT NULL,
        token_used_at timestamptz NULL,
        client_id varchar(64) NULL UNIQUE,
        deployment_id varchar(64) NULL,
        request jsonb NULL,
        initiate_login_uri varchar(2048) NULL,
        provider_id uuid NULL REFERENCES lti_providers(id) ON DELETE SET NULL,
        started_by uuid NULL REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'started') = (request IS NULL))
      )`);
    await queryRunner.query(
      `CREATE INDEX lti_dynamic_registrations_tool_idx ON lti_dynamic_registrations (organization_id, initiate_login_uri)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE lti_dynamic_registrations`);
  }
}
