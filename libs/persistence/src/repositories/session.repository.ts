import { Injectable } from '@nestjs/common';
import { SessionKind, SessionRecord, SessionRepository, User } from '@tms/core';
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

  async findLive(tokenHash: Buffer, now: Date): Promise<{ session: SessionRecord; user: User } | null> {
    // One statement: findOne with a relation costs TypeORM two (a DISTINCT id query, then the rows),
    // and this runs for every signed-in request. token_hash is unique: LIMIT 1 needs no DISTINCT.
    const entity = await this.repo
      .createQueryBuilder('s')
      .innerJoinAndSelect('s.user', 'u')
      .where('s.token_hash = :tokenHash AND s.expires_at > :now', { tokenHash, now })
      .limit(1)
      .getOne();
    return entity?.user ? { session: toSession(entity), user: toUser(entity.user) } : null;
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
