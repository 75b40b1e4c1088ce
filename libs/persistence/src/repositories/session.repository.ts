import { Injectable } from '@nestjs/common';
import { LiveSession, Role, SessionKind, SessionRecord, SessionRepository } from '@tms/core';
import { LessThan } from 'typeorm';
import { AuthSessionEntity, UserEntity } from '../entities';
import { entityFromJson } from './json-entity';
import { TransactionContext } from '../database/transaction-context';
import { toUser } from './user.repository';

/** The roles of the person `u`, each once, in one order. */
const ROLES = `ARRAY(SELECT DISTINCT m.role FROM memberships m WHERE m.user_id = u.id ORDER BY m.role)`;

/**
 * The version of a session `s` of the person `u`: a digest of everything a request takes from it
 * (the session, the person as read, without the password hash, and their roles). Any change of
 * these, in any process, gives another version.
 */
const SESSION_VERSION = `md5(row(s.id, s.kind, s.expires_at, to_jsonb(u) - 'password_hash', ${ROLES})::text)`;

/**
 * SQL that is true while the session with the token hash `tokenHash` is live at `now` and still at
 * `version` (three SQL expressions, typically parameters): how a statement confirms a session kept by
 * a process (`SessionCheck`) in the same round trip as its own work.
 */
export function sessionStillAt(tokenHash: string, version: string, now: string): string {
  return `EXISTS (SELECT 1 FROM auth_sessions s JOIN users u ON u.id = s.user_id
                   WHERE s.token_hash = ${tokenHash} AND s.expires_at > ${now} AND ${SESSION_VERSION} = ${version})`;
}

function toSession(entity: AuthSessionEntity): SessionRecord {
  return { id: entity.id, userId: entity.userId, kind: entity.kind, expiresAt: entity.expiresAt };
}

@Injectable()
export class TypeOrmSessionRepository extends SessionRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  private get repo() {
    return this.tx.repository(AuthSessionEntity);
  }

  async create(input: { tokenHash: Buffer; userId: string; kind: SessionKind; expiresAt: Date }) {
    return toSession(await this.repo.save(this.repo.create(input)));
  }

  async findLive(tokenHash: Buffer, now: Date): Promise<LiveSession | null> {
    // Every signed-in request starts here: one statement in plain SQL (the ORM's query building and
    // hydration showed in the launch profile), with the roles of the person's memberships.
    // token_hash is unique: LIMIT 1 needs no DISTINCT.
    const [row] = await this.tx.prepared<{
      id: string;
      user_id: string;
      kind: SessionKind;
      expires_at: Date;
      person: Record<string, unknown>;
      roles: Role[];
      version: string;
    }>(
      `SELECT s.id, s.user_id, s.kind, s.expires_at, to_jsonb(u) - 'password_hash' AS person, ${ROLES} AS roles,
              ${SESSION_VERSION} AS version
         FROM auth_sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.expires_at > $2
        LIMIT 1`,
      [tokenHash, now],
    );
    if (!row) return null;
    return {
      session: { id: row.id, userId: row.user_id, kind: row.kind, expiresAt: row.expires_at },
      user: toUser(entityFromJson(this.tx.manager, UserEntity, row.person)),
      roles: row.roles,
      version: row.version,
    };
  }

  async revoke(tokenHash: Buffer): Promise<void> {
    await this.repo.delete({ tokenHash });
  }

  async revokeAllForUser(userId: string): Promise<void> {
    await this.repo.delete({ userId });
  }

  async deleteExpired(now: Date): Promise<number> {
    return (await this.repo.delete({ expiresAt: LessThan(now) })).affected ?? 0;
  }
}
