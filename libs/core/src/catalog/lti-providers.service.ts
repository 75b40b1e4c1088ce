import { Injectable } from '@nestjs/common';
import { formatCustomParameters } from '@tms/lti';
import { randomUUID } from 'node:crypto';
import { Principal } from '../access/principal';
import { TenantScope } from '../access/tenant-scope';
import { AuditSnapshot } from '../audit/audit-log';
import { changedFields } from '../audit/audit.service';
import { DomainError } from '../errors/domain-error';
import { FieldProblems } from '../errors/field-problems';
import { maskSecret } from '../security/secret-box';
import { Page, PageRequest } from '../shared/page';
import { CatalogAccess } from './catalog-access';
import { CatalogUsageRepository } from './catalog-usage.repository';
import { LtiProviderRepository, ProviderChanges } from './lti-provider.repository';
import { LtiResourceLinkRepository } from './lti-resource-link.repository';
import {
  CatalogStatus,
  DEFAULT_PRESENTATION,
  DEFAULT_PRIVACY,
  isLti1p3,
  LtiProvider,
  LtiVersion,
} from './lti-provider';
import { ToolKeyReadiness } from './tool-key-readiness';
import { parseCustomParametersField } from './provider-validation';
import { ProviderInput, ProviderSupport, sharedSecretContext } from './provider-support';

export interface ProviderQuery extends PageRequest {
  readonly organizationId?: string;
  readonly status?: CatalogStatus;
  readonly ltiVersion?: LtiVersion;
  readonly search?: string;
  /** Only providers usable in this (managed) organization. */
  readonly usableIn?: string;
}

/** A provider as one admin sees it: availability limited to what they manage, and whether they may change it. */
export type ProviderView = LtiProvider & { readonly managed: boolean };

export interface ProviderUsage {
  readonly resourceLinks: number;
  readonly activities: number;
}

@Injectable()
export class LtiProvidersService {
  constructor(
    private readonly providers: LtiProviderRepository,
    private readonly links: LtiResourceLinkRepository,
    private readonly usage: CatalogUsageRepository,
    private readonly catalog: CatalogAccess,
    private readonly support: ProviderSupport,
    private readonly keys: ToolKeyReadiness,
  ) {}

  async list(principal: Principal, query: ProviderQuery): Promise<Page<ProviderView>> {
    const scope = await this.catalog.scopeOf(principal);
    if (query.organizationId !== undefined) await this.catalog.require(scope, query.organizationId);
    if (query.usableIn !== undefined) await this.catalog.require(scope, query.usableIn);
    const page = await this.providers.list(scope, query);
    return { ...page, items: await this.views(scope, page.items) };
  }

  async get(principal: Principal, id: string): Promise<ProviderView> {
    const scope = await this.catalog.scopeOf(principal);
    const provider = await this.providers.findVisible(scope, id);
    if (!provider) throw DomainError.notFound('Provider');
    return (await this.views(scope, [provider]))[0];
  }

  async usageOf(principal: Principal, id: string): Promise<ProviderUsage> {
    await this.getManaged(await this.catalog.scopeOf(principal), id);
    return {
      resourceLinks: await this.links.countForProvider(id),
      activities: await this.usage.countActivitiesOfProvider(id),
    };
  }

