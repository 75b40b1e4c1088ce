import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenant scope in SQL, and platform administrators.
 *
 * `organization_closure` holds one row per (ancestor, descendant) pair of the organization tree,
 * itself included at depth 0, so "everything below the organizations where this user is site admin"
 * is one join instead of a recursive query or a list of ids. PostgreSQL keeps it: a trigger on
 * insert and on a change of `parent_id`, so no write path can forget it. Both triggers take one
 * transaction-level advisory lock (shared for inserts, exclusive for moves), so an insert under a
 * subtree that is being moved reads the ancestors after the move.
 *
 * `users.platform_admin` is the platform administrator (DESIGN.md §3), a role of its own: signing
 * keys, unattributed score-ledger entries, new top-level organizations. On an existing database it
 * goes to the first active site administrator of a top-level organization (the bootstrap
 * administrator on databases this application created); other platform administrators are
 * granted by a platform administrator, or with `npm run cli -- platform-admin:grant <email>`.
 */
export class TenantScope1796392545337 implements MigrationInterface {
  name = 'TenantScope1796392545337';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE organization_closure (
        ancestor_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        descendant_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        depth integer NOT NULL CHECK (depth >= 0),
        PRIMARY KEY (ancestor_id, descendant_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX organization_closure_descendant_idx ON organization_closure (descendant_id, ancestor_id, depth)`,
    );
    await queryRunner.query(`
      INSERT INTO organization_closure (ancestor_id, descendant_id, depth)
      WITH RECURSIVE tree AS (
        SELECT id AS ancestor_id, id AS descendant_id, 0 AS depth FROM organizations
        UNION ALL
        SELECT t.ancestor_id, o.id, t.depth + 1 FROM tree t JOIN organizations o ON o.parent_id = t.descendant_id
      )
      SELECT ancestor_id, descendant_id, depth FROM tree`);

    await queryRunner.query(`
      CREATE FUNCTION organization_closure_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock_shared(hashtext('organization_closure'));
        INSERT INTO organization_closure (ancestor_id, descendant_id, depth)
          SELECT NEW.id, NEW.id, 0
          UNION ALL
          SELECT c.ancestor_id, NEW.id, c.depth + 1 FROM organization_closure c WHERE c.descendant_id = NEW.parent_id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER organization_closure_insert AFTER INSERT ON organizations
        FOR EACH ROW EXECUTE FUNCTION organization_closure_insert()`);

    // A move detaches the subtree from its old ancestors and attaches it under the new parent's.
    await queryRunner.query(`
      CREATE FUNCTION organization_closure_move() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('organization_closure'));
        IF NEW.parent_id IS NOT NULL AND EXISTS (
          SELECT 1 FROM organization_closure WHERE ancestor_id = NEW.id AND descendant_id = NEW.parent_id
        ) THEN
          RAISE EXCEPTION 'organization % cannot move under itself or a descendant', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'organizations_no_cycle';
        END IF;
        DELETE FROM organization_closure c
         USING organization_closure sub, organization_closure above
         WHERE sub.ancestor_id = NEW.id AND c.descendant_id = sub.descendant_id
           AND above.descendant_id = NEW.id AND above.depth > 0 AND c.ancestor_id = above.ancestor_id;
        INSERT INTO organization_closure (ancestor_id, descendant_id, depth)
          SELECT above.ancestor_id, sub.descendant_id, above.depth + sub.depth + 1
            FROM organization_closure above, organization_closure sub
           WHERE above.descendant_id = NEW.parent_id AND sub.ancestor_id = NEW.id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER organization_closure_move AFTER UPDATE OF parent_id ON organizations
        FOR EACH ROW WHEN (OLD.parent_id IS DISTINCT FROM NEW.parent_id)
        EXECUTE FUNCTION organization_closure_move()`);

    await queryRunner.query(`ALTER TABLE users ADD COLUMN platform_admin boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`
      UPDATE users SET platform_admin = true WHERE id = (
        SELECT u.id FROM users u
          JOIN memberships m ON m.user_id = u.id AND m.role = 'site_admin'
          JOIN organizations o ON o.id = m.organization_id AND o.parent_id IS NULL
         WHERE u.status = 'active'
         ORDER BY u.created_at, u.id LIMIT 1)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users DROP COLUMN platform_admin`);
    await queryRunner.query(`DROP TRIGGER organization_closure_move ON organizations`);
    await queryRunner.query(`DROP TRIGGER organization_closure_insert ON organizations`);
    await queryRunner.query(`DROP FUNCTION organization_closure_move()`);
    await queryRunner.query(`DROP FUNCTION organization_closure_insert()`);
    await queryRunner.query(`DROP TABLE organization_closure`);
  }
}
