import { MigrationInterface, QueryRunner } from 'typeorm';

/** Organizations, people, roles and sessions. */
export class Foundation1763800000000 implements MigrationInterface {
  name = 'Foundation1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE organizations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(200) NOT NULL,
        parent_id uuid NULL REFERENCES organizations (id) ON DELETE RESTRICT,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT organizations_not_own_parent CHECK (parent_id IS DISTINCT FROM id)
      )`);
    await queryRunner.query(`CREATE INDEX organizations_parent_idx ON organizations (parent_id)`);
    // Sibling names are unique, case-insensitively; roots count as siblings of each other.
    await queryRunner.query(`
      CREATE UNIQUE INDEX organizations_sibling_name_uq
        ON organizations (COALESCE(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name))`);

    await queryRunner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email varchar(254) NOT NULL,
        name varchar(200) NOT NULL,
        given_name varchar(100) NULL,
        family_name varchar(100) NULL,
        sis_id varchar(100) NULL,
        login_id varchar(100) NULL,
        password_hash varchar(255) NULL,
        status varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX users_email_uq ON users (lower(email))`);
    await queryRunner.query(`CREATE INDEX users_organization_idx ON users (organization_id)`);

    await queryRunner.query(`
      CREATE TABLE memberships (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        role varchar(32) NOT NULL CHECK (role IN ('site_admin', 'course_author', 'instructor', 'learner')),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT memberships_user_organization_role_uq UNIQUE (user_id, organization_id, role)
      )`);
    await queryRunner.query(`CREATE INDEX memberships_organization_role_idx ON memberships (organization_id, role)`);

    await queryRunner.query(`
      CREATE TABLE auth_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash bytea NOT NULL,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        kind varchar(16) NOT NULL CHECK (kind IN ('browser', 'api')),
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT auth_sessions_token_hash_uq UNIQUE (token_hash)
      )`);
    await queryRunner.query(`CREATE INDEX auth_sessions_user_idx ON auth_sessions (user_id)`);
    await queryRunner.query(`CREATE INDEX auth_sessions_expires_idx ON auth_sessions (expires_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE auth_sessions`);
    await queryRunner.query(`DROP TABLE memberships`);
    await queryRunner.query(`DROP TABLE users`);
    await queryRunner.query(`DROP TABLE organizations`);
  }
}