  /** `issued`: the ids a tool already holds (it registered itself and was approved); new random ones otherwise. */
  async create(
    principal: Principal,
    input: ProviderInput,
    issued?: { readonly clientId: string; readonly deploymentId: string },
  ): Promise<ProviderView> {
    const scope = await this.catalog.scopeOf(principal);
    const problems = new FieldProblems();
    const organizationId = await problems.collectAsync(() =>
      this.catalog.chooseOrganization(scope, input.organizationId),
    );
    if (!input.name) problems.add('name', 'name is required');
    if (!input.ltiVersion) problems.add('ltiVersion', 'ltiVersion is required (1.1 or 1.3)');
    const customParameters = parseCustomParametersField(input.customParameters ?? '', 'customParameters', problems);
    const availableOrganizationIds = await this.catalog.resolveAvailability(
      scope,
      input.availableOrganizationIds,
      undefined,
      organizationId ?? '',
      problems,
    );
    const lti1p1 = input.ltiVersion === '1.1' ? this.support.lti1p1For(input, undefined, problems) : null;
    const lti1p3 =
      input.ltiVersion === '1.3' ? ((await this.support.lti1p3For(input, undefined, problems, scope)) ?? null) : null;
    this.support.refuseOtherVersionFields(input, problems);
    problems.throwIfAny();

    const id = randomUUID();
    return this.support.uow.run(async () => {
      const provider = await this.providers.create(scope, {
        id,
        organizationId: organizationId!,
        name: input.name!,
        ltiVersion: input.ltiVersion!,
        status: input.status ?? 'active',
        customParameters: customParameters!,
        privacy: {
          level: input.privacy ?? DEFAULT_PRIVACY.level,
          userIdSource: input.userIdSource ?? DEFAULT_PRIVACY.userIdSource,
        },
        presentation: {
          target: input.presentation ?? DEFAULT_PRESENTATION.target,
          width: input.frameWidth ?? null,
          height: input.frameHeight ?? null,
        },
        availableOrganizationIds,
        lti1p1: lti1p1 && {
          consumerKey: lti1p1.consumerKey,
          contentItemUrl: lti1p1.contentItemUrl,
          sealedSecret: this.support.secrets.seal(input.sharedSecret!, sharedSecretContext(id)),
          secretMask: maskSecret(input.sharedSecret!),
        },
        lti1p3: lti1p3 && { ...lti1p3, clientId: randomUUID(), deploymentId: randomUUID(), ...issued },
      });
      await this.support.audit.record({
        actorUserId: principal.userId,
        organizationId: provider.organizationId,
        entityType: 'lti_provider',
        entityId: provider.id,
        action: 'create',
        before: null,
        after: providerSnapshot(provider),
      });
      return (await this.views(scope, [provider]))[0];
    });
  }

  /** Every change checked first and written in one transaction with its audit entry. */
  async update(principal: Principal, id: string, input: ProviderInput): Promise<ProviderView> {
    const scope = await this.catalog.scopeOf(principal);
    const current = await this.getManaged(scope, id);
    const problems = new FieldProblems();
    if (input.ltiVersion !== undefined && input.ltiVersion !== current.ltiVersion) {
      problems.add('ltiVersion', 'The LTI version of a provider cannot change; create a new provider instead');
    }
    const organizationId =
      input.organizationId !== undefined
        ? await problems.collectAsync(() => this.catalog.chooseOrganization(scope, input.organizationId))
        : undefined;
    const changes: ProviderChanges = {
      name: input.name,
      organizationId,
      status: input.status,
      customParameters: parseCustomParametersField(input.customParameters, 'customParameters', problems),
      privacy:
        input.privacy !== undefined || input.userIdSource !== undefined
          ? {
              level: input.privacy ?? current.privacy.level,
              userIdSource: input.userIdSource ?? current.privacy.userIdSource,
            }
          : undefined,
      presentation:
        input.presentation !== undefined || input.frameWidth !== undefined || input.frameHeight !== undefined
          ? {
              target: input.presentation ?? current.presentation.target,
              width: input.frameWidth !== undefined ? input.frameWidth : current.presentation.width,
              height: input.frameHeight !== undefined ? input.frameHeight : current.presentation.height,
            }
          : undefined,
      availableOrganizationIds:
        input.availableOrganizationIds !== undefined
          ? await this.catalog.resolveAvailability(
              scope,
              input.availableOrganizationIds,
              current.availableOrganizationIds,
              current.organizationId,
              problems,
            )
          : undefined,
      lti1p1: current.ltiVersion === '1.1' ? this.support.lti1p1Changes(id, input, current, problems) : undefined,
      lti1p3: current.ltiVersion === '1.3' ? await this.support.lti1p3For(input, current, problems, scope) : undefined,
    };
    this.support.refuseOtherVersionFields({ ...input, ltiVersion: current.ltiVersion }, problems);
    problems.throwIfAny();

    return this.support.uow.run(async () => {
      const updated = await this.providers.update(scope, id, changes);
      const diff = changedFields(providerSnapshot(current), providerSnapshot(updated));
      if (input.sharedSecret !== undefined) {
        diff.before.sharedSecret = '(previous secret)';
        diff.after.sharedSecret = '(new secret)';
      }
      // A tool that was disabled, or whose key or services changed, keeps no token granted before.
      const revoking = ['status', 'jwksUrl', 'publicKeyPem', 'services'].some((field) => field in diff.after);
      if (revoking && current.ltiVersion === '1.3') await this.support.accessTokens.revokeForProvider(id, new Date());
      if (Object.keys(diff.after).length > 0) {
        await this.support.audit.record({
          actorUserId: principal.userId,
          organizationId: updated.organizationId,
          entityType: 'lti_provider',
          entityId: id,
          action: statusAction(current.status, updated.status),
          ...diff,
        });
      }
      return (await this.views(scope, [updated]))[0];
    });
  }

