import { Injectable } from '@nestjs/common';
import { SessionKind, SessionRecord, SessionRepository, User } from '@tms/core';
import { LessThan, MoreThan } from 'typeorm';
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
    const entity = await this.repo.findOne({
      where: { tokenHash, expiresAt: MoreThan(now) },
      relations: { user: true },
    });
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
