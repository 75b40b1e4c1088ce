import { Injectable } from '@nestjs/common';
import { EnrollmentStatus, OutcomePlacement, OutcomePlacementQuery, OutcomePlacementRepository } from '@tms/core';
import { TransactionContext } from '../database/transaction-context';
import { ScoreStateJson, toScoreSnapshot } from './score-batch.repository';

interface PlacementRow {
  nonce_fresh: boolean;
  signer_current: boolean;
  user_id: string | null;
  enrollment_status: EnrollmentStatus | null;
  course_organization_id: string | null;
  activities: Array<{ id: string; required: boolean }> | null;
  link_provider_id: string | null;
  link_url: string | null;
  requires_score_for_completion: boolean | null;
  passing_score: string | null;
  class_organization_id: string | null;
  state: ScoreStateJson | null;
}

/**
 * The LTI 1.1 outcomes path in one statement: the nonce used up (the primary key decides, across
 * processes), the cached signer compared with the provider as stored (active, same key, same sealed
 * secret), the sourcedId's enrollment, course, activity, catalog entry and class, and for a live
 * enrollment of its person `score_state` (its lock and what the score is decided from).
 */
const RESOLVE = `
  WITH nonce AS (
    INSERT INTO oauth_nonces (provider_id, nonce, expires_at) VALUES ($1, $2, $3)
    ON CONFLICT (provider_id, nonce) DO NOTHING RETURNING 1
  ),
  e AS (SELECT id, user_id, status, class_id, course_id FROM enrollments WHERE id = $6),
  a AS (SELECT id, course_id, resource_link_id FROM course_activities WHERE id = $7),
  c AS (SELECT id, organization_id FROM courses WHERE id = coalesce((SELECT course_id FROM e), (SELECT course_id FROM a)))
  SELECT
    EXISTS (SELECT 1 FROM nonce) AS nonce_fresh,
    EXISTS (SELECT 1 FROM lti_providers p WHERE p.id = $1 AND p.status = 'active' AND p.lti_version = '1.1'
      AND p.consumer_key = $4 AND p.shared_secret_sealed = $5) AS signer_current,
    (SELECT user_id FROM e) AS user_id,
    (SELECT status FROM e) AS enrollment_status,
    c.organization_id AS course_organization_id,
    (SELECT json_agg(json_build_object('id', x.id, 'required', x.required)) FROM course_activities x
      WHERE x.course_id = c.id) AS activities,
    l.provider_id AS link_provider_id,
    l.url AS link_url,
    l.requires_score_for_completion,
    l.passing_score::text AS passing_score,
    (SELECT k.organization_id FROM classes k WHERE k.id = (SELECT class_id FROM e)) AS class_organization_id,
    CASE WHEN (SELECT status FROM e) = 'active' AND (SELECT user_id FROM e) = $8 AND l.id IS NOT NULL
      THEN score_state($6, $7, NULL) END AS state
  FROM (SELECT 1) AS one
  LEFT JOIN c ON true
  LEFT JOIN a ON a.course_id = c.id
  LEFT JOIN lti_resource_links l ON l.id = a.resource_link_id`;

@Injectable()
export class SqlOutcomePlacementRepository extends OutcomePlacementRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  async resolve(query: OutcomePlacementQuery): Promise<OutcomePlacement> {
    const { target } = query;
    const [row] = await this.tx.prepared<PlacementRow>(RESOLVE, [
      query.providerId,
      query.nonce.slice(0, 255),
      query.nonceExpiresAt,
      query.consumerKey,
      query.sealedSecret,
      target.kind === 'enrollment' ? target.enrollmentId : null,
      target.activityId,
      target.userId,
    ]);
    const linked = row.link_provider_id !== null && row.link_url !== null;
    return {
      nonceFresh: row.nonce_fresh,
      signerCurrent: row.signer_current,
      enrollment: row.user_id && row.enrollment_status ? { userId: row.user_id, status: row.enrollment_status } : null,
      course: row.course_organization_id
        ? { organizationId: row.course_organization_id, activities: row.activities ?? [] }
        : null,
      link: linked
        ? {
            providerId: row.link_provider_id!,
            url: row.link_url!,
            requiresScoreForCompletion: row.requires_score_for_completion!,
            passingScore: row.passing_score === null ? null : Number(row.passing_score),
          }
        : null,
      classOrganizationId: row.class_organization_id,
      snapshot: row.state && toScoreSnapshot(row.state),
    };
  }
}
