import { Injectable } from '@nestjs/common';
import {
  DynamicRegistration,
  DynamicRegistrationRepository,
  NewDynamicRegistration,
  Page,
  PageRequest,
  pageOffset,
  RegisteredTool,
  RegistrationStatus,
  TenantScope,
} from '@tms/core';
import { IsNull, MoreThan, Not } from 'typeorm';
import { TransactionContext } from '../database/transaction-context';
import { DynamicRegistrationEntity } from '../entities';
import { inScope, listScope, requireCovered, scopeParameters } from './tenant-scope.sql';

function toRegistration(entity: DynamicRegistrationEntity): DynamicRegistration {
  return {
    id: entity.id,
    organizationId: entity.organizationId,
    initiationUrl: entity.initiationUrl,
    status: entity.status,
    tokenExpiresAt: entity.tokenExpiresAt,
    clientId: entity.clientId,
    deploymentId: entity.deploymentId,
    request: entity.request,
    providerId: entity.providerId,
    startedBy: entity.startedBy ?? '',
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

@Injectable()
export class TypeOrmDynamicRegistrationRepository extends DynamicRegistrationRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  private get repo() {
    return this.tx.repository(DynamicRegistrationEntity);
  }

  async create(scope: TenantScope, record: NewDynamicRegistration): Promise<DynamicRegistration> {
    return this.tx.run(async () => {
      await requireCovered(this.tx, scope, record.organizationId, 'Organization');
      await this.repo.insert({ ...record, status: 'started', tokenUsedAt: null, request: null });
      return toRegistration((await this.repo.findOneBy({ id: record.id }))!);
    });
  }

  async findByUsableToken(tokenHash: string, now: Date): Promise<DynamicRegistration | null> {
    const entity = await this.repo.findOneBy({
      tokenHash,
      status: 'started',
      tokenUsedAt: IsNull(),
      tokenExpiresAt: MoreThan(now),
    });
    return entity && toRegistration(entity);
  }

  /** One UPDATE decides: of two registrations racing with one token, one finds it used. */
  async useToken(id: string, now: Date): Promise<boolean> {
    const result = await this.repo.update(
      { id, status: 'started', tokenUsedAt: IsNull(), tokenExpiresAt: MoreThan(now) },
      { tokenUsedAt: now },
    );
    return result.affected === 1;
  }

  async findEarlier(organizationId: string, initiateLoginUri: string, exceptId: string) {
    const entity = await this.repo.findOne({
      where: [
        { organizationId, initiateLoginUri, status: 'pending', id: Not(exceptId) },
        { organizationId, initiateLoginUri, status: 'approved', id: Not(exceptId), providerId: Not(IsNull()) },
      ],
      order: { createdAt: 'DESC' },
    });
    return entity && toRegistration(entity);
  }

  async saveRegistered(id: string, tool: RegisteredTool): Promise<void> {
    await this.repo.update(
      { id },
      {
        status: 'pending',
        clientId: tool.clientId,
        deploymentId: tool.deploymentId,
        request: tool.request as never,
        initiateLoginUri: tool.request.initiateLoginUri,
        providerId: tool.providerId,
        updatedAt: new Date(),
      },
    );
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }

  async findVisible(scope: TenantScope, id: string): Promise<DynamicRegistration | null> {
    const entity = await this.repo
      .createQueryBuilder('r')
      .where(inScope('r.organization_id'), scopeParameters(scope))
      .andWhere('r.id = :id', { id })
      .getOne();
    return entity && toRegistration(entity);
  }

  async list(
    scope: TenantScope,
    query: PageRequest & { status?: RegistrationStatus },
  ): Promise<Page<DynamicRegistration>> {
    const covered = await listScope(this.tx, scope);
    const qb = this.repo
      .createQueryBuilder('r')
      .where(covered('r.organization_id'), scopeParameters(scope))
      .orderBy('r.created_at', 'DESC')
      .addOrderBy('r.id', 'ASC')
      .offset(pageOffset(query))
      .limit(query.limit);
    if (query.status) qb.andWhere('r.status = :status', { status: query.status });
    const [entities, total] = await qb.getManyAndCount();
    return { items: entities.map(toRegistration), total, page: query.page, limit: query.limit };
  }

  async decide(id: string, status: 'approved' | 'rejected', providerId: string | null): Promise<void> {
    await this.repo.update({ id }, { status, providerId, updatedAt: new Date() });
  }

  /** A bounded, idempotent DELETE: concurrent runs delete disjoint or already-gone rows, none holds a long lock. */
  async deleteNeverCompleted(before: Date, limit: number): Promise<number> {
    const [{ count }] = await this.tx.query<{ count: number }>(
      `WITH gone AS (
         DELETE FROM lti_dynamic_registrations
          WHERE id IN (SELECT id FROM lti_dynamic_registrations
                        WHERE status = 'started' AND token_expires_at < $1 LIMIT $2)
            AND status = 'started'
         RETURNING 1)
       SELECT count(*)::int AS count FROM gone`,
      [before, limit],
    );
    return count;
  }
}
