import { Injectable } from '@nestjs/common';
import {
  CatalogUsageRepository,
  DomainError,
  LinkListQuery,
  LtiResourceLink,
  LtiResourceLinkRepository,
  Page,
  pageOffset,
  ResourceLinkChanges,
  ResourceLinkRecord,
} from '@tms/core';
import { In } from 'typeorm';
import { TransactionContext } from '../database/transaction-context';
import { LtiResourceLinkEntity } from '../entities';
import { AvailabilityTable } from './catalog-availability';
import { isUniqueViolation, likeContains } from './postgres-errors';

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
    const entity = await this.repo.findOneBy({ id });
    return entity && toResourceLink(entity, (await this.availability.load([id])).get(id) ?? []);
  }

  async findByIds(ids: readonly string[]): Promise<LtiResourceLink[]> {
    if (ids.length === 0) return [];
    const entities = await this.repo.findBy({ id: In([...ids]) });
    const availability = await this.availability.load(entities.map((entity) => entity.id));
    return entities.map((entity) => toResourceLink(entity, availability.get(entity.id) ?? []));
  }

  async list(query: LinkListQuery): Promise<Page<LtiResourceLink>> {
    const { managedIds, reachIds } = query.visibility;
    const qb = this.repo
      .createQueryBuilder('l')
      .where(`(l.organization_id = ANY(:managedIds) OR ${this.availability.availableIn('l', 'reachIds')})`, {
        managedIds,
        reachIds,
      })
      .orderBy('lower(l.name)', 'ASC')
      .addOrderBy('l.id', 'ASC')
      .skip(pageOffset(query))
      .take(query.limit);
    if (query.organizationId)
      qb.andWhere('l.organization_id = :organizationId', { organizationId: query.organizationId });
    if (query.providerId) qb.andWhere('l.provider_id = :providerId', { providerId: query.providerId });
    if (query.status) qb.andWhere('l.status = :status', { status: query.status });
    if (query.search) qb.andWhere(`l.name ILIKE :search ESCAPE '\\'`, { search: likeContains(query.search) });
    if (query.usableInIds) {
      // Usable: the link and its provider both active and both available in the organization's lineage.
      qb.andWhere(`l.status = 'active' AND ${this.availability.availableIn('l', 'usableInIds')}`, {
        usableInIds: query.usableInIds,
      }).andWhere(
        `EXISTS (SELECT 1 FROM lti_providers p WHERE p.id = l.provider_id AND p.status = 'active'
           AND ${this.providerAvailability.availableIn('p', 'usableInIds')})`,
      );
    }
    const [entities, total] = await qb.getManyAndCount();
    const availability = await this.availability.load(entities.map((e) => e.id));
    return {
      items: entities.map((e) => toResourceLink(e, availability.get(e.id) ?? [])),
      total,
      page: query.page,
      limit: query.limit,
    };
  }

  async create(record: ResourceLinkRecord): Promise<LtiResourceLink> {
    return this.tx.run(async () => {
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

  async update(id: string, changes: ResourceLinkChanges): Promise<LtiResourceLink> {
    const { availableOrganizationIds, customParameters, ...rest } = changes;
    const columns = { ...rest, customParameters: customParameters && [...customParameters] };
    const defined = Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined));
    return this.tx.run(async () => {
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

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }

  async countForProvider(providerId: string): Promise<number> {
    return this.repo.countBy({ providerId });
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
