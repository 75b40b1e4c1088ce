import { Injectable } from '@nestjs/common';
import {
  NewScoreLedgerEntry,
  Page,
  pageOffset,
  ScoreLedgerQuery,
  ScoreLedgerRepository,
  ScoreLedgerView,
  TenantScope,
} from '@tms/core';
import { TransactionContext } from '../database/transaction-context';
import { ScoreLedgerEntity } from '../entities';
import { inScope, platformWide, scopeParameters } from './tenant-scope.sql';

@Injectable()
export class TypeOrmScoreLedgerRepository extends ScoreLedgerRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  async record(entry: NewScoreLedgerEntry): Promise<void> {
    await this.tx.repository(ScoreLedgerEntity).insert(entry);
  }

  async list(scope: TenantScope, query: ScoreLedgerQuery): Promise<Page<ScoreLedgerView>> {
    const qb = this.tx
      .repository(ScoreLedgerEntity)
      .createQueryBuilder('s')
      .where(
        query.organizationId
          ? `s.organization_id = :organizationId AND ${inScope('s.organization_id')}`
          : `(${inScope('s.organization_id')} OR ${platformWide('s.organization_id')})`,
        { ...scopeParameters(scope), organizationId: query.organizationId },
      )
      .leftJoinAndSelect('s.provider', 'p')
      .leftJoinAndSelect('s.user', 'u')
      .leftJoinAndSelect('s.activity', 'a')
      .orderBy('s.received_at', 'DESC')
      .addOrderBy('s.id', 'DESC')
      .skip(pageOffset(query))
      .take(query.limit);
    if (query.providerId) qb.andWhere('s.provider_id = :providerId', { providerId: query.providerId });
    if (query.decision) qb.andWhere('s.decision = :decision', { decision: query.decision });
    const [rows, total] = await qb.getManyAndCount();
    const items = rows.map(({ provider, organization: _o, enrollment: _e, activity, user, ...entry }) => ({
      ...entry,
      providerName: provider?.name ?? null,
      userName: user?.name ?? null,
      activityTitle: activity?.title ?? null,
    }));
    return { items, total, page: query.page, limit: query.limit };
  }
}
