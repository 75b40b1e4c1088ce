import { MigrationInterface, QueryRunner } from 'typeorm';

/** LTI providers and resource links with their availability, courses' use of them, platform keys, the audit log. */
export class Catalog1763900000000 implements MigrationInterface {
  name = 'Catalog1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE lti_providers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
        name varchar(200) NOT NULL,
        lti_version varchar(3) NOT NULL CHECK (lti_version IN ('1.1', '1.3')),
        status varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
        custom_parameters jsonb NOT NULL DEFAULT '[]',
        privacy_level varchar(16) NOT NULL CHECK (privacy_level IN ('anonymous', 'name_only', 'email_only', 'public')),
        user_id_source varchar(16) NOT NULL CHECK (user_id_source IN ('internal', 'sis_id', 'login_id')),
        presentation_target varchar(16) NOT NULL CHECK (presentation_target IN ('iframe', 'window')),
        presentation_width integer NULL CHECK (presentation_width BETWEEN 100 AND 10000),
        presentation_height integer NULL CHECK (presentation_height BETWEEN 100 AND 10000),
        consumer_key varchar(255) NULL,
        shared_secret_sealed text NULL,
        shared_secret_mask varchar(32) NULL,
        client_id varchar(64) NULL,
        deployment_id varchar(64) NULL,
        login_url varchar(2048) NULL,
        redirect_uris jsonb NULL,
        target_link_uri varchar(2048) NULL,
        jwks_url varchar(2048) NULL,
        public_key_pem text NULL,
        services jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT lti_providers_client_id_uq UNIQUE (client_id),
        CONSTRAINT lti_providers_1p1_complete CHECK (
          lti_version <> '1.1' OR (consumer_key IS NOT NULL AND shared_secret_sealed IS NOT NULL)),
        CONSTRAINT lti_providers_1p3_complete CHECK (
          lti_version <> '1.3' OR (client_id IS NOT NULL AND deployment_id IS NOT NULL AND login_url IS NOT NULL
            AND redirect_uris IS NOT NULL AND target_link_uri IS NOT NULL
            AND (jwks_url IS NULL) <> (public_key_pem IS NULL)))
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX lti_providers_name_uq ON lti_providers (organization_id, lower(name))`,
    );

    await queryRunner.query(`
      CREATE TABLE lti_provider_availability (
        provider_id uuid NOT NULL REFERENCES lti_providers (id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        PRIMARY KEY (provider_id, organization_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX lti_provider_availability_org_idx ON lti_provider_availability (organization_id)`,
    );

    await queryRunner.query(`
      CREATE TABLE lti_resource_links (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
        provider_id uuid NOT NULL REFERENCES lti_providers (id) ON DELETE CASCADE,
        name varchar(200) NOT NULL,
        url varchar(2048) NOT NULL,
        custom_parameters jsonb NOT NULL DEFAULT '[]',
        requires_score_for_completion boolean NOT NULL DEFAULT false,
        passing_score numeric(5, 2) NULL CHECK (passing_score BETWEEN 0 AND 100),
        status varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT lti_resource_links_passing_needs_score CHECK (passing_score IS NULL OR requires_score_for_completion)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX lti_resource_links_name_uq ON lti_resource_links (organization_id, lower(name))`,
    );
    await queryRunner.query(`CREATE INDEX lti_resource_links_provider_idx ON lti_resource_links (provider_id)`);

    await queryRunner.query(`
      CREATE TABLE lti_resource_link_availability (
        resource_link_id uuid NOT NULL REFERENCES lti_resource_links (id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        PRIMARY KEY (resource_link_id, organization_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX lti_resource_link_availability_org_idx ON lti_resource_link_availability (organization_id)`,
    );

    // Courses and the activities that place resource links; the learning issue builds on them.
    // Each placement has its own LTI resource_link_id (LTI 1.1 §4, LTI Core 1.3 §5.4.1: unique per placement).
    await queryRunner.query(`
      CREATE TABLE courses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
        title varchar(200) NOT NULL,
        code varchar(50) NULL,
        description text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX courses_organization_idx ON courses (organization_id)`);
    await queryRunner.query(`
      CREATE TABLE course_activities (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        course_id uuid NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
        resource_link_id uuid NOT NULL REFERENCES lti_resource_links (id) ON DELETE CASCADE,
        lti_resource_link_id varchar(255) NOT NULL,
        title varchar(200) NOT NULL,
        position integer NOT NULL,
        required boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT course_activities_lti_resource_link_id_uq UNIQUE (lti_resource_link_id)
      )`);
    await queryRunner.query(`CREATE INDEX course_activities_course_idx ON course_activities (course_id, position)`);
    await queryRunner.query(`CREATE INDEX course_activities_link_idx ON course_activities (resource_link_id)`);

    await queryRunner.query(`
      CREATE TABLE platform_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kid varchar(100) NOT NULL,
        state varchar(16) NOT NULL CHECK (state IN ('next', 'current', 'previous')),
        public_jwk jsonb NOT NULL,
        private_key_sealed text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        activated_at timestamptz NULL,
        retired_at timestamptz NULL,
        CONSTRAINT platform_keys_kid_uq UNIQUE (kid),
        CONSTRAINT platform_keys_retired_has_time CHECK (state <> 'previous' OR retired_at IS NOT NULL)
      )`);
    // At most one next and one current key, whatever happens concurrently.
    await queryRunner.query(
      `CREATE UNIQUE INDEX platform_keys_single_state_uq ON platform_keys (state) WHERE state IN ('next', 'current')`,
    );

    // Append-only history. No foreign key to organizations or to the changed rows: the history must
    // outlive what it describes. The actor is kept by name too, for the same reason.
    await queryRunner.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_user_id uuid NULL REFERENCES users (id) ON DELETE SET NULL,
        actor_name varchar(200) NULL,
        organization_id uuid NULL,
        entity_type varchar(40) NOT NULL,
        entity_id uuid NOT NULL,
        action varchar(16) NOT NULL,
        before jsonb NULL,
        after jsonb NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX audit_events_organization_idx ON audit_events (organization_id, occurred_at DESC)`,
    );
    await queryRunner.query(`CREATE INDEX audit_events_entity_idx ON audit_events (entity_type, entity_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_events`);
    await queryRunner.query(`DROP TABLE platform_keys`);
    await queryRunner.query(`DROP TABLE course_activities`);
    await queryRunner.query(`DROP TABLE courses`);
    await queryRunner.query(`DROP TABLE lti_resource_link_availability`);
    await queryRunner.query(`DROP TABLE lti_resource_links`);
    await queryRunner.query(`DROP TABLE lti_provider_availability`);
    await queryRunner.query(`DROP TABLE lti_providers`);
  }
}
