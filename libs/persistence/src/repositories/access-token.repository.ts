import { Injectable } from '@nestjs/common';
import { AccessTokenRecord, AccessTokenRepository } from '@tms/core';
import { IsNull, LessThan, MoreThan } from 'typeorm';
import { TransactionContext } from '../database/transaction-context';
import { AccessTokenEntity } from '../entities';

@Injectable()
export class TypeOrmAccessTokenRepository extends AccessTokenRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  async findUsable(tokenHash: string, now: Date): Promise<AccessTokenRecord | null> {
    const row = await this.tx
      .repository(AccessTokenEntity)
      .findOneBy({ tokenHash, revokedAt: IsNull(), expiresAt: MoreThan(now) });
    return row && { id: row.id, providerId: row.providerId, scopes: row.scopes, expiresAt: row.expiresAt };
  }

  async revokeForProvider(providerId: string, now: Date): Promise<number> {
    const result = await this.tx
      .repository(AccessTokenEntity)
      .update({ providerId, revokedAt: IsNull(), expiresAt: MoreThan(now) }, { revokedAt: now });
    return result.affected ?? 0;
  }

  async deleteExpired(now: Date): Promise<number> {
    const result = await this.tx.repository(AccessTokenEntity).delete({ expiresAt: LessThan(now) });
    return result.affected ?? 0;
  }
}
