import { Injectable } from '@nestjs/common';
import {
  DomainError,
  isUuid,
  LtiProvider,
  LtiProviderRepository,
  Page,
  pageOffset,
  ProviderChanges,
  ProviderListQuery,
  ProviderRecord,
  TenantScope,
  ToolKeyState,
  countHorizon,
} from '@tms/core';
import { SelectQueryBuilder } from 'typeorm';
import { TransactionContext } from '../database/transaction-context';
import { LtiProviderEntity } from '../entities';
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

const NAME_TAKEN = () => DomainError.conflictOn('name', 'A provider with this name already exists in the organization');

export function toProvider(entity: LtiProviderEntity, availableOrganizationIds: readonly string[]): LtiProvider {
  const common = {
    id: entity.id,
    organizationId: entity.organizationId,
    name: entity.name,
    status: entity.status,
    customParameters: entity.customParameters,
    privacy: { level: entity.privacyLevel, userIdSource: entity.userIdSource },
    presentation: {
      target: entity.presentationTarget,
      width: entity.presentationWidth,
      height: entity.presentationHeight,
    },
    availableOrganizationIds,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
  if (entity.ltiVersion === '1.1') {
    const lti1p1 = {
      consumerKey: entity.consumerKey ?? '',
      secretMask: entity.sharedSecretMask ?? '',
      contentItemUrl: entity.contentItemUrl,
    };
    return { ...common, ltiVersion: '1.1', lti1p1, lti1p3: null };
  }
  const lti1p3 = {
    clientId: entity.clientId ?? '',
    deploymentId: entity.deploymentId ?? '',
    loginUrl: entity.loginUrl ?? '',
    redirectUris: entity.redirectUris ?? [],
    targetLinkUri: entity.targetLinkUri ?? '',
    jwksUrl: entity.jwksUrl,
    publicKeyPem: entity.publicKeyPem,
    key: { status: entity.keyStatus ?? 'ready', problem: entity.keyProblem, checkedAt: entity.keyCheckedAt },
    services: entity.services,
    compatibility: entity.compatibility,
    platformStorage: entity.platformStorage,
    replacesProviderId: entity.replacesProviderId,
  };
  return { ...common, ltiVersion: '1.3', lti1p1: null, lti1p3 };
}

/** A key problem is a message of ours, kept within its column. */
function keyColumns(key: ToolKeyState | null) {
  return {
    keyStatus: key?.status ?? null,
    keyProblem: key?.problem?.slice(0, 500) ?? null,
    keyCheckedAt: key?.checkedAt ?? null,
  };
}

@Injectable()
export class TypeOrmLtiProviderRepository extends LtiProviderRepository {
  private readonly availability: AvailabilityTable;

  constructor(private readonly tx: TransactionContext) {
    super();
    this.availability = new AvailabilityTable(tx, 'lti_provider_availability', 'provider_id');
  }

  private get repo() {
    return this.tx.repository(LtiProviderEntity);
  }

  async findById(id: string): Promise<LtiProvider | null> {
    return (await this.withAvailability(this.repo.createQueryBuilder('p').where('p.id = :id', { id })))[0] ?? null;
  }

  async findByIds(ids: readonly string[]): Promise<LtiProvider[]> {
    const candidates = [...new Set(ids)].filter(isUuid);
    if (candidates.length === 0) return [];
    return this.withAvailability(this.repo.createQueryBuilder('p').where('p.id = ANY(:ids)', { ids: candidates }));
  }

  async recordKeyCheck(id: string, key: ToolKeyState): Promise<void> {
    await this.repo.update({ id, ltiVersion: '1.3' }, keyColumns(key));
  }

  async findByConsumerKey(consumerKey: string): Promise<LtiProvider[]> {
    const query = this.repo
      .createQueryBuilder('p')
      .where(`p.consumer_key = :consumerKey AND p.lti_version = '1.1'`, { consumerKey })
      .orderBy('p.created_at', 'ASC')
      .limit(20);
    return this.withAvailability(query);
  }

  private async withAvailability(query: SelectQueryBuilder<LtiProviderEntity>): Promise<LtiProvider[]> {
    const rows = await this.availability.withAvailability(query, 'p');
    return rows.map(({ entity, availability }) => toProvider(entity, availability));
  }

  async findSealedSecret(id: string): Promise<string | null> {
    if (!isUuid(id)) return null;
    const [row] = await this.tx.prepared<{ sealed: string | null }>(
      'SELECT shared_secret_sealed AS sealed FROM lti_providers WHERE id = $1',
      [id],
    );
    return row?.sealed ?? null;
  }

  async findVisible(scope: TenantScope, id: string): Promise<LtiProvider | null> {
    if (!isUuid(id)) return null;
    const entity = await this.visible(scope).andWhere('p.id = :id', { id }).getOne();
    return entity && toProvider(entity, (await this.availability.load([id])).get(id) ?? []);
  }

  async list(scope: TenantScope, query: ProviderListQuery): Promise<Page<LtiProvider>> {
    const qb = this.visible(scope, await listScope(this.tx, scope))
      .orderBy('lower(p.name)', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .skip(pageOffset(query))
      .take(query.limit);
    if (query.organizationId)
      qb.andWhere('p.organization_id = :organizationId', { organizationId: query.organizationId });
    if (query.status) qb.andWhere('p.status = :status', { status: query.status });
    if (query.ltiVersion) qb.andWhere('p.lti_version = :ltiVersion', { ltiVersion: query.ltiVersion });
    if (query.search) qb.andWhere(`p.name ILIKE :search ESCAPE '\\'`, { search: likeContains(query.search) });
    if (query.usableIn) {
      qb.andWhere(`p.status = 'active' AND ${this.availability.availableWhere('p', (c) => atOrAbove(c, 'usableIn'))}`, {
        usableIn: query.usableIn,
      });
    }
    const counted = await countUpTo(this.tx, qb, countHorizon(query));
    const entities = await qb.getMany();
    const availability = await this.availability.load(entities.map((e) => e.id));
    return {
      items: entities.map((e) => toProvider(e, availability.get(e.id) ?? [])),
      ...counted,
      page: query.page,
      limit: query.limit,
    };
  }

  async listOwned(scope: TenantScope): Promise<LtiProvider[]> {
    const entities = await this.repo
      .createQueryBuilder('p')
      .where(inScope('p.organization_id'), scopeParameters(scope))
      .orderBy('lower(p.name)', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .getMany();
    const availability = await this.availability.load(entities.map((e) => e.id));
    return entities.map((e) => toProvider(e, availability.get(e.id) ?? []));
  }

  /** Owned by an organization the scope covers, or available somewhere it covers. */
  private visible(scope: TenantScope, covered: ScopeCondition = inScope) {
    return this.repo
      .createQueryBuilder('p')
      .where(
        `(${covered('p.organization_id')} OR ${this.availability.availableWhere('p', (c) => inReach(c, covered))})`,
        scopeParameters(scope),
      );
  }

  async findOwned(scope: TenantScope, id: string): Promise<LtiProvider | null> {
    if (!isUuid(id)) return null;
    const entity = await this.repo
      .createQueryBuilder('p')
      .where('p.id = :id', { id })
      .andWhere(inScope('p.organization_id'), scopeParameters(scope))
      .getOne();
    return entity && toProvider(entity, (await this.availability.load([id])).get(id) ?? []);
  }

  private async requireOwned(scope: TenantScope, id: string): Promise<void> {
    if (!(await this.findOwned(scope, id))) throw DomainError.notFound('Provider');
  }

  async create(scope: TenantScope, record: ProviderRecord): Promise<LtiProvider> {
    const entity = this.repo.create({
      id: record.id,
      organizationId: record.organizationId,
      name: record.name,
      ltiVersion: record.ltiVersion,
      status: record.status,
      customParameters: [...record.customParameters],
      privacyLevel: record.privacy.level,
      userIdSource: record.privacy.userIdSource,
      presentationTarget: record.presentation.target,
      presentationWidth: record.presentation.width,
      presentationHeight: record.presentation.height,
      consumerKey: record.lti1p1?.consumerKey ?? null,
      sharedSecretSealed: record.lti1p1?.sealedSecret ?? null,
      sharedSecretMask: record.lti1p1?.secretMask ?? null,
      contentItemUrl: record.lti1p1?.contentItemUrl ?? null,
      clientId: record.lti1p3?.clientId ?? null,
      deploymentId: record.lti1p3?.deploymentId ?? null,
      loginUrl: record.lti1p3?.loginUrl ?? null,
      redirectUris: record.lti1p3 ? [...record.lti1p3.redirectUris] : null,
      targetLinkUri: record.lti1p3?.targetLinkUri ?? null,
      jwksUrl: record.lti1p3?.jwksUrl ?? null,
      publicKeyPem: record.lti1p3?.publicKeyPem ?? null,
      ...keyColumns(record.lti1p3?.key ?? null),
      services: [...(record.lti1p3?.services ?? [])],
      compatibility: [...(record.lti1p3?.compatibility ?? [])],
      platformStorage: record.lti1p3?.platformStorage ?? false,
      replacesProviderId: record.lti1p3?.replacesProviderId ?? null,
    });
    return this.tx.run(async () => {
      await requireCovered(this.tx, scope, record.organizationId, 'Organization');
      try {
        await this.repo.insert(entity);
      } catch (error) {
        if (isUniqueViolation(error, 'lti_providers_name_uq')) throw NAME_TAKEN();
        throw error;
      }
      await this.availability.replace(record.id, record.availableOrganizationIds);
      return (await this.findById(record.id))!;
    });
  }

  async update(scope: TenantScope, id: string, changes: ProviderChanges): Promise<LtiProvider> {
    const columns: Partial<LtiProviderEntity> = {
      name: changes.name,
      organizationId: changes.organizationId,
      status: changes.status,
      customParameters: changes.customParameters && [...changes.customParameters],
      privacyLevel: changes.privacy?.level,
      userIdSource: changes.privacy?.userIdSource,
      presentationTarget: changes.presentation?.target,
      presentationWidth: changes.presentation?.width,
      presentationHeight: changes.presentation?.height,
      consumerKey: changes.lti1p1?.consumerKey,
      sharedSecretSealed: changes.lti1p1?.sealedSecret,
      sharedSecretMask: changes.lti1p1?.secretMask,
      contentItemUrl: changes.lti1p1?.contentItemUrl,
      loginUrl: changes.lti1p3?.loginUrl,
      redirectUris: changes.lti1p3 && [...changes.lti1p3.redirectUris],
      targetLinkUri: changes.lti1p3?.targetLinkUri,
      jwksUrl: changes.lti1p3 ? changes.lti1p3.jwksUrl : undefined,
      publicKeyPem: changes.lti1p3 ? changes.lti1p3.publicKeyPem : undefined,
      ...(changes.lti1p3 ? keyColumns(changes.lti1p3.key) : {}),
      services: changes.lti1p3 && [...changes.lti1p3.services],
      compatibility: changes.lti1p3 && [...changes.lti1p3.compatibility],
      platformStorage: changes.lti1p3?.platformStorage,
      replacesProviderId: changes.lti1p3?.replacesProviderId,
    };
    const defined = Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined));
    return this.tx.run(async () => {
      await this.requireOwned(scope, id);
      if (changes.organizationId) await requireCovered(this.tx, scope, changes.organizationId, 'Organization');
      try {
        // Always touched, so updated_at moves even when only the availability changed.
        const { affected } = await this.repo.update({ id }, { ...defined, updatedAt: new Date() });
        // Deleted meanwhile (a concurrent request): not found, before availability rows would dangle.
        if (!affected) throw DomainError.notFound('LTI provider');
      } catch (error) {
        if (isUniqueViolation(error, 'lti_providers_name_uq')) throw NAME_TAKEN();
        throw error;
      }
      if (changes.availableOrganizationIds) await this.availability.replace(id, changes.availableOrganizationIds);
      return (await this.findById(id))!;
    });
  }

  async delete(scope: TenantScope, id: string): Promise<void> {
    await this.tx.run(async () => {
      await this.requireOwned(scope, id);
      await this.repo.delete({ id });
    });
  }
}
