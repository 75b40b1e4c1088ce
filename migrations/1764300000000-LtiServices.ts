import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * LTI Advantage access tokens (LTI Security 1.0 §4.1): only a SHA-256 of each token is kept, with
 * its tool, granted scopes and expiry, so a token can be checked and revoked by any process.
 */
export class LtiServices1764300000000 implements MigrationInterface {
  name = 'LtiServices1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE lti1p3_access_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash char(64) NOT NULL,
        provider_id uuid NOT NULL REFERENCES lti_providers (id) ON DELETE CASCADE,
        scopes text[] NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT lti1p3_access_tokens_hash_uq UNIQUE (token_hash)
      )`);
    await queryRunner.query(`CREATE INDEX lti1p3_access_tokens_provider_idx ON lti1p3_access_tokens (provider_id)`);
    await queryRunner.query(`CREATE INDEX lti1p3_access_tokens_expires_idx ON lti1p3_access_tokens (expires_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE lti1p3_access_tokens`);
  }
}
