import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  HintClaim,
  HintClaimant,
  isUuid,
  KeptSessionChanged,
  MessageHint,
  MessageHintRepository,
  SessionCheck,
} from '@tms/core';
import { LessThan } from 'typeorm';
import { TransactionContext } from '../database/transaction-context';
import { MessageHintEntity } from '../entities';
import { entityFromJson } from './json-entity';
import { placementSelect, PlacementRow, toPlacement } from './launch-placement.repository';
import { PROVIDER_VERSION } from './lti1p3-client.repository';
import { sessionStillAt } from './session.repository';

export function toHint(entity: MessageHintEntity): MessageHint {
  const {
    user: _u,
    provider: _p,
    course: _c,
    courseClass: _k,
    enrollment: _e,
    activity: _a,
    forEnrollment: _f,
    lineItem: _l,
    consumedAt: _x,
    createdAt: _t,
    ...hint
  } = entity;
  return hint;
}

@Injectable()
export class TypeOrmMessageHintRepository extends MessageHintRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  /**
   * One INSERT in plain SQL: every LTI 1.3 launch page writes one (save() took three round trips). A
   * session kept by the process ($20, $21) is confirmed by the same statement: nothing is written once
   * it changed.
   */
  async create(hint: Omit<MessageHint, 'id'>, session?: SessionCheck): Promise<MessageHint> {
    const id = randomUUID();
    const written = await this.tx.prepared<{ id: string }>(
      `INSERT INTO lti1p3_message_hints (id, message_hint, login_hint, user_id, provider_id, message_type, kind,
         course_id, class_id, enrollment_id, activity_id, target_link_uri, document_target, presentation_path,
         accept_multiple, for_enrollment_id, line_item_id, test_role, expires_at)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19
        WHERE $20::bytea IS NULL OR ${sessionStillAt('$20', '$21', '$22')}
       RETURNING id`,
      [
        id,
        hint.messageHint,
        hint.loginHint,
        hint.userId,
        hint.providerId,
        hint.messageType,
        hint.kind,
        hint.courseId,
        hint.classId,
        hint.enrollmentId,
        hint.activityId,
        hint.targetLinkUri,
        hint.documentTarget,
        hint.presentationPath,
        hint.acceptMultiple,
        hint.forEnrollmentId,
        hint.lineItemId,
        hint.testRole,
        hint.expiresAt,
        session?.tokenHash ?? null,
        session?.version ?? null,
        new Date(),
      ],
    );
    if (written.length === 0) throw new KeptSessionChanged();
    return { id, ...hint };
  }

  async claim(claimant: HintClaimant, now: Date): Promise<HintClaim | null> {
    if (claimant.messageHint.length > 64) return null;
    const boundHintIds = claimant.boundHintIds.filter(isUuid);
    // The UPDATE re-checks consumed_at on the row's latest version: of two requests racing with
    // one hint, across processes, one consumes it and the other finds it consumed. A provider from a
    // process's cache ($7, its version) finds nothing once its row changed: the caller reads it again.
    // A session from the process's cache ($8, $9) finds nothing and consumes nothing once it changed.
    const [row] = await this.tx.prepared<
      PlacementRow & {
        session_live: boolean;
        hint: Record<string, unknown> | null;
        consumed: boolean;
        signing_kid: string | null;
      }
    >(
      `WITH session AS (
         SELECT ($8::bytea IS NULL OR ${sessionStillAt('$8', '$9', '$3')}) AS live
       ), found AS (
         SELECT * FROM lti1p3_message_hints
          WHERE message_hint = $1 AND provider_id = $2 AND consumed_at IS NULL AND expires_at > $3
            AND ($7::text IS NULL OR EXISTS (SELECT 1 FROM lti_providers p WHERE p.id = $2 AND ${PROVIDER_VERSION} = $7))
            AND (SELECT live FROM session)
       ), consumed AS (
         UPDATE lti1p3_message_hints h SET consumed_at = $3
           FROM found f
          WHERE h.id = f.id AND h.consumed_at IS NULL AND h.expires_at > $3 AND f.login_hint = $4
            AND CASE WHEN $5::uuid IS NULL THEN f.id = ANY($6::uuid[]) ELSE f.user_id = $5::uuid END
         RETURNING h.id
       )
       SELECT s.live AS session_live, to_jsonb(f) AS hint, EXISTS (SELECT 1 FROM consumed) AS consumed,
              (SELECT kid FROM platform_keys WHERE state = 'current') AS signing_kid, pl.*
         FROM session s
         LEFT JOIN found f ON true
         LEFT JOIN LATERAL (${placementSelect('f.enrollment_id', 'f.activity_id')}) pl ON true`,
      [
        claimant.messageHint,
        claimant.providerId,
        now,
        claimant.loginHint,
        claimant.userId,
        boundHintIds,
        claimant.providerVersion ?? null,
        claimant.session?.tokenHash ?? null,
        claimant.session?.version ?? null,
      ],
    );
    if (!row.session_live) throw new KeptSessionChanged();
    if (!row.hint) return null;
    return {
      hint: toHint(entityFromJson(this.tx.manager, MessageHintEntity, row.hint)),
      consumed: row.consumed,
      placement: toPlacement(this.tx.manager, row),
      signingKid: row.signing_kid,
    };
  }

  async deleteExpired(now: Date): Promise<number> {
    const result = await this.tx.repository(MessageHintEntity).delete({ expiresAt: LessThan(now) });
    return result.affected ?? 0;
  }
}
