import { Injectable } from '@nestjs/common';
import { AuditEntry, AuditEvent, AuditListQuery, AuditLog, Page, pageOffset, TenantScope } from '@tms/core';
import { TransactionContext } from '../database/transaction-context';
import { AuditEventEntity, UserEntity } from '../entities';
import { listScope, platformWide, scopeParameters } from './tenant-scope.sql';

@Injectable()
export class TypeOrmAuditLog extends AuditLog {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  private get repo() {
    return this.tx.repository(AuditEventEntity);
  }

  async record(entry: AuditEntry): Promise<void> {
    const actor = entry.actorUserId
      ? await this.tx
          .repository(UserEntity)
          .findOne({ where: { id: entry.actorUserId }, select: { id: true, name: true } })
      : null;
    const event = this.repo.create({
      ...entry,
      actorName: actor?.name ?? null,
      before: entry.before ? { ...entry.before } : null,
      after: entry.after ? { ...entry.after } : null,
    });
    await this.repo.save(event);
  }

  async list(scope: TenantScope, query: AuditListQuery): Promise<Page<AuditEvent>> {
    const covered = await listScope(this.tx, scope);
    const qb = this.repo
      .createQueryBuilder('e')
      .where(
        query.organizationId
          ? `e.organization_id = :organizationId AND ${covered('e.organization_id')}`
          : `(${covered('e.organization_id')} OR ${platformWide('e.organization_id')})`,
        { ...scopeParameters(scope), organizationId: query.organizationId },
      )
      .orderBy('e.occurred_at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .skip(pageOffset(query))
      .take(query.limit);
    if (query.entityType) qb.andWhere('e.entity_type = :entityType', { entityType: query.entityType });
    if (query.entityId) qb.andWhere('e.entity_id = :entityId', { entityId: query.entityId });
    const [entities, total] = await qb.getManyAndCount();
    return { items: entities.map((e) => ({ ...e })), total, page: query.page, limit: query.limit };
  }
}
