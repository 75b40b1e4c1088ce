import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `score_state(enrollment, activity, line item)`: takes the enrollment's row lock and reads what a
 * score is decided from, in one round trip. A function, because one plain statement reads with the
 * snapshot it started with (READ COMMITTED): rows a concurrent writer committed while the statement
 * waited for the lock would be missing. A VOLATILE function's statements each take a fresh snapshot,
 * so the read after the lock sees everything committed before it.
 *
 * The lock is FOR NO KEY UPDATE, like every writer of an enrollment's progress. The answer is one
 * JSON object (null when the enrollment is gone): the enrollment, its progress on every activity
 * (numerics as text, exact), whether an instructor's grade stands on the activity, and the line
 * item's stored result.
 */
export class ScoreState1796416083338 implements MigrationInterface {
  name = 'ScoreState1796416083338';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION score_state(p_enrollment uuid, p_activity uuid, p_line_item uuid) RETURNS json
      LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        PERFORM 1 FROM enrollments WHERE id = p_enrollment FOR NO KEY UPDATE;
        IF NOT FOUND THEN
          RETURN NULL;
        END IF;
        RETURN (
          SELECT json_build_object(
            'id', e.id, 'kind', e.kind, 'courseId', e.course_id, 'classId', e.class_id, 'userId', e.user_id,
            'role', e.role, 'status', e.status, 'dueAt', e.due_at, 'completedAt', e.completed_at,
            'endedAt', e.ended_at, 'createdAt', e.created_at,
            'progress', (
              SELECT coalesce(json_agg(json_build_object(
                'activityId', p.activity_id, 'status', p.status, 'scorePercent', p.score_percent::text,
                'scoreGiven', p.score_given::text, 'scoreMaximum', p.score_maximum::text,
                'scoredAt', p.scored_at, 'firstLaunchedAt', p.first_launched_at, 'completedAt', p.completed_at
              )), '[]'::json)
              FROM activity_progress p WHERE p.enrollment_id = e.id),
            'overridden', coalesce((
              SELECT s.kind = 'override' FROM submissions s
               WHERE s.enrollment_id = e.id AND s.activity_id = p_activity
                 AND s.kind IN ('override', 'override_cleared')
               ORDER BY s.received_at DESC, s.id DESC LIMIT 1), false),
            'result', (
              SELECT json_build_object(
                'lineItemId', r.line_item_id, 'ltiUserId', r.lti_user_id, 'scoreGiven', r.score_given::text,
                'scoreMaximum', r.score_maximum::text, 'comment', r.comment,
                'activityProgress', r.activity_progress, 'gradingProgress', r.grading_progress,
                'scoredAt', r.scored_at)
              FROM lti1p3_results r WHERE r.line_item_id = p_line_item AND r.enrollment_id = e.id)
          )
          FROM enrollments e WHERE e.id = p_enrollment
        );
      END
      $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION score_state(uuid, uuid, uuid)`);
  }
}
