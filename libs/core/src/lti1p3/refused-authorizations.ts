import { Injectable, Logger } from '@nestjs/common';
import type { AuthorizationRequest } from '@tms/lti';
import { AccessService } from '../access/access.service';
import { Principal } from '../access/principal';
import { isLti1p3, LtiProvider } from '../catalog/lti-provider';
import { LtiProviderRepository } from '../catalog/lti-provider.repository';
import { DomainError } from '../errors/domain-error';
import { Page, PageRequest } from '../shared/page';
import {
  NewRefusedAuthorization,
  RefusedAuthorization,
  RefusedAuthorizationRepository,
} from './refused-authorization.repository';

/** At most this many kept a minute per provider (and for unknown clients together): a flood costs bounded rows. */
export const REFUSALS_PER_MINUTE = 20;
/** Kept this long, then the expiry janitor deletes them. */
export const REFUSAL_RETENTION_DAYS = 30;
const MAX_VALUE = 300;
const MAX_URI = 2048;
const MAX_DESCRIPTION = 500;
/** Single-use hints we issued: enough of them kept to tell them apart, never enough to use. */
const HINTS = new Set(['login_hint', 'lti_message_hint']);
const HINT_SHOWN = 8;

const cut = (value: string, max: number) => (value.length > max ? `${value.slice(0, max)}…` : value);

/**
 * The parameters as kept: each capped, the hints shortened. The request carries no person's values
 * (our hints are opaque and random), so there is nothing else to redact.
 */
function keptParameters(request: AuthorizationRequest): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(request)) {
    if (typeof value !== 'string') continue;
    kept[name] = HINTS.has(name) ? cut(value, HINT_SHOWN) : cut(value, MAX_VALUE);
  }
  return kept;
}

/**
 * Refused LTI 1.3 authorization requests: kept (bounded) when the endpoint refuses one, listed on
 * the provider's page for the administrators of its organization and, unattributable ones, for
 * platform administrators only.
 */
@Injectable()
export class RefusedAuthorizations {
  private readonly logger = new Logger(RefusedAuthorizations.name);

  constructor(
    private readonly refusals: RefusedAuthorizationRepository,
    private readonly providers: LtiProviderRepository,
    private readonly access: AccessService,
  ) {}

  /** Never fails the answer to the tool: a refusal that cannot be kept is only logged. */
  async keep(request: AuthorizationRequest, provider: LtiProvider | null, error: string, description: string) {
    const refusal: NewRefusedAuthorization = {
      providerId: provider?.id ?? null,
      clientId: request.client_id ? cut(request.client_id, 250) : null,
      error: cut(error, 60),
      description: cut(description, MAX_DESCRIPTION - 1),
      parameters: keptParameters(request),
      redirectUri: request.redirect_uri ? cut(request.redirect_uri, MAX_URI - 1) : null,
      registeredRedirectUris: provider && isLti1p3(provider) ? provider.lti1p3.redirectUris : [],
    };
    try {
      await this.refusals.record(refusal, REFUSALS_PER_MINUTE);
    } catch (failure) {
      this.logger.warn({ err: failure, providerId: refusal.providerId }, 'Keeping a refused authorization failed');
    }
  }

  /** A provider's refusals, newest first: administrators of its organization. */
  async forProvider(principal: Principal, providerId: string, page: PageRequest): Promise<Page<RefusedAuthorization>> {
    const scope = await this.access.scope(principal);
    if (!(await this.providers.findOwned(scope, providerId))) throw DomainError.notFound('Provider');
    return this.refusals.list(providerId, page);
  }

  /** Refusals that name no provider we know: platform administrators only. */
  async unattributed(principal: Principal, page: PageRequest): Promise<Page<RefusedAuthorization>> {
    await this.access.platformScope(principal);
    return this.refusals.list(null, page);
  }

  async inspect(
    principal: Principal,
    id: string,
  ): Promise<{ refusal: RefusedAuthorization; provider: LtiProvider | null }> {
    const scope = await this.access.scope(principal);
    const refusal = await this.refusals.findById(id);
    if (!refusal) throw DomainError.notFound('Refused authorization');
    if (!refusal.providerId) {
      if (!scope.platformAdmin) throw DomainError.notFound('Refused authorization');
      return { refusal, provider: null };
    }
    const provider = await this.providers.findOwned(scope, refusal.providerId);
    if (!provider) throw DomainError.notFound('Refused authorization');
    return { refusal, provider };
  }

  /** The janitor's retention purge: a bounded DELETE, safe in every process at once. */
  purge(now: Date, limit = 5000): Promise<number> {
    return this.refusals.deleteOlderThan(new Date(now.getTime() - REFUSAL_RETENTION_DAYS * 86_400_000), limit);
  }
}
