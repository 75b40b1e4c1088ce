import { Injectable } from '@nestjs/common';
import {
  NewScoreLedgerEntry,
  Page,
  pageOffset,
  ScoreLedgerQuery,
  ScoreLedgerRepository,
  ScoreLedgerView,
  TenantScope,
  countHorizon,
} from '@tms/core';
import { TransactionContext } from '../database/transaction-context';
import { ScoreLedgerEntity } from '../entities';
import { countUpTo } from './capped-count';
import { listScope, platformWide, scopeParameters } from './tenant-scope.sql';

@Injectable()
export class TypeOrmScoreLedgerRepository extends ScoreLedgerRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  async record(entry: NewScoreLedgerEntry): Promise<void> {
    await this.tx.repository(ScoreLedgerEntity).insert(entry);
  }

  async list(scope: TenantScope, query: ScoreLedgerQuery): Promise<Page<ScoreLedgerView>> {
    const covered = await listScope(this.tx, scope);
    const filtered = this.tx
      .repository(ScoreLedgerEntity)
      .createQueryBuilder('s')
      .where(
        query.organizationId
          ? `s.organization_id = :organizationId AND ${covered('s.organization_id')}`
          : `(${covered('s.organization_id')} OR ${platformWide('s.organization_id')})`,
        { ...scopeParameters(scope), organizationId: query.organizationId },
      );
    if (query.providerId) filtered.andWhere('s.provider_id = :providerId', { providerId: query.providerId });
    if (query.decision) filtered.andWhere('s.decision = :decision', { decision: query.decision });
    // The count reads the ledger alone, and no further than the page's horizon (the ledger grows by every
    // score: an exact count is a scan of the tenant's whole history); the page is a LIMIT over the
    // newest-first index, joined to its names only for the rows it returns (every join is
    // many-to-one: no duplicates to page over).
    const counted = await countUpTo(this.tx, filtered, countHorizon(query));
    const rows = await filtered
      .leftJoinAndSelect('s.provider', 'p')
      .leftJoinAndSelect('s.user', 'u')
      .leftJoinAndSelect('s.activity', 'a')
      .orderBy('s.received_at', 'DESC')
      .addOrderBy('s.id', 'DESC')
      .offset(pageOffset(query))
      .limit(query.limit)
      .getMany();
    const items = rows.map(({ provider, organization: _o, enrollment: _e, activity, user, ...entry }) => ({
      ...entry,
      providerName: provider?.name ?? null,
      userName: user?.name ?? null,
      activityTitle: activity?.title ?? null,
    }));
    return { items, ...counted, page: query.page, limit: query.limit };
  }
}
