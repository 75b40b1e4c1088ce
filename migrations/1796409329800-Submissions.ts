import { MigrationInterface, QueryRunner } from 'typeorm';

const DECISIONS_BEFORE = `'applied', 'unchanged', 'read', 'rejected', 'preview'`;

/**
 * Submissions: each attempt a tool hands in for a learner's activity in one enrollment (the score,
 * the AGS comment and submission times, LTI 1.1 outcome data: text, URL, LTI launch URL), and each
 * grade an instructor sets or clears over it. An override stands until it is cleared; tool scores
 * that arrive meanwhile are kept here as `overridden`, and the ledger says so (`overridden`); the
 * instructor's own decisions enter the ledger as `manual`.
 */
export class Submissions1796409329800 implements MigrationInterface {
  name = 'Submissions1796409329800';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE submissions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        enrollment_id uuid NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE,
        activity_id uuid NOT NULL REFERENCES course_activities (id) ON DELETE CASCADE,
        provider_id uuid NULL REFERENCES lti_providers (id) ON DELETE SET NULL,
        kind varchar(16) NOT NULL CHECK (kind IN ('tool', 'override', 'override_cleared')),
        outcome varchar(16) NOT NULL CHECK (outcome IN ('applied', 'overridden')),
        score_given numeric NULL CHECK (score_given >= 0),
        score_maximum numeric NULL CHECK (score_maximum > 0),
        status varchar(16) NULL,
        comment text NULL,
        text text NULL,
        url varchar(2048) NULL,
        lti_launch_url varchar(2048) NULL,
        started_at timestamptz NULL,
        submitted_at timestamptz NULL,
        reason varchar(500) NULL,
        by_user_id uuid NULL REFERENCES users (id) ON DELETE SET NULL,
        received_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(
      `CREATE INDEX submissions_attempts_idx ON submissions (enrollment_id, activity_id, received_at DESC)`,
    );
    await queryRunner.query(`ALTER TABLE score_ledger DROP CONSTRAINT score_ledger_decision_check`);
    await queryRunner.query(`
      ALTER TABLE score_ledger ADD CONSTRAINT score_ledger_decision_check
        CHECK (decision IN (${DECISIONS_BEFORE}, 'overridden', 'manual'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM score_ledger WHERE decision IN ('overridden', 'manual')`);
    await queryRunner.query(`ALTER TABLE score_ledger DROP CONSTRAINT score_ledger_decision_check`);
    await queryRunner.query(
      `ALTER TABLE score_ledger ADD CONSTRAINT score_ledger_decision_check CHECK (decision IN (${DECISIONS_BEFORE}))`,
    );
    await queryRunner.query(`DROP TABLE submissions`);
  }
}
