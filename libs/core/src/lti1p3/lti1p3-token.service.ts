import { Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { checkTokenRequest, grantedScopes, OAuthErrorCode } from '@tms/lti';
import { LtiProviderRepository } from '../catalog/lti-provider.repository';
import { isLti1p3, Lti1p3Provider } from '../catalog/lti-provider';
import { DomainError } from '../errors/domain-error';
import { PlatformUrls } from '../launch/platform-urls';
import { AccessTokenRepository } from '../catalog/access-token.repository';
import { ToolJwtIdRepository } from './tool-jwt-id.repository';
import { ToolKeys, toolJwtFailure } from './tool-keys';

/** An hour, as most platforms grant; a tool asks again when it expires. */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 3600;
/** Leeway on a client assertion's `iat`/`exp`, and the longest it may live (LTI Security 1.0 §4.1.1). */
const CLOCK_TOLERANCE_SECONDS = 60;
const ASSERTION_MAX_AGE = '10m';

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
    private readonly providers: LtiProviderRepository,
    private readonly toolKeys: ToolKeys,
    private readonly jwtIds: ToolJwtIdRepository,
    private readonly tokens: AccessTokenRepository,
    private readonly urls: PlatformUrls,
  ) {}

  async issue(params: Readonly<Record<string, unknown>>, now = new Date()): Promise<IssuedAccessToken> {
    const request = checkTokenRequest(params);
    if (!request.ok) throw new TokenRequestRefused(request.error, request.description);
    const provider = await this.client(request.assertion);
    if (!provider)
      throw new TokenRequestRefused('invalid_client', 'The client assertion names no registered LTI 1.3 tool');
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
      this.logger.log({ providerId: provider.id, reason: toolJwtFailure(error) }, 'Client assertion refused');
      throw new TokenRequestRefused('invalid_client', `The client assertion is not valid: ${toolJwtFailure(error)}`);
    }
    const jti = String(payload.jti).slice(0, 200);
    const expiresAt = new Date((Number(payload.exp) + CLOCK_TOLERANCE_SECONDS) * 1000);
    if (!(await this.jwtIds.consume(provider.id, 'client_assertion', jti, expiresAt))) {
      throw new TokenRequestRefused('invalid_client', 'This client assertion (jti) was already used');
    }
    const scopes = grantedScopes(request.scopes, provider.lti1p3.services);
    if (scopes.length === 0) {
      throw new TokenRequestRefused('invalid_scope', 'None of the requested scopes is allowed for this tool');
    }
    const token = randomBytes(32).toString('base64url');
    await this.tokens.create({
      tokenHash: accessTokenHash(token),
      providerId: provider.id,
      scopes,
      expiresAt: new Date(now.getTime() + ACCESS_TOKEN_LIFETIME_SECONDS * 1000),
    });
    return {
      access_token: token,
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
      scope: scopes.join(' '),
    };
  }

  /** The tool named by the (not yet verified) `iss`; only an active 1.3 provider can be a client. */
  private async client(assertion: string): Promise<Lti1p3Provider | null> {
    let issuer: unknown;
    try {
      issuer = decodeJwt(assertion).iss;
    } catch {
      return null;
    }
    const provider = typeof issuer === 'string' ? await this.providers.findByClientId(issuer) : null;
    return provider && isLti1p3(provider) && provider.status === 'active' ? provider : null;
  }
}
