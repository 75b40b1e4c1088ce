import { Injectable } from '@nestjs/common';
import { AuditEntry, AuditEvent, AuditListQuery, AuditLog, Page, pageOffset } from '@tms/core';
import { TransactionContext } from '../database/transaction-context';
import { AuditEventEntity, UserEntity } from '../entities';

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

  async list(query: AuditListQuery): Promise<Page<AuditEvent>> {
    const qb = this.repo
      .createQueryBuilder('e')
      .where(
        query.includePlatform
          ? '(e.organization_id = ANY(:organizationIds) OR e.organization_id IS NULL)'
          : 'e.organization_id = ANY(:organizationIds)',
        { organizationIds: query.organizationIds },
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
