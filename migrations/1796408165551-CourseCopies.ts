import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Course copies remember where they came from: the course and each placement's source (set null
 * when the source is deleted; the history stays), and the ids LTI tools knew them by before the copy,
 * most recent first (`$Context.id.history`, `$ResourceLink.id.history`, LTI Core 1.3 Appendix C).
 * A course made from scratch, and every placement added by hand, has an empty history.
 */
export class CourseCopies1796408165551 implements MigrationInterface {
  name = 'CourseCopies1796408165551';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE courses
         ADD COLUMN source_course_id uuid NULL REFERENCES courses (id) ON DELETE SET NULL,
         ADD COLUMN context_id_history text[] NOT NULL DEFAULT '{}'`,
    );
    await queryRunner.query(
      `ALTER TABLE course_activities
         ADD COLUMN source_activity_id uuid NULL REFERENCES course_activities (id) ON DELETE SET NULL,
         ADD COLUMN lti_resource_link_id_history text[] NOT NULL DEFAULT '{}'`,
    );
    await queryRunner.query(`CREATE INDEX courses_source_course_idx ON courses (source_course_id)`);
    await queryRunner.query(
      `CREATE INDEX course_activities_source_activity_idx ON course_activities (source_activity_id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE course_activities DROP COLUMN lti_resource_link_id_history, DROP COLUMN source_activity_id`,
    );
    await queryRunner.query(`ALTER TABLE courses DROP COLUMN context_id_history, DROP COLUMN source_course_id`);
  }
}
