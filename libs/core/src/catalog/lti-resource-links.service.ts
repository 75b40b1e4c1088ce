import { Injectable } from '@nestjs/common';
import { formatCustomParameters } from '@tms/lti';
import { Principal } from '../access/principal';
import { TenantScope } from '../access/tenant-scope';
import { AuditLog, AuditSnapshot } from '../audit/audit-log';
import { changedFields } from '../audit/audit.service';
import { DomainError } from '../errors/domain-error';
import { FieldProblems } from '../errors/field-problems';
import { Page, PageRequest } from '../shared/page';
import { UnitOfWork } from '../shared/unit-of-work';
import { CatalogAccess, isAvailableIn } from './catalog-access';
import { CatalogUsageRepository } from './catalog-usage.repository';
import { LtiProviderRepository } from './lti-provider.repository';
import { LtiResourceLinkRepository, NamedResourceLink } from './lti-resource-link.repository';
import { CatalogStatus, LtiProvider } from './lti-provider';
import { statusAction } from './lti-providers.service';
import { LtiResourceLink } from './lti-resource-link';
import { parseCustomParametersField, toolUrlField } from './provider-validation';

export interface ResourceLinkInput {
  readonly name?: string;
  readonly organizationId?: string;
  readonly providerId?: string;
  readonly url?: string;
  readonly customParameters?: string;
  readonly requiresScoreForCompletion?: boolean;
  readonly passingScore?: number | null;
  readonly status?: CatalogStatus;
  readonly availableOrganizationIds?: readonly string[];
}

export interface ResourceLinkQuery extends PageRequest {
  readonly organizationId?: string;
  readonly providerId?: string;
  readonly status?: CatalogStatus;
  readonly search?: string;
  /** Only links that can be placed in a course of this (managed) organization. */
  readonly usableIn?: string;
}

export interface ResourceLinkView extends LtiResourceLink {
  readonly managed: boolean;
  readonly providerName: string;
}

@Injectable()
export class LtiResourceLinksService {
  constructor(
    private readonly links: LtiResourceLinkRepository,
    private readonly providers: LtiProviderRepository,
    private readonly usage: CatalogUsageRepository,
    private readonly catalog: CatalogAccess,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditLog,
  ) {}

  async list(principal: Principal, query: ResourceLinkQuery): Promise<Page<ResourceLinkView>> {
    const scope = await this.catalog.scopeOf(principal);
    if (query.organizationId !== undefined) await this.catalog.require(scope, query.organizationId);
    if (query.usableIn !== undefined) await this.catalog.require(scope, query.usableIn);
    const page = await this.links.list(scope, query);
    return { ...page, items: await this.views(scope, page.items) };
  }

  async get(principal: Principal, id: string): Promise<ResourceLinkView> {
    const scope = await this.catalog.scopeOf(principal);
    const link = await this.links.findVisible(scope, id);
    if (!link) throw DomainError.notFound('Resource link');
    return (await this.views(scope, [link]))[0];
  }

  async countActivities(principal: Principal, id: string): Promise<number> {
    await this.getManaged(await this.catalog.scopeOf(principal), id);
    return this.usage.countActivitiesOfLink(id);
  }

  async create(principal: Principal, input: ResourceLinkInput): Promise<ResourceLinkView> {
    const scope = await this.catalog.scopeOf(principal);
    const problems = new FieldProblems();
    const organizationId = await problems.collectAsync(() =>
      this.catalog.chooseOrganization(scope, input.organizationId),
    );
    if (!input.name) problems.add('name', 'name is required');
    if (!input.url) problems.add('url', 'url is required');
    const url = toolUrlField(input.url || undefined, 'url', problems);
    const customParameters = parseCustomParametersField(input.customParameters ?? '', 'customParameters', problems);
    const requiresScore = input.requiresScoreForCompletion ?? false;
    checkPassingScore(requiresScore, input.passingScore ?? null, problems);
    const availability = await this.catalog.resolveAvailability(
      scope,
      input.availableOrganizationIds,
      undefined,
      organizationId ?? '',
      problems,
    );
    const provider = await this.usableProvider(scope, input.providerId, organizationId, availability, problems);
    problems.throwIfAny();

    return this.uow.run(async () => {
      const link = await this.links.create(scope, {
        organizationId: organizationId!,
        providerId: provider!.id,
        name: input.name!,
        url: url!,
        customParameters: customParameters!,
        requiresScoreForCompletion: requiresScore,
        passingScore: input.passingScore ?? null,
        status: input.status ?? 'active',
        availableOrganizationIds: availability,
      });
      await this.record(principal, link, 'create', null, linkSnapshot(link));
      return (await this.views(scope, [{ ...link, providerName: provider!.name }]))[0];
    });
  }