  /** Fetches a 1.3 tool's JWKS URL now: a provider waiting for the tool's key becomes ready once it serves one. */
  async checkKey(principal: Principal, id: string): Promise<ProviderView> {
    const scope = await this.catalog.scopeOf(principal);
    const current = await this.getManaged(scope, id);
    if (!isLti1p3(current)) throw DomainError.refused('Only an LTI 1.3 provider has a tool key to check');
    const key = await this.support.uow.run(async () => {
      const key = await this.keys.check(current);
      await this.support.audit.record({
        actorUserId: principal.userId,
        organizationId: current.organizationId,
        entityType: 'lti_provider',
        entityId: id,
        action: 'check_key',
        before: { keyStatus: current.lti1p3.key.status },
        after: { keyStatus: key.status, keyProblem: key.problem },
      });
      return key;
    });
    const checked = { ...current, lti1p3: { ...current.lti1p3, key } };
    return (await this.views(scope, [checked]))[0];
  }

  async delete(principal: Principal, id: string): Promise<void> {
    const scope = await this.catalog.scopeOf(principal);
    const current = await this.getManaged(scope, id);
    await this.support.uow.run(async () => {
      await this.providers.delete(scope, id);
      await this.support.audit.record({
        actorUserId: principal.userId,
        organizationId: current.organizationId,
        entityType: 'lti_provider',
        entityId: id,
        action: 'delete',
        before: providerSnapshot(current),
        after: null,
      });
    });
  }

  private async getManaged(scope: TenantScope, id: string): Promise<LtiProvider> {
    return this.catalog.requireManaged(scope, await this.providers.findVisible(scope, id), 'Provider');
  }

  private async views(scope: TenantScope, providers: readonly LtiProvider[]): Promise<ProviderView[]> {
    const views = await this.catalog.views(scope, providers);
    return providers.map((provider, index) => ({ ...provider, ...views[index] }));
  }
}

export function statusAction(before: CatalogStatus, after: CatalogStatus) {
  if (before === after) return 'update' as const;
  return after === 'disabled' ? ('disable' as const) : ('enable' as const);
}

/** What the audit log keeps of a provider: everything an admin set, never the secret. */
export function providerSnapshot(provider: LtiProvider): AuditSnapshot {
  return {
    name: provider.name,
    organizationId: provider.organizationId,
    ltiVersion: provider.ltiVersion,
    status: provider.status,
    customParameters: formatCustomParameters(provider.customParameters),
    privacy: provider.privacy.level,
    userIdSource: provider.privacy.userIdSource,
    presentation: provider.presentation.target,
    frameWidth: provider.presentation.width,
    frameHeight: provider.presentation.height,
    availableOrganizationIds: [...provider.availableOrganizationIds].sort(),
    ...(provider.lti1p1
      ? { consumerKey: provider.lti1p1.consumerKey, contentItemUrl: provider.lti1p1.contentItemUrl }
      : {}),
    ...(provider.lti1p3
      ? {
          clientId: provider.lti1p3.clientId,
          deploymentId: provider.lti1p3.deploymentId,
          loginUrl: provider.lti1p3.loginUrl,
          redirectUris: provider.lti1p3.redirectUris,
          targetLinkUri: provider.lti1p3.targetLinkUri,
          jwksUrl: provider.lti1p3.jwksUrl,
          keyStatus: provider.lti1p3.key.status,
          publicKeyPem: provider.lti1p3.publicKeyPem ? '(public key)' : null,
          services: provider.lti1p3.services,
          compatibility: provider.lti1p3.compatibility,
          platformStorage: provider.lti1p3.platformStorage,
          replacesProviderId: provider.lti1p3.replacesProviderId,
        }
      : {}),
  };
}
