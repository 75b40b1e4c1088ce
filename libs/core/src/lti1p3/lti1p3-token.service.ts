import { Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { checkTokenRequest, grantedScopes, OAuthErrorCode, TokenRequestCheck } from '@tms/lti';
import { isLti1p3, Lti1p3Provider } from '../catalog/lti-provider';
import { DomainError } from '../errors/domain-error';
import { PlatformUrls } from '../launch/platform-urls';
import { Lti1p3Clients } from './lti1p3-clients';
import { TokenGrantRepository } from './token-grant.repository';
import { ToolKeys, toolJwtFailure } from './tool-keys';

/** An hour, as most platforms grant; a tool asks again when it expires. */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 3600;
/** Leeway on a client assertion's `iat`/`exp`, and the longest it may live (LTI Security 1.0 §4.1.1). */
const CLOCK_TOLERANCE_SECONDS = 60;
const ASSERTION_MAX_AGE = '10m';

/** A token request whose form is valid; its assertion is not checked yet. */
type TokenRequest = Extract<TokenRequestCheck, { ok: true }>;

/** The token response (RFC 6749 §5.1). */
export interface IssuedAccessToken {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly scope: string;
}

/**
 * A token request refused, with its RFC 6749 §5.2 error code. A client that failed to authenticate
 * (`invalid_client`) is `unauthenticated`; anything else is a refused request.
 */
export class TokenRequestRefused extends DomainError {
  constructor(
    readonly oauthError: OAuthErrorCode,
    description: string,
  ) {
    super(oauthError === 'invalid_client' ? 'unauthenticated' : 'validation_failed', description);
    this.name = 'TokenRequestRefused';
  }
}

/** SHA-256 hex: what is stored and looked up instead of the token. */
export function accessTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The token endpoint (`/lti/1p3/token`): OAuth 2.0 client credentials with a JWT client assertion
 * (`private_key_jwt`, RFC 7523). The assertion must be signed RS256 by the tool's registered key,
 * with `iss` = `sub` = its client_id, our token URL in `aud`, an unexpired `exp`, an `iat` not in
 * the future, and a `jti` never used before. The scope granted is what was asked and is allowed.
 */
@Injectable()
export class Lti1p3TokenService {
  private readonly logger = new Logger(Lti1p3TokenService.name);

  constructor(
    private readonly clients: Lti1p3Clients,
    private readonly toolKeys: ToolKeys,
    private readonly grants: TokenGrantRepository,
    private readonly urls: PlatformUrls,
  ) {}

  /**
   * With the tool this process keeps, a request costs one SQL round trip (the grant's statement,
   * which checks the kept tool is still current). A kept tool that fails the signature or the
   * statement's check is read again and the request decided on it, so that every refusal and every
   * token rests on the tool as it is now.
   */
  async issue(params: Readonly<Record<string, unknown>>, now = new Date()): Promise<IssuedAccessToken> {
    const request = checkTokenRequest(params);
    if (!request.ok) throw new TokenRequestRefused(request.error, request.description);
    const clientId = issuerOf(request.assertion);
    const kept = clientId === null ? undefined : this.clients.cached(clientId)?.provider;
    if (kept) {
      const issued = await this.attempt(request, kept, true, now);
      if (issued) return issued;
      this.clients.forget(kept.lti1p3.clientId);
    }
    const provider = clientId === null ? null : (await this.clients.read(clientId))?.provider;
    if (!provider || !isLti1p3(provider) || provider.status !== 'active') throw unknownClient();
    return (await this.attempt(request, provider, false, now))!;
  }

  /** The request decided on `provider`; null (nothing written) when a kept one may be out of date. */
  private async attempt(
    request: TokenRequest,
    provider: Lti1p3Provider,
    kept: boolean,
    now: Date,
  ): Promise<IssuedAccessToken | null> {
    let payload: Record<string, unknown>;
    try {
      payload = await this.toolKeys.verify(provider, request.assertion, {
        issuer: provider.lti1p3.clientId,
        subject: provider.lti1p3.clientId,
        audience: this.urls.url('token'),
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        maxTokenAge: ASSERTION_MAX_AGE,
        requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti'],
      });
    } catch (error) {
      if (kept) return null;
      this.logger.log({ providerId: provider.id, reason: toolJwtFailure(error) }, 'Client assertion refused');
      throw new TokenRequestRefused('invalid_client', `The client assertion is not valid: ${toolJwtFailure(error)}`);
    }
    const scopes = grantedScopes(request.scopes, provider.lti1p3.services);
    const token = randomBytes(32).toString('base64url');
    const outcome = await this.grants.grant({
      client: provider,
      jti: String(payload.jti).slice(0, 200),
      jtiExpiresAt: new Date((Number(payload.exp) + CLOCK_TOLERANCE_SECONDS) * 1000),
      tokenHash: accessTokenHash(token),
      scopes,
      expiresAt: new Date(now.getTime() + ACCESS_TOKEN_LIFETIME_SECONDS * 1000),
    });
    if (outcome === 'client_changed') {
      if (kept) return null;
      throw unknownClient();
    }
    if (outcome === 'jti_used') {
      throw new TokenRequestRefused('invalid_client', 'This client assertion (jti) was already used');
    }
    if (scopes.length === 0) {
      throw new TokenRequestRefused('invalid_scope', 'None of the requested scopes is allowed for this tool');
    }
    return {
      access_token: token,
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
      scope: scopes.join(' '),
    };
  }
}

function unknownClient(): TokenRequestRefused {
  return new TokenRequestRefused('invalid_client', 'The client assertion names no registered LTI 1.3 tool');
}

/** The client the (not yet verified) assertion names in `iss`, if it can be read. */
function issuerOf(assertion: string): string | null {
  try {
    const issuer = decodeJwt(assertion).iss;
    return typeof issuer === 'string' ? issuer : null;
  } catch {
    return null;
  }
}
