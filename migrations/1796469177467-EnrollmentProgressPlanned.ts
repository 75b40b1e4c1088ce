import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The statement of `enrollment_progress` as ProgressAsRead created it, unchanged: a launch's
 * fingerprint is the md5 of its text, so both versions answer it from this statement.
 */
const ENROLLMENT_PROGRESS = `
  SELECT json_build_object(
    'completedAt', e.completed_at,
    'progress', (
      SELECT coalesce(json_agg(json_build_object(
        'activityId', p.activity_id, 'status', p.status, 'scorePercent', p.score_percent::text,
        'scoreGiven', p.score_given::text, 'scoreMaximum', p.score_maximum::text,
        'scoredAt', p.scored_at, 'firstLaunchedAt', p.first_launched_at, 'completedAt', p.completed_at
      ) ORDER BY p.activity_id), '[]'::json)
      FROM activity_progress p WHERE p.enrollment_id = e.id))
  FROM enrollments e WHERE e.id = p_enrollment`;

/**
 * `enrollment_progress` in PL/pgSQL, answering the same text from the same statement. A SQL
 * function that is not inlined (a SELECT with FROM is not) is planned again in every statement that
 * calls it; PL/pgSQL keeps its statement's plan for the session. Every launch's placement read calls
 * it, and a launch that changes progress calls it once more under the lock (`progress_as_read`).
 * STABLE as before: it reads with the snapshot of the statement that calls it.
 */
export class EnrollmentProgressPlanned1796469177467 implements MigrationInterface {
  name = 'EnrollmentProgressPlanned1796469177467';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION enrollment_progress(p_enrollment uuid) RETURNS json
      LANGUAGE plpgsql STABLE AS $$
      BEGIN
        RETURN (${ENROLLMENT_PROGRESS});
      END
      $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION enrollment_progress(p_enrollment uuid) RETURNS json
      LANGUAGE sql STABLE AS $$${ENROLLMENT_PROGRESS}$$`);
  }
}
