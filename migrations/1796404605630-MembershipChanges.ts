import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The membership change log behind NRPS differences (NRPS 2.0 §2.4.1 `rel="differences"`): one row
 * per person and LTI context each time their membership there changes. Triggers write it, in the
 * transaction of the change itself, so no write path (enrol, remove, close for a retake, a role or a
 * class change, a suspension, a name, email or id change) can forget it and nothing is logged for a
 * change that rolled back.
 *
 * A context is a class (`class_id`) or a course's self-paced offering (`class_id` null). `txid` is the
 * writing transaction: a differences link remembers the snapshot it was answered in, and a later call
 * returns the rows that snapshot could not see, so a change that commits late is never skipped. The
 * rows carry no foreign keys: the log outlives nothing it names for long (the janitor deletes rows
 * older than the differences window), and a delete must never fail on it.
 */
export class MembershipChanges1796404605630 implements MigrationInterface {
  name = 'MembershipChanges1796404605630';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE membership_changes (
        id bigserial PRIMARY KEY,
        course_id uuid NOT NULL,
        class_id uuid NULL,
        user_id uuid NOT NULL,
        changed text[] NOT NULL,
        txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
        changed_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT membership_changes_changed_ck
          CHECK (changed <@ ARRAY['enrollment', 'status', 'name', 'email', 'sis_id', 'login_id']::text[])
      )`);
    await queryRunner.query(
      `CREATE INDEX membership_changes_class_idx ON membership_changes (class_id, txid) WHERE class_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX membership_changes_self_paced_idx ON membership_changes (course_id, txid) WHERE class_id IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX membership_changes_changed_at_idx ON membership_changes (changed_at)`);

    // An enrollment row: its context's member appears, changes status or role, or moves.
    await queryRunner.query(`
      CREATE FUNCTION log_enrollment_membership_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND (NEW.status, NEW.role, NEW.course_id, NEW.class_id, NEW.user_id)
            IS NOT DISTINCT FROM (OLD.status, OLD.role, OLD.course_id, OLD.class_id, OLD.user_id) THEN
          RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          INSERT INTO membership_changes (course_id, class_id, user_id, changed)
          VALUES (OLD.course_id, OLD.class_id, OLD.user_id, ARRAY['enrollment']);
        END IF;
        IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (NEW.course_id, NEW.class_id, NEW.user_id)
            IS DISTINCT FROM (OLD.course_id, OLD.class_id, OLD.user_id)) THEN
          INSERT INTO membership_changes (course_id, class_id, user_id, changed)
          VALUES (NEW.course_id, NEW.class_id, NEW.user_id, ARRAY['enrollment']);
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER enrollments_membership_changes
        AFTER INSERT OR UPDATE OR DELETE ON enrollments
        FOR EACH ROW EXECUTE FUNCTION log_enrollment_membership_change()`);

    // A person: a suspension or reactivation, or a change to what a tool may see of them, in every
    // context they were ever enrolled in.
    await queryRunner.query(`
      CREATE FUNCTION log_user_membership_change() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        changed text[] := ARRAY[]::text[];
      BEGIN
        IF NEW.status IS DISTINCT FROM OLD.status THEN changed := array_append(changed, 'status'); END IF;
        IF (NEW.name, NEW.given_name, NEW.family_name) IS DISTINCT FROM (OLD.name, OLD.given_name, OLD.family_name) THEN
          changed := array_append(changed, 'name');
        END IF;
        IF NEW.email IS DISTINCT FROM OLD.email THEN changed := array_append(changed, 'email'); END IF;
        IF NEW.sis_id IS DISTINCT FROM OLD.sis_id THEN changed := array_append(changed, 'sis_id'); END IF;
        IF NEW.login_id IS DISTINCT FROM OLD.login_id THEN changed := array_append(changed, 'login_id'); END IF;
        IF cardinality(changed) > 0 THEN
          INSERT INTO membership_changes (course_id, class_id, user_id, changed)
          SELECT DISTINCT e.course_id, e.class_id, NEW.id, changed FROM enrollments e WHERE e.user_id = NEW.id;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER users_membership_changes
        AFTER UPDATE ON users
        FOR EACH ROW EXECUTE FUNCTION log_user_membership_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER users_membership_changes ON users`);
    await queryRunner.query(`DROP FUNCTION log_user_membership_change()`);
    await queryRunner.query(`DROP TRIGGER enrollments_membership_changes ON enrollments`);
    await queryRunner.query(`DROP FUNCTION log_enrollment_membership_change()`);
    await queryRunner.query(`DROP TABLE membership_changes`);
  }
}
