import { Injectable } from '@nestjs/common';
import { claimRule } from '@tms/lti';
import { Principal } from '../access/principal';
import { CatalogAccess } from '../catalog/catalog-access';
import { LtiProvider } from '../catalog/lti-provider';
import { LtiProviderRepository } from '../catalog/lti-provider.repository';
import { DomainError } from '../errors/domain-error';
import { LaunchRecord, LaunchRepository } from './launch.repository';

export interface InspectedClaim {
  readonly name: string;
  readonly value: unknown;
  readonly rule: string;
}

export interface InspectedLaunch {
  readonly launch: LaunchRecord;
  readonly provider: LtiProvider;
  /** LTI 1.3: the id_token's claims one by one, with the rule each satisfies. */
  readonly claims: readonly InspectedClaim[];
}

/**
 * The launch inspector for administrators: what a recorded launch sent and why. Only launches of
 * providers whose organization the administrator manages; personal values were never kept.
 */
@Injectable()
export class LaunchInspector {
  constructor(
    private readonly launches: LaunchRepository,
    private readonly providers: LtiProviderRepository,
    private readonly catalog: CatalogAccess,
  ) {}

  async recent(principal: Principal, providerId: string, limit = 10): Promise<LaunchRecord[]> {
    const scope = await this.catalog.scopeOf(principal);
    if (!(await this.providers.findOwned(scope, providerId))) throw DomainError.notFound('Provider');
    return this.launches.listForProvider(providerId, limit);
  }

  async inspect(principal: Principal, launchId: string): Promise<InspectedLaunch> {
    const scope = await this.catalog.scopeOf(principal);
    const launch = await this.launches.findById(launchId);
    const provider = launch && (await this.providers.findOwned(scope, launch.providerId));
    if (!launch || !provider) throw DomainError.notFound('Launch');
    const claims =
      launch.sent?.version === '1.3'
        ? Object.entries(launch.sent.claims).map(([name, value]) => ({ name, value, rule: claimRule(name) }))
        : [];
    return { launch, provider, claims };
  }
}
