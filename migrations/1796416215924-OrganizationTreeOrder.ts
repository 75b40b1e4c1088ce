import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The organization tree's depth-first order as a column: `tree_path` holds the lower-cased names
 * from the top of the tree down to the organization (sibling names are unique case-insensitively,
 * so the path is unique). Ordering by it lists a tree depth-first with siblings by name, and an
 * index on it lets a page of an admin's organizations be read from the index, in SQL, without
 * loading the subtree. Byte order (`COLLATE "C"`), so that a parent's path sorts before its children's
 * whatever the database's locale.
 *
 * Kept by triggers: a new organization takes its parent's path plus its name; a rename or a move
 * rewrites the organization's path and, through the closure table, its descendants'.
 */
export class OrganizationTreeOrder1796416215924 implements MigrationInterface {
  name = 'OrganizationTreeOrder1796416215924';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE organizations ADD COLUMN tree_path text[] COLLATE "C"`);
    await queryRunner.query(`
      UPDATE organizations o
         SET tree_path = (SELECT array_agg(lower(a.name) ORDER BY c.depth DESC)
                            FROM organization_closure c JOIN organizations a ON a.id = c.ancestor_id
                           WHERE c.descendant_id = o.id)`);
    await queryRunner.query(`ALTER TABLE organizations ALTER COLUMN tree_path SET NOT NULL`);
    await queryRunner.query(`CREATE INDEX organizations_tree_path_idx ON organizations (tree_path)`);
    await queryRunner.query(`
      CREATE FUNCTION organization_tree_path() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.tree_path := COALESCE((SELECT p.tree_path FROM organizations p WHERE p.id = NEW.parent_id), '{}')
                         || lower(NEW.name);
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER organization_tree_path BEFORE INSERT OR UPDATE OF name, parent_id ON organizations
        FOR EACH ROW EXECUTE FUNCTION organization_tree_path()`);
    await queryRunner.query(`
      CREATE FUNCTION organization_subtree_path() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE organizations d
           SET tree_path = NEW.tree_path || d.tree_path[cardinality(OLD.tree_path) + 1:]
          FROM organization_closure c
         WHERE c.ancestor_id = NEW.id AND c.depth > 0 AND d.id = c.descendant_id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER organization_subtree_path AFTER UPDATE OF name, parent_id ON organizations
        FOR EACH ROW WHEN (OLD.tree_path IS DISTINCT FROM NEW.tree_path)
        EXECUTE FUNCTION organization_subtree_path()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER organization_subtree_path ON organizations`);
    await queryRunner.query(`DROP FUNCTION organization_subtree_path()`);
    await queryRunner.query(`DROP TRIGGER organization_tree_path ON organizations`);
    await queryRunner.query(`DROP FUNCTION organization_tree_path()`);
    await queryRunner.query(`ALTER TABLE organizations DROP COLUMN tree_path`);
  }
}
