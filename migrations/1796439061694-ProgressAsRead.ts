import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A launch that changes a learner's progress (their first launch of an activity, or the one that
 * completes an activity that takes no score) in one statement, without a transaction around a lock
 * and a read:
 *
 * - `enrollment_progress(enrollment)`: what a launch's progress and the course's completion are
 *   decided from (the enrollment's completion and its progress on every activity, by activity), as
 *   JSON. The launch's placement read answers it with its md5, the fingerprint.
 * - `progress_as_read(enrollment, fingerprint)`: takes the enrollment's row lock (FOR NO KEY UPDATE,
 *   like every writer of an enrollment's progress) and raises serialization_failure (40001) unless
 *   the progress is still what the fingerprint says. The statement that writes the launch and the
 *   progress calls it, so it writes only on what it decided from, or not at all (and the launch
 *   takes the locked path instead). A VOLATILE function's statements each take a fresh snapshot, so
 *   the comparison after the lock sees everything committed before it (see `score_state`).
 */
export class ProgressAsRead1796439061694 implements MigrationInterface {
  name = 'ProgressAsRead1796439061694';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION enrollment_progress(p_enrollment uuid) RETURNS json
      LANGUAGE sql STABLE AS $$
        SELECT json_build_object(
          'completedAt', e.completed_at,
          'progress', (
            SELECT coalesce(json_agg(json_build_object(
              'activityId', p.activity_id, 'status', p.status, 'scorePercent', p.score_percent::text,
              'scoreGiven', p.score_given::text, 'scoreMaximum', p.score_maximum::text,
              'scoredAt', p.scored_at, 'firstLaunchedAt', p.first_launched_at, 'completedAt', p.completed_at
            ) ORDER BY p.activity_id), '[]'::json)
            FROM activity_progress p WHERE p.enrollment_id = e.id))
        FROM enrollments e WHERE e.id = p_enrollment
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION progress_as_read(p_enrollment uuid, p_fingerprint text) RETURNS boolean
      LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        PERFORM 1 FROM enrollments WHERE id = p_enrollment FOR NO KEY UPDATE;
        IF md5(enrollment_progress(p_enrollment)::text) IS DISTINCT FROM p_fingerprint THEN
          RAISE EXCEPTION 'the enrollment''s progress changed since it was read' USING ERRCODE = 'serialization_failure';
        END IF;
        RETURN true;
      END
      $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION progress_as_read(uuid, text)`);
    await queryRunner.query(`DROP FUNCTION enrollment_progress(uuid)`);
  }
}
