import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { MessageHint, MessageHintRepository } from '@tms/core';
import { IsNull, LessThan, MoreThan } from 'typeorm';
import { TransactionContext } from '../database/transaction-context';
import { MessageHintEntity } from '../entities';

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

  /** One INSERT (save() would wrap it in a transaction of its own: three round trips on every launch page). */
  async create(hint: Omit<MessageHint, 'id'>): Promise<MessageHint> {
    const id = randomUUID();
    await this.tx.repository(MessageHintEntity).insert({ id, ...hint, consumedAt: null });
    return { id, ...hint };
  }

  async findUsable(messageHint: string, providerId: string, now: Date): Promise<MessageHint | null> {
    if (messageHint.length > 64) return null;
    const row = await this.tx
      .repository(MessageHintEntity)
      .findOneBy({ messageHint, providerId, consumedAt: IsNull(), expiresAt: MoreThan(now) });
    return row ? toHint(row) : null;
  }

  /** One UPDATE decides: of two requests racing with the same hint, one finds it already consumed. */
  async consume(id: string, now: Date): Promise<boolean> {
    const result = await this.tx
      .repository(MessageHintEntity)
      .update({ id, consumedAt: IsNull(), expiresAt: MoreThan(now) }, { consumedAt: now });
    return result.affected === 1;
  }

  async deleteExpired(now: Date): Promise<number> {
    const result = await this.tx.repository(MessageHintEntity).delete({ expiresAt: LessThan(now) });
    return result.affected ?? 0;
  }
}
