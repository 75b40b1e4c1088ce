import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rosters read in order from one index of the enrollments. A roster page lists a class's or a
 * course's enrollments by the person's name, then enrollment time, then id. With the name on the
 * people table only, the planner had two ways to the first page of 50: walk every person by name
 * until 50 of the class turned up (quick only while the class is a large share of all people), or
 * read the whole class, probe each person and sort (the cost of the whole roster). Neither stays the
 * same as the platform grows.
 *
 * So an enrollment carries its person's name (`user_name`), kept by triggers: set from the person
 * on insert and when the person changes, followed when the person is renamed. The roster indexes
 * hold the whole order, and a page is the first rows of an index walk at any size.
 *
 * The time is compared as UTC to the millisecond (a keyset cursor carries a JavaScript Date): the
 * `timestamptz` form of date_trunc depends on the session's time zone, so it cannot be indexed.
 * These indexes replace the ones on `class_id` and on `course_id`, which they begin with.
 */
export class RosterByName1796477750947 implements MigrationInterface {
  name = 'RosterByName1796477750947';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE enrollments ADD COLUMN user_name varchar(200)`);
    await queryRunner.query(`UPDATE enrollments e SET user_name = u.name FROM users u WHERE u.id = e.user_id`);
    await queryRunner.query(`ALTER TABLE enrollments ALTER COLUMN user_name SET NOT NULL`);
    await queryRunner.query(`
      CREATE FUNCTION enrollment_user_name() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT u.name INTO NEW.user_name FROM users u WHERE u.id = NEW.user_id;
        RETURN NEW;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER enrollments_user_name BEFORE INSERT OR UPDATE OF user_id, user_name ON enrollments
      FOR EACH ROW EXECUTE FUNCTION enrollment_user_name()`);
    await queryRunner.query(`
      CREATE FUNCTION person_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE enrollments SET user_name = NEW.name WHERE user_id = NEW.id;
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER users_renamed AFTER UPDATE OF name ON users
      FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION person_renamed()`);
    await queryRunner.query(`
      CREATE INDEX enrollments_class_roster_idx
          ON enrollments (class_id, user_name, date_trunc('milliseconds', created_at AT TIME ZONE 'UTC'), id)
       WHERE class_id IS NOT NULL`);
    await queryRunner.query(`
      CREATE INDEX enrollments_course_roster_idx
          ON enrollments (course_id, user_name, date_trunc('milliseconds', created_at AT TIME ZONE 'UTC'), id)`);
    await queryRunner.query(`DROP INDEX enrollments_class_idx`);
    await queryRunner.query(`DROP INDEX enrollments_course_idx`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX enrollments_course_idx ON enrollments (course_id)`);
    await queryRunner.query(
      `CREATE INDEX enrollments_class_idx ON enrollments (class_id, created_at) WHERE class_id IS NOT NULL`,
    );
    await queryRunner.query(`DROP INDEX enrollments_course_roster_idx`);
    await queryRunner.query(`DROP INDEX enrollments_class_roster_idx`);
    await queryRunner.query(`DROP TRIGGER users_renamed ON users`);
    await queryRunner.query(`DROP FUNCTION person_renamed()`);
    await queryRunner.query(`DROP TRIGGER enrollments_user_name ON enrollments`);
    await queryRunner.query(`DROP FUNCTION enrollment_user_name()`);
    await queryRunner.query(`ALTER TABLE enrollments DROP COLUMN user_name`);
  }
}
