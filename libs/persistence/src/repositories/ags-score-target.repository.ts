import { Injectable } from '@nestjs/common';
import { AgsScoreQuery, AgsScoreTarget, AgsScoreTargetRepository, EnrollmentRole } from '@tms/core';
import { TransactionContext } from '../database/transaction-context';
import { ScoreStateJson, toScoreSnapshot } from './score-batch.repository';

interface TargetRow {
  token_current: boolean;
  course_id: string | null;
  organization_id: string | null;
  placed: boolean;
  activities: Array<{ id: string; required: boolean }> | null;
  line_item: { id: string; activity_id: string | null; declarative: boolean } | null;
  link: { providerId: string; url: string; requiresScoreForCompletion: boolean; passingScore: string | null } | null;
  learners: Array<{ enrollmentId: string; userId: string; role: EnrollmentRole }> | null;
  state: ScoreStateJson | null;
}

/**
 * The AGS score path in one statement: the token still usable for the score scope by an active 1.3
 * tool with the same user id source; the context (a class, or a course's self-paced offering) and
 * whether the tool has a link placed in it; the tool's line item there; the catalog entry of its
 * placement when it is declarative; the live enrollments of whoever the tool's user id names; and for
 * exactly one learner, `score_state` (the lock and what the score is decided from).
 *
 * $1 token hash, $2 scope, $3 provider, $4 user id source, $5 class, $6 self-paced course, $7 line
 * item, $8 the tool's user id (a UUID for the source `internal`), $9 the same as a UUID or null.
 */
const RESOLVE = `
  WITH k AS (SELECT id, course_id, organization_id FROM classes WHERE id = $5::uuid),
  c AS (
    SELECT id, organization_id FROM courses
     WHERE id = CASE WHEN $5::uuid IS NULL THEN $6::uuid ELSE (SELECT course_id FROM k) END
  ),
  placed AS (
    SELECT a.id AS activity_id, l.provider_id, l.url, l.requires_score_for_completion, l.passing_score
      FROM course_activities a JOIN lti_resource_links l ON l.id = a.resource_link_id
     WHERE a.course_id = (SELECT id FROM c) AND l.provider_id = $3
  ),
  li AS (
    SELECT id, activity_id, declarative FROM lti1p3_line_items
     WHERE id = $7 AND provider_id = $3 AND course_id = (SELECT id FROM c) AND class_id IS NOT DISTINCT FROM $5::uuid
  ),
  target AS (
    SELECT pl.* FROM placed pl JOIN li ON li.activity_id = pl.activity_id AND li.declarative LIMIT 1
  ),
  learners AS (
    SELECT e.id, e.user_id, e.role FROM enrollments e JOIN users u ON u.id = e.user_id
     WHERE e.status = 'active' AND e.course_id = (SELECT id FROM c)
       AND CASE WHEN $5::uuid IS NULL THEN e.kind = 'self_paced' ELSE e.class_id = $5::uuid END
       AND CASE $4 WHEN 'internal' THEN e.user_id = $9::uuid WHEN 'sis_id' THEN u.sis_id = $8
         ELSE u.login_id = $8 END
     ORDER BY e.id LIMIT 2
  )
  SELECT
    EXISTS (
      SELECT 1 FROM lti1p3_access_tokens t JOIN lti_providers p ON p.id = t.provider_id
       WHERE t.token_hash = $1 AND t.provider_id = $3 AND t.revoked_at IS NULL AND t.expires_at > now()
         AND $2 = ANY (t.scopes) AND p.status = 'active' AND p.lti_version = '1.3' AND p.user_id_source = $4
    ) AS token_current,
    (SELECT id FROM c) AS course_id,
    coalesce((SELECT organization_id FROM k), (SELECT organization_id FROM c)) AS organization_id,
    EXISTS (SELECT 1 FROM placed) AS placed,
    (SELECT json_agg(json_build_object('id', x.id, 'required', x.required)) FROM course_activities x
      WHERE x.course_id = (SELECT id FROM c)) AS activities,
    (SELECT row_to_json(li) FROM li) AS line_item,
    (SELECT json_build_object('providerId', t.provider_id, 'url', t.url,
        'requiresScoreForCompletion', t.requires_score_for_completion, 'passingScore', t.passing_score::text)
       FROM target t) AS link,
    (SELECT json_agg(json_build_object('enrollmentId', id, 'userId', user_id, 'role', role)) FROM learners)
      AS learners,
    CASE WHEN (SELECT count(*) FROM learners) = 1 AND (SELECT role FROM learners) = 'learner'
              AND EXISTS (SELECT 1 FROM li)
      THEN score_state((SELECT id FROM learners), (SELECT activity_id FROM target), $7) END AS state`;

@Injectable()
export class SqlAgsScoreTargetRepository extends AgsScoreTargetRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  async resolve(query: AgsScoreQuery): Promise<AgsScoreTarget> {
    const internal = query.userIdSource === 'internal';
    const [row] = await this.tx.prepared<TargetRow>(RESOLVE, [
      query.tokenHash,
      query.scoreScope,
      query.providerId,
      query.userIdSource,
      query.classId,
      query.selfPacedCourseId,
      query.lineItemId,
      query.ltiUserId,
      internal ? query.ltiUserId : null,
    ]);
    const item = row.line_item;
    return {
      tokenCurrent: row.token_current,
      course: row.course_id && row.organization_id ? { id: row.course_id, organizationId: row.organization_id } : null,
      placed: row.placed,
      activities: row.activities ?? [],
      lineItem: item && { id: item.id, activityId: item.activity_id, declarative: item.declarative },
      link: row.link && {
        ...row.link,
        passingScore: row.link.passingScore === null ? null : Number(row.link.passingScore),
      },
      learners: row.learners ?? [],
      snapshot: row.state && toScoreSnapshot(row.state),
    };
  }
}
