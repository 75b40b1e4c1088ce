import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refused LTI 1.3 authorization requests, for the administrators of the tool they name: the OAuth
 * error and its description, the parameters received (hints shortened, each value capped) and the
 * redirect_uri asked for beside the registered ones. Unattributable ones (a client_id we do not know)
 * keep no provider and are shown to platform administrators only. The application bounds how many a
 * minute it keeps per provider, and the expiry janitor deletes them after the retention period.
 */
export class RefusedAuthorizations1796416329640 implements MigrationInterface {
  name = 'RefusedAuthorizations1796416329640';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE lti1p3_refused_authorizations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        provider_id uuid NULL REFERENCES lti_providers (id) ON DELETE CASCADE,
        client_id varchar(255) NULL,
        error varchar(64) NOT NULL,
        description varchar(500) NOT NULL,
        parameters jsonb NOT NULL,
        redirect_uri varchar(2048) NULL,
        registered_redirect_uris text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX lti1p3_refused_authorizations_provider_idx ON lti1p3_refused_authorizations (provider_id, created_at)`,
    );
    await queryRunner.query(
      `CREATE INDEX lti1p3_refused_authorizations_created_idx ON lti1p3_refused_authorizations (created_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE lti1p3_refused_authorizations`);
  }
}
