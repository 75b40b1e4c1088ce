import { Injectable } from '@nestjs/common';
import { LtiProviderRepository } from '../catalog/lti-provider.repository';
import { isLti1p3, Lti1p3Provider } from '../catalog/lti-provider';
import { DomainError } from '../errors/domain-error';
import { AccessTokenRepository } from '../catalog/access-token.repository';
import { accessTokenHash } from './lti1p3-token.service';

/**
 * Who calls an LTI Advantage service (LTI Security 1.0 §4.1; RFC 6750 §3.1): a bearer token we
 * issued, unexpired and unrevoked, to an active tool, granted the scope the route needs. A missing
 * or bad token is `unauthenticated` (401), a missing scope `forbidden` (403); what lies outside the
 * tool's own contexts is for the route to answer 404.
 */
@Injectable()
export class ServiceAccess {
  constructor(
    private readonly tokens: AccessTokenRepository,
    private readonly providers: LtiProviderRepository,
  ) {}

  /** `scopes`: any one of them is enough (a read-only scope or the full one). */
  async authorize(
    authorization: string | undefined,
    scopes: string | readonly string[],
    now = new Date(),
  ): Promise<Lti1p3Provider> {
    const token = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(authorization ?? '')?.[1];
    const record = token ? await this.tokens.findUsable(accessTokenHash(token), now) : null;
    const provider = record ? await this.providers.findById(record.providerId) : null;
    if (!record || !provider || !isLti1p3(provider) || provider.status !== 'active') {
      throw new DomainError('unauthenticated', 'A valid access token from /lti/1p3/token is required');
    }
    const wanted = typeof scopes === 'string' ? [scopes] : scopes;
    if (!wanted.some((scope) => record.scopes.includes(scope))) {
      throw new DomainError('forbidden', `This access token was not granted the scope ${wanted.join(' or ')}`);
    }
    return provider;
  }
}
