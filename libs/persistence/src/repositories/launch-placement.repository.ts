import { Injectable } from '@nestjs/common';
import { isUuid, LaunchPlacement, LaunchPlacementRepository } from '@tms/core';
import { EntityManager } from 'typeorm';
import { TransactionContext } from '../database/transaction-context';
import {
  ActivityProgressEntity,
  ClassEntity,
  CourseActivityEntity,
  CourseEntity,
  EnrollmentEntity,
  LtiProviderEntity,
  LtiResourceLinkEntity,
  UserEntity,
} from '../entities';
import { toClass } from './class.repository';
import { toActivity, toCourse } from './course.repository';
import { toEnrollment, toProgress } from './enrollment.repository';
import { entityFromJson } from './json-entity';
import { toProgress as progressOf } from './score-batch.repository';
import { toProvider } from './lti-provider.repository';
import { toResourceLink } from './lti-resource-link.repository';
import { toUser } from './user.repository';

/** The columns placementSelect answers, each a table's row as JSON (or an array). */
export interface PlacementRow {
  readonly enrollment: Record<string, unknown> | null;
  readonly person: Record<string, unknown>;
  readonly course: Record<string, unknown>;
  readonly activities: Record<string, unknown>[];
  /** The activity asked for, when it is the course's. */
  readonly activity_id: string | null;
  readonly course_class: Record<string, unknown> | null;
  readonly link: Record<string, unknown> | null;
  readonly link_availability: string[];
  readonly provider: Record<string, unknown> | null;
  readonly provider_availability: string[];
  readonly lineage: string[];
  readonly progress: Record<string, unknown> | null;
  /** `enrollment_progress(enrollment)` (migration ProgressAsRead), and its md5. */
  readonly progress_as_read: { readonly progress: Record<string, string | null>[] };
  readonly progress_fingerprint: string;
}

/**
 * One SELECT of an enrollment's placement (`enrollmentId` and `activityId` are SQL expressions: bind
 * parameters, or columns of an enclosing query). Secrets stay out: no password hash, no sealed
 * secret. Numerics of progress as text, as the driver gives them. With it, the enrollment's progress
 * on every activity and its fingerprint, which a launch that changes progress writes on.
 */
export function placementSelect(enrollmentId: string, activityId: string): string {
  return `SELECT to_jsonb(e) AS enrollment, to_jsonb(u) - 'password_hash' AS person, to_jsonb(c) AS course,
      (SELECT coalesce(jsonb_agg(to_jsonb(ca) ORDER BY ca.position), '[]'::jsonb)
         FROM course_activities ca WHERE ca.course_id = c.id) AS activities,
      a.id::text AS activity_id,
      to_jsonb(k) AS course_class,
      to_jsonb(l) AS link,
      ARRAY(SELECT la.organization_id::text FROM lti_resource_link_availability la
             WHERE la.resource_link_id = l.id ORDER BY la.organization_id) AS link_availability,
      to_jsonb(p) - 'shared_secret_sealed' AS provider,
      ARRAY(SELECT pa.organization_id::text FROM lti_provider_availability pa
             WHERE pa.provider_id = p.id ORDER BY pa.organization_id) AS provider_availability,
      ARRAY(SELECT oc.ancestor_id::text FROM organization_closure oc
             WHERE oc.descendant_id = coalesce(k.organization_id, c.organization_id)) AS lineage,
      (SELECT to_jsonb(ap) || jsonb_build_object('score_given', ap.score_given::text, 'score_maximum', ap.score_maximum::text)
         FROM activity_progress ap WHERE ap.enrollment_id = e.id AND ap.activity_id = a.id) AS progress,
      ep.progress AS progress_as_read, md5(ep.progress::text) AS progress_fingerprint
    FROM enrollments e
    CROSS JOIN LATERAL (SELECT enrollment_progress(e.id) AS progress) ep
    JOIN users u ON u.id = e.user_id
    JOIN courses c ON c.id = e.course_id
    LEFT JOIN classes k ON k.id = e.class_id
    LEFT JOIN course_activities a ON a.id = ${activityId} AND a.course_id = c.id
    LEFT JOIN lti_resource_links l ON l.id = a.resource_link_id
    LEFT JOIN lti_providers p ON p.id = l.provider_id
   WHERE e.id = ${enrollmentId}`;
}

/** The placement of a row placementSelect answered; null when it found no enrollment. */
export function toPlacement(manager: EntityManager, row: PlacementRow): LaunchPlacement | null {
  if (!row.enrollment) return null;
  const activities = row.activities.map((json) => toActivity(entityFromJson(manager, CourseActivityEntity, json)));
  const course = { ...toCourse(entityFromJson(manager, CourseEntity, row.course)), activities };
  const link =
    row.link && toResourceLink(entityFromJson(manager, LtiResourceLinkEntity, row.link), row.link_availability);
  return {
    enrollment: toEnrollment(entityFromJson(manager, EnrollmentEntity, row.enrollment)),
    person: toUser(entityFromJson(manager, UserEntity, row.person)),
    course,
    courseClass: row.course_class && toClass(entityFromJson(manager, ClassEntity, row.course_class)),
    activity: activities.find((activity) => activity.id === row.activity_id) ?? null,
    link,
    provider:
      row.provider && toProvider(entityFromJson(manager, LtiProviderEntity, row.provider), row.provider_availability),
    lineage: row.lineage,
    progress: row.progress && toProgress(entityFromJson(manager, ActivityProgressEntity, row.progress)),
    progressAsRead: {
      fingerprint: row.progress_fingerprint,
      rows: row.progress_as_read.progress.map((json) => progressOf(row.enrollment!.id as string, json)),
    },
  };
}

@Injectable()
export class TypeOrmLaunchPlacementRepository extends LaunchPlacementRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  async findByEnrollment(enrollmentId: string, activityId: string): Promise<LaunchPlacement | null> {
    if (!isUuid(enrollmentId) || !isUuid(activityId)) return null;
    const [row] = await this.tx.prepared<PlacementRow>(placementSelect('$1::uuid', '$2::uuid'), [
      enrollmentId,
      activityId,
    ]);
    return row ? toPlacement(this.tx.manager, row) : null;
  }
}