  async update(principal: Principal, id: string, input: ResourceLinkInput): Promise<ResourceLinkView> {
    const scope = await this.catalog.scopeOf(principal);
    const current = await this.getManaged(scope, id);
    const problems = new FieldProblems();
    if (input.providerId !== undefined && input.providerId !== current.providerId) {
      problems.add('providerId', 'The provider of a resource link cannot change; create a new link instead');
    }
    if (input.organizationId !== undefined && !(await this.catalog.covers(scope, input.organizationId))) {
      problems.add('organizationId', 'Choose an organization you manage');
    }
    const organizationId = input.organizationId ?? current.organizationId;
    const requiresScore = input.requiresScoreForCompletion ?? current.requiresScoreForCompletion;
    // Turning the score requirement off drops a passing score that would no longer mean anything.
    const passingScore =
      input.passingScore !== undefined ? input.passingScore : requiresScore ? current.passingScore : null;
    checkPassingScore(requiresScore, passingScore, problems);
    const availability =
      input.availableOrganizationIds !== undefined
        ? await this.catalog.resolveAvailability(
            scope,
            input.availableOrganizationIds,
            current.availableOrganizationIds,
            organizationId,
            problems,
          )
        : undefined;
    if (input.organizationId !== undefined || availability !== undefined) {
      const provider = await this.providers.findVisible(scope, current.providerId);
      if (!provider) problems.add('providerId', 'The provider of this link is not available to your organizations');
      else
        await this.checkProviderReaches(
          provider,
          organizationId,
          availability ?? current.availableOrganizationIds,
          problems,
        );
    }
    const changes = {
      name: input.name,
      organizationId: input.organizationId,
      url: toolUrlField(input.url, 'url', problems),
      customParameters: parseCustomParametersField(input.customParameters, 'customParameters', problems),
      requiresScoreForCompletion: input.requiresScoreForCompletion,
      passingScore,
      status: input.status,
      availableOrganizationIds: availability,
    };
    problems.throwIfAny();

    return this.uow.run(async () => {
      const updated = await this.links.update(scope, id, changes);
      const diff = changedFields(linkSnapshot(current), linkSnapshot(updated));
      if (Object.keys(diff.after).length > 0) {
        await this.record(principal, updated, statusAction(current.status, updated.status), diff.before, diff.after);
      }
      return (await this.views(scope, [{ ...updated, providerName: current.providerName }]))[0];
    });
  }

  async delete(principal: Principal, id: string): Promise<void> {
    const scope = await this.catalog.scopeOf(principal);
    const current = await this.getManaged(scope, id);
    await this.uow.run(async () => {
      await this.links.delete(scope, id);
      await this.record(principal, current, 'delete', linkSnapshot(current), null);
    });
  }

  /** The provider must be visible to the admin and usable where the link lives and is offered. */
  private async usableProvider(
    scope: TenantScope,
    providerId: string | undefined,
    organizationId: string | undefined,
    availability: readonly string[],
    problems: FieldProblems,
  ): Promise<LtiProvider | undefined> {
    if (!providerId) {
      problems.add('providerId', 'providerId is required');
      return undefined;
    }
    const provider = await this.providers.findVisible(scope, providerId);
    if (!provider) {
      problems.add('providerId', 'Choose a provider available to the organization');
      return undefined;
    }
    if (organizationId) await this.checkProviderReaches(provider, organizationId, availability, problems);
    return provider;
  }

  private async checkProviderReaches(
    provider: LtiProvider,
    organizationId: string,
    availability: readonly string[],
    problems: FieldProblems,
  ): Promise<void> {
    if (!isAvailableIn(provider.availableOrganizationIds, await this.catalog.lineageOf(organizationId))) {
      problems.add('providerId', `The provider “${provider.name}” is not available to the link’s organization`);
      return;
    }
    for (const id of availability) {
      if (!isAvailableIn(provider.availableOrganizationIds, await this.catalog.lineageOf(id))) {
        problems.add(
          'availableOrganizationIds',
          `The provider “${provider.name}” is not available in every organization chosen; make it available there first`,
        );
        return;
      }
    }
  }

  private async getManaged(scope: TenantScope, id: string): Promise<NamedResourceLink> {
    return this.catalog.requireManaged(scope, await this.links.findVisible(scope, id), 'Resource link');
  }

  private record(
    principal: Principal,
    link: LtiResourceLink,
    action: 'create' | 'update' | 'delete' | 'disable' | 'enable',
    before: AuditSnapshot | null,
    after: AuditSnapshot | null,
  ) {
    return this.audit.record({
      actorUserId: principal.userId,
      organizationId: link.organizationId,
      entityType: 'lti_resource_link',
      entityId: link.id,
      action,
      before,
      after,
    });
  }

  private async views(scope: TenantScope, links: readonly NamedResourceLink[]): Promise<ResourceLinkView[]> {
    const views = await this.catalog.views(scope, links);
    return links.map((link, index) => ({ ...link, ...views[index] }));
  }
}

function checkPassingScore(requiresScore: boolean, passingScore: number | null, problems: FieldProblems): void {
  if (passingScore === null) return;
  if (!requiresScore) problems.add('passingScore', 'A passing score applies only when the resource requires a score');
  else if (!(passingScore >= 0 && passingScore <= 100))
    problems.add('passingScore', 'passingScore must be 0 to 100 (percent)');
}

export function linkSnapshot(link: LtiResourceLink): AuditSnapshot {
  return {
    name: link.name,
    organizationId: link.organizationId,
    providerId: link.providerId,
    url: link.url,
    customParameters: formatCustomParameters(link.customParameters),
    requiresScoreForCompletion: link.requiresScoreForCompletion,
    passingScore: link.passingScore,
    status: link.status,
    availableOrganizationIds: [...link.availableOrganizationIds].sort(),
  };
}
