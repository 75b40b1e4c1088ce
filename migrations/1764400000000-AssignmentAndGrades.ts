import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * LTI Assignment and Grade Services 2.0: line items per LTI context (a class, or a course's
 * self-paced offering) and the latest score of each learner on each, the progress status of work a
 * person still has to grade (`PendingManual`), and per-provider compatibility switches.
 */
export class AssignmentAndGrades1764400000000 implements MigrationInterface {
  name = 'AssignmentAndGrades1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE activity_progress
        DROP CONSTRAINT activity_progress_status_check,
        ADD CONSTRAINT activity_progress_status_check CHECK (status IN
          ('not_started', 'launched', 'awaiting_score', 'awaiting_review', 'completed', 'failed'))`);

    // Named allowances for tools that deviate from the specs (see COMPATIBILITY_SWITCHES).
    await queryRunner.query(`ALTER TABLE lti_providers ADD COLUMN compatibility jsonb NOT NULL DEFAULT '[]'`);

    await queryRunner.query(`
      CREATE TABLE lti1p3_line_items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        provider_id uuid NOT NULL REFERENCES lti_providers (id) ON DELETE CASCADE,
        course_id uuid NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
        class_id uuid NULL REFERENCES classes (id) ON DELETE CASCADE,
        activity_id uuid NULL REFERENCES course_activities (id) ON DELETE CASCADE,
        declarative boolean NOT NULL,
        label varchar(1000) NOT NULL,
        score_maximum numeric NOT NULL CHECK (score_maximum > 0),
        resource_link_id varchar(255) NULL,
        resource_id varchar(255) NULL,
        tag varchar(255) NULL,
        start_date_time timestamptz NULL,
        end_date_time timestamptz NULL,
        grades_released boolean NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT lti1p3_line_items_declarative_placement CHECK (NOT declarative OR activity_id IS NOT NULL)
      )`);
    // One platform-made line item per placement and context, however many launches race to make it.
    await queryRunner.query(`
      CREATE UNIQUE INDEX lti1p3_line_items_declarative_uq
        ON lti1p3_line_items (activity_id, class_id) NULLS NOT DISTINCT WHERE declarative`);
    await queryRunner.query(
      `CREATE INDEX lti1p3_line_items_context_idx ON lti1p3_line_items (provider_id, course_id, class_id, created_at)`,
    );
    await queryRunner.query(`CREATE INDEX lti1p3_line_items_activity_idx ON lti1p3_line_items (activity_id)`);

    await queryRunner.query(`
      CREATE TABLE lti1p3_results (
        line_item_id uuid NOT NULL REFERENCES lti1p3_line_items (id) ON DELETE CASCADE,
        enrollment_id uuid NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE,
        lti_user_id varchar(255) NOT NULL,
        score_given numeric NULL CHECK (score_given >= 0),
        score_maximum numeric NULL CHECK (score_maximum > 0),
        comment text NULL,
        activity_progress varchar(16) NOT NULL,
        grading_progress varchar(16) NOT NULL,
        scored_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (line_item_id, enrollment_id),
        CHECK ((score_given IS NULL) = (score_maximum IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX lti1p3_results_enrollment_idx ON lti1p3_results (enrollment_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE lti1p3_results`);
    await queryRunner.query(`DROP TABLE lti1p3_line_items`);
    await queryRunner.query(`ALTER TABLE lti_providers DROP COLUMN compatibility`);
    await queryRunner.query(`UPDATE activity_progress SET status = 'awaiting_score' WHERE status = 'awaiting_review'`);
    await queryRunner.query(`
      ALTER TABLE activity_progress
        DROP CONSTRAINT activity_progress_status_check,
        ADD CONSTRAINT activity_progress_status_check CHECK (status IN
          ('not_started', 'launched', 'awaiting_score', 'completed', 'failed'))`);
  }
}
