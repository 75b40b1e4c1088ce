import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * LTI Submission Review Service 1.0: a line item keeps the tool's `submissionReview` (reviewable
 * statuses, label, URL, custom parameters); a login initiation may stand for an
 * `LtiSubmissionReviewRequest`, naming the learner's enrollment whose work is reviewed and the line
 * item it was scored on.
 */
export class SubmissionReview1796409329801 implements MigrationInterface {
  name = 'SubmissionReview1796409329801';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE lti1p3_line_items ADD COLUMN submission_review jsonb NULL`);
    await queryRunner.query(`
      ALTER TABLE lti1p3_message_hints
        ADD COLUMN for_enrollment_id uuid NULL REFERENCES enrollments (id) ON DELETE CASCADE,
        ADD COLUMN line_item_id uuid NULL REFERENCES lti1p3_line_items (id) ON DELETE CASCADE`);
    await queryRunner.query(`ALTER TABLE lti1p3_message_hints DROP CONSTRAINT lti1p3_message_hints_message_type_check`);
    await queryRunner.query(`
      ALTER TABLE lti1p3_message_hints ADD CONSTRAINT lti1p3_message_hints_message_type_check
        CHECK (message_type IN ('LtiResourceLinkRequest', 'LtiDeepLinkingRequest', 'LtiSubmissionReviewRequest'))`);
    await queryRunner.query(`
      ALTER TABLE lti1p3_message_hints ADD CONSTRAINT lti1p3_message_hints_review_ck
        CHECK ((message_type = 'LtiSubmissionReviewRequest') = (for_enrollment_id IS NOT NULL AND line_item_id IS NOT NULL))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM lti1p3_message_hints WHERE message_type = 'LtiSubmissionReviewRequest'`);
    await queryRunner.query(`ALTER TABLE lti1p3_message_hints DROP CONSTRAINT lti1p3_message_hints_review_ck`);
    await queryRunner.query(`ALTER TABLE lti1p3_message_hints DROP CONSTRAINT lti1p3_message_hints_message_type_check`);
    await queryRunner.query(`
      ALTER TABLE lti1p3_message_hints ADD CONSTRAINT lti1p3_message_hints_message_type_check
        CHECK (message_type IN ('LtiResourceLinkRequest', 'LtiDeepLinkingRequest'))`);
    await queryRunner.query(`ALTER TABLE lti1p3_message_hints DROP COLUMN line_item_id, DROP COLUMN for_enrollment_id`);
    await queryRunner.query(`ALTER TABLE lti1p3_line_items DROP COLUMN submission_review`);
  }
}
