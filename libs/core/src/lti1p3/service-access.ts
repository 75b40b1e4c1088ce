import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { LtiProviderRepository } from '../catalog/lti-provider.repository';
import { isLti1p3, Lti1p3Provider } from '../catalog/lti-provider';
import { DomainError } from '../errors/domain-error';
import { AccessTokenRecord, AccessTokenRepository } from '../catalog/access-token.repository';
import { accessTokenHash } from './lti1p3-token.service';

/** A tool authenticated by its bearer token; the hash names the token in a later check. */
export interface CallingToolToken {
  readonly provider: Lti1p3Provider;
  readonly tokenHash: string;
}

/** Tokens this process accepted recently; a tool keeps one for the hour it lasts. */
const MAX_CACHED_TOKENS = 10_000;

/**
 * Who calls an LTI Advantage service (LTI Security 1.0 §4.1; RFC 6750 §3.1): a bearer token we
 * issued, unexpired and unrevoked, to an active tool, granted the scope the route needs. A missing
 * or bad token is `unauthenticated` (401), a missing scope `forbidden` (403); what lies outside the
 * tool's own contexts is for the route to answer 404.
 */
@Injectable()
export class ServiceAccess {
  private readonly accepted = new LRUCache<string, { record: AccessTokenRecord; provider: Lti1p3Provider }>({
    max: MAX_CACHED_TOKENS,
  });

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
    return (await this.authorizeToken(authorization, scopes, now, false)).provider;
  }

  /**
   * Like {@link authorize}, but a token this process accepted before is taken from its cache: the
   * route must check in its own statement that the token is still usable by an active tool (another
   * process may have revoked it or disabled the tool), and {@link forget} it if not.
   */
  authorizeRechecked(
    authorization: string | undefined,
    scopes: string | readonly string[],
    now = new Date(),
  ): Promise<CallingToolToken> {
    return this.authorizeToken(authorization, scopes, now, true);
  }

  forget(tokenHash: string): void {
    this.accepted.delete(tokenHash);
  }

  private async authorizeToken(
    authorization: string | undefined,
    scopes: string | readonly string[],
    now: Date,
    cached: boolean,
  ): Promise<CallingToolToken> {
    const token = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(authorization ?? '')?.[1];
    const tokenHash = token ? accessTokenHash(token) : null;
    const known = cached && tokenHash ? this.accepted.get(tokenHash) : undefined;
    const found = known && known.record.expiresAt > now ? known : tokenHash ? await this.lookUp(tokenHash, now) : null;
    if (!found || !tokenHash) {
      throw new DomainError('unauthenticated', 'A valid access token from /lti/1p3/token is required');
    }
    const wanted = typeof scopes === 'string' ? [scopes] : scopes;
    if (!wanted.some((scope) => found.record.scopes.includes(scope))) {
      throw new DomainError('forbidden', `This access token was not granted the scope ${wanted.join(' or ')}`);
    }
    return { provider: found.provider, tokenHash };
  }

  private async lookUp(tokenHash: string, now: Date) {
    const record = await this.tokens.findUsable(tokenHash, now);
    const provider = record ? await this.providers.findById(record.providerId) : null;
    if (!record || !provider || !isLti1p3(provider) || provider.status !== 'active') return null;
    this.accepted.set(tokenHash, { record, provider });
    return { record, provider };
  }
}
