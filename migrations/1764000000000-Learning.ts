import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Classes, enrollments and activity progress. An enrollment (in a class, or a self-paced
 * assignment) is the LTI context a learner launches in; progress belongs to the enrollment, so a
 * retake is a new enrollment that starts clean while the earlier one stays as history.
 */
export class Learning1764000000000 implements MigrationInterface {
  name = 'Learning1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE UNIQUE INDEX courses_code_uq ON courses (organization_id, lower(code)) WHERE code IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE classes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        course_id uuid NOT NULL REFERENCES courses (id) ON DELETE RESTRICT,
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
        title varchar(200) NOT NULL,
        code varchar(50) NULL,
        starts_on date NULL,
        ends_on date NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT classes_dates_ordered CHECK (starts_on IS NULL OR ends_on IS NULL OR ends_on >= starts_on)
      )`);
    await queryRunner.query(`CREATE INDEX classes_course_idx ON classes (course_id)`);
    await queryRunner.query(`CREATE INDEX classes_organization_idx ON classes (organization_id)`);

    await queryRunner.query(`
      CREATE TABLE enrollments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind varchar(16) NOT NULL CHECK (kind IN ('class', 'self_paced')),
        course_id uuid NOT NULL REFERENCES courses (id) ON DELETE RESTRICT,
        class_id uuid NULL REFERENCES classes (id) ON DELETE RESTRICT,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
        role varchar(16) NOT NULL CHECK (role IN ('learner', 'instructor')),
        status varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'removed', 'closed')),
        due_at timestamptz NULL,
        completed_at timestamptz NULL,
        ended_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT enrollments_class_matches_kind CHECK ((kind = 'class') = (class_id IS NOT NULL)),
        CONSTRAINT enrollments_self_paced_learner CHECK (kind = 'class' OR role = 'learner')
      )`);
    // One live enrollment per person and class, and per person and self-paced course.
    await queryRunner.query(
      `CREATE UNIQUE INDEX enrollments_active_class_uq ON enrollments (class_id, user_id) WHERE status = 'active'`,
    );
    await queryRunner.query(`
      CREATE UNIQUE INDEX enrollments_active_self_paced_uq ON enrollments (course_id, user_id)
        WHERE status = 'active' AND kind = 'self_paced'`);
    await queryRunner.query(`CREATE INDEX enrollments_user_idx ON enrollments (user_id, created_at DESC)`);
    await queryRunner.query(`CREATE INDEX enrollments_course_idx ON enrollments (course_id)`);

    await queryRunner.query(`
      CREATE TABLE activity_progress (
        enrollment_id uuid NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE,
        activity_id uuid NOT NULL REFERENCES course_activities (id) ON DELETE CASCADE,
        status varchar(16) NOT NULL
          CHECK (status IN ('not_started', 'launched', 'awaiting_score', 'completed', 'failed')),
        score_percent numeric(8, 3) NULL CHECK (score_percent >= 0),
        first_launched_at timestamptz NULL,
        completed_at timestamptz NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (enrollment_id, activity_id)
      )`);
    await queryRunner.query(`CREATE INDEX activity_progress_activity_idx ON activity_progress (activity_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE activity_progress`);
    await queryRunner.query(`DROP TABLE enrollments`);
    await queryRunner.query(`DROP TABLE classes`);
    await queryRunner.query(`DROP INDEX courses_code_uq`);
  }
}
