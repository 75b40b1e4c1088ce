import { Injectable } from '@nestjs/common';
import {
  CatalogUsageRepository,
  DomainError,
  isUuid,
  LinkListQuery,
  LtiResourceLink,
  LtiResourceLinkRepository,
  NamedResourceLink,
  Page,
  pageOffset,
  ResourceLinkChanges,
  ResourceLinkRecord,
  TenantScope,
  countHorizon,
} from '@tms/core';
import { TransactionContext } from '../database/transaction-context';
import { LtiResourceLinkEntity } from '../entities';
import { AvailabilityTable } from './catalog-availability';
import { countUpTo } from './capped-count';
import { isUniqueViolation, likeContains } from './postgres-errors';
import {
  atOrAbove,
  inReach,
  inScope,
  listScope,
  requireCovered,
  ScopeCondition,
  scopeParameters,
} from './tenant-scope.sql';

const NAME_TAKEN = () =>
  DomainError.conflictOn('name', 'A resource link with this name already exists in the organization');

export function toResourceLink(
  entity: LtiResourceLinkEntity,
  availableOrganizationIds: readonly string[],
): LtiResourceLink {
  return {
    id: entity.id,
    organizationId: entity.organizationId,
    providerId: entity.providerId,
    name: entity.name,
    url: entity.url,
    customParameters: entity.customParameters,
    requiresScoreForCompletion: entity.requiresScoreForCompletion,
    passingScore: entity.passingScore,
    lineItem: entity.lineItem,
    status: entity.status,
    availableOrganizationIds,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

@Injectable()
export class TypeOrmLtiResourceLinkRepository extends LtiResourceLinkRepository {
  private readonly availability: AvailabilityTable;
  private readonly providerAvailability: AvailabilityTable;

  constructor(private readonly tx: TransactionContext) {
    super();
    this.availability = new AvailabilityTable(tx, 'lti_resource_link_availability', 'resource_link_id');
    this.providerAvailability = new AvailabilityTable(tx, 'lti_provider_availability', 'provider_id');
  }

  private get repo() {
    return this.tx.repository(LtiResourceLinkEntity);
  }

  async findById(id: string): Promise<LtiResourceLink | null> {
    const query = this.repo.createQueryBuilder('l').where('l.id = :id', { id });
    const [row] = await this.availability.withAvailability(query, 'l');
    return row ? toResourceLink(row.entity, row.availability) : null;
  }

  async findByIds(ids: readonly string[]): Promise<NamedResourceLink[]> {
    if (ids.length === 0) return [];
    const entities = await this.repo
      .createQueryBuilder('l')
      .leftJoinAndSelect('l.provider', 'p')
      .where('l.id = ANY(:ids)', { ids })
      .getMany();
    return this.named(entities);
  }

  async findVisible(scope: TenantScope, id: string): Promise<NamedResourceLink | null> {
    if (!isUuid(id)) return null;
    const [found] = await this.named(await this.visible(scope).andWhere('l.id = :id', { id }).getMany());
    return found ?? null;
  }

  async list(scope: TenantScope, query: LinkListQuery): Promise<Page<NamedResourceLink>> {
    // offset/limit, not skip/take: the provider join is many-to-one (one row per link), and TypeORM's
    // skip/take with a join cannot order by an expression.
    const qb = this.visible(scope, await listScope(this.tx, scope))
      .orderBy('lower(l.name)', 'ASC')
      .addOrderBy('l.id', 'ASC')
      .offset(pageOffset(query))
      .limit(query.limit);
    if (query.organizationId)
      qb.andWhere('l.organization_id = :organizationId', { organizationId: query.organizationId });
    if (query.providerId) qb.andWhere('l.provider_id = :providerId', { providerId: query.providerId });
    if (query.status) qb.andWhere('l.status = :status', { status: query.status });
    if (query.search) qb.andWhere(`l.name ILIKE :search ESCAPE '\\'`, { search: likeContains(query.search) });
    if (query.usableIn) {
      // Usable: the link and its provider both active and both available at the organization or above it.
      const usable = (column: string) => atOrAbove(column, 'usableIn');
      qb.andWhere(`l.status = 'active' AND ${this.availability.availableWhere('l', usable)}`, {
        usableIn: query.usableIn,
      }).andWhere(`p.status = 'active' AND ${this.providerAvailability.availableWhere('p', usable)}`);
    }
    const counted = await countUpTo(this.tx, qb, countHorizon(query));
    const entities = await qb.getMany();
    return { items: await this.named(entities), ...counted, page: query.page, limit: query.limit };
  }

  async listOwned(scope: TenantScope): Promise<NamedResourceLink[]> {
    const entities = await this.repo
      .createQueryBuilder('l')
      .innerJoinAndSelect('l.provider', 'p')
      .where(inScope('l.organization_id'), scopeParameters(scope))
      .orderBy('lower(l.name)', 'ASC')
      .addOrderBy('l.id', 'ASC')
      .getMany();
    return this.named(entities);
  }

  async create(scope: TenantScope, record: ResourceLinkRecord): Promise<LtiResourceLink> {
    return this.tx.run(async () => {
      await requireCovered(this.tx, scope, record.organizationId, 'Organization');
      let id: string;
      try {
        const { availableOrganizationIds: _, ...columns } = record;
        const result = await this.repo.insert({ ...columns, customParameters: [...record.customParameters] });
        id = (result.identifiers[0] as { id: string }).id;
      } catch (error) {
        if (isUniqueViolation(error, 'lti_resource_links_name_uq')) throw NAME_TAKEN();
        throw error;
      }
      await this.availability.replace(id, record.availableOrganizationIds);
      return (await this.findById(id))!;
    });
  }

  async update(scope: TenantScope, id: string, changes: ResourceLinkChanges): Promise<LtiResourceLink> {
    const { availableOrganizationIds, customParameters, ...rest } = changes;
    const columns = { ...rest, customParameters: customParameters && [...customParameters] };
    const defined = Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined));
    return this.tx.run(async () => {
      await this.requireOwned(scope, id);
      if (changes.organizationId) await requireCovered(this.tx, scope, changes.organizationId, 'Organization');
      try {
        const { affected } = await this.repo.update({ id }, { ...defined, updatedAt: new Date() });
        // Deleted meanwhile (a concurrent request): not found, before availability rows would dangle.
        if (!affected) throw DomainError.notFound('LTI resource link');
      } catch (error) {
        if (isUniqueViolation(error, 'lti_resource_links_name_uq')) throw NAME_TAKEN();
        throw error;
      }
      if (availableOrganizationIds) await this.availability.replace(id, availableOrganizationIds);
      return (await this.findById(id))!;
    });
  }

  async delete(scope: TenantScope, id: string): Promise<void> {
    await this.tx.run(async () => {
      await this.requireOwned(scope, id);
      await this.repo.delete({ id });
    });
  }

  async countForProvider(providerId: string): Promise<number> {
    return this.repo.countBy({ providerId });
  }

  /** Owned by an organization the scope covers, or available somewhere it covers. */
  private visible(scope: TenantScope, covered: ScopeCondition = inScope) {
    return this.repo
      .createQueryBuilder('l')
      .innerJoinAndSelect('l.provider', 'p')
      .where(
        `(${covered('l.organization_id')} OR ${this.availability.availableWhere('l', (c) => inReach(c, covered))})`,
        scopeParameters(scope),
      );
  }

  private async requireOwned(scope: TenantScope, id: string): Promise<void> {
    const owned =
      isUuid(id) &&
      (await this.repo
        .createQueryBuilder('l')
        .where('l.id = :id', { id })
        .andWhere(inScope('l.organization_id'), scopeParameters(scope))
        .getExists());
    if (!owned) throw DomainError.notFound('Resource link');
  }

  private async named(entities: LtiResourceLinkEntity[]): Promise<NamedResourceLink[]> {
    const availability = await this.availability.load(entities.map((e) => e.id));
    return entities.map((e) => ({
      ...toResourceLink(e, availability.get(e.id) ?? []),
      providerName: e.provider?.name ?? '',
    }));
  }
}

@Injectable()
export class TypeOrmCatalogUsageRepository extends CatalogUsageRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  async countActivitiesOfLink(resourceLinkId: string): Promise<number> {
    const [row] = await this.tx.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM course_activities WHERE resource_link_id = $1',
      [resourceLinkId],
    );
    return row.count;
  }

  async countActivitiesOfProvider(providerId: string): Promise<number> {
    const [row] = await this.tx.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM course_activities a
         JOIN lti_resource_links l ON l.id = a.resource_link_id WHERE l.provider_id = $1`,
      [providerId],
    );
    return row.count;
  }
}
