import { Injectable } from '@nestjs/common';
import { LiveSession, Role, SessionKind, SessionRecord, SessionRepository } from '@tms/core';
import { LessThan } from 'typeorm';
import { AuthSessionEntity } from '../entities';
import { TransactionContext } from '../database/transaction-context';
import { toUser } from './user.repository';

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
    // One statement: findOne with a relation costs TypeORM two (a DISTINCT id query, then the rows),
    // and this runs for every signed-in request. token_hash is unique: LIMIT 1 needs no DISTINCT.
    const { entities, raw } = await this.repo
      .createQueryBuilder('s')
      .innerJoinAndSelect('s.user', 'u')
      .addSelect('ARRAY(SELECT DISTINCT m.role FROM memberships m WHERE m.user_id = u.id ORDER BY m.role)', 'roles')
      .where('s.token_hash = :tokenHash AND s.expires_at > :now', { tokenHash, now })
      .limit(1)
      .getRawAndEntities<{ roles: Role[] }>();
    const [entity] = entities;
    return entity?.user ? { session: toSession(entity), user: toUser(entity.user), roles: raw[0].roles } : null;
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
