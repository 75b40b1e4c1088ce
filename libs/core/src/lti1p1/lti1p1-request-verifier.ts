import { Injectable } from '@nestjs/common';
import { checkOAuthProtocolParams, isOAuthSignatureValid, oauthBodyHash, OAuthRequest } from '@tms/lti';
import { Lti1p1Provider } from '../catalog/lti-provider';
import { LtiSettings } from '../launch/lti-settings';
import { Lti1p1Signer, Lti1p1Signers } from './lti1p1-signers';
import { OAuthNonceRepository } from './oauth-nonce.repository';

/** A signed LTI 1.1 request we refuse, with the reason the tool is told. */
export class Lti1p1RequestRefused extends Error {
  constructor(
    readonly reason: string,
    /** Known once the signature matched a provider. */
    readonly provider: Lti1p1Provider | null = null,
  ) {
    super(reason);
    this.name = 'Lti1p1RequestRefused';
  }
}

/** A request whose signature matched a provider; its nonce is yet to be used up. */
export interface AuthenticatedRequest {
  readonly signer: Lti1p1Signer;
  readonly consumerKey: string;
  readonly nonce: string;
  /** How long the nonce must be remembered: until the request's timestamp leaves the window. */
  readonly nonceExpiresAt: Date;
}

export const REPLAYED_NONCE = 'This oauth_nonce was already used (a replayed request)';

/**
 * Authenticates a request an LTI 1.1 tool signed (Basic Outcomes, Content-Item returns): protocol
 * parameters and timestamp window, the body hash when there is a body, the HMAC-SHA1 signature with
 * the shared secret of the provider whose consumer key it names, and a nonce never seen before —
 * in that order, so that nothing unauthenticated reaches a parser or the nonce table.
 */
@Injectable()
export class Lti1p1RequestVerifier {
  constructor(
    private readonly signers: Lti1p1Signers,
    private readonly nonces: OAuthNonceRepository,
    private readonly settings: LtiSettings,
  ) {}

  async verify(request: OAuthRequest & { readonly body?: Buffer }, now = new Date()): Promise<Lti1p1Provider> {
    const authenticated = await this.authenticate(request, now, false);
    if (!(await this.useUpNonce(authenticated))) {
      throw new Lti1p1RequestRefused(REPLAYED_NONCE, authenticated.signer.provider);
    }
    return authenticated.signer.provider;
  }

  /** False when the nonce was used before (a replay). */
  useUpNonce({ signer, nonce, nonceExpiresAt }: AuthenticatedRequest): Promise<boolean> {
    return this.nonces.consume(signer.provider.id, nonce, nonceExpiresAt);
  }

  /**
   * Everything {@link verify} checks but the nonce. With `cached`, a signature may match a signer of
   * this process's cache: the caller then checks in its own statement that the signer is current
   * ({@link Lti1p1Signers}) and uses up the nonce there. A refusal is decided on signers read fresh.
   */
  async authenticate(
    request: OAuthRequest & { readonly body?: Buffer },
    now: Date,
    cached: boolean,
  ): Promise<AuthenticatedRequest> {
    const params = request.params as Record<string, string | undefined>;
    const window = this.settings.oauthTimestampWindowSeconds;
    const failure = checkOAuthProtocolParams(params, { now, windowSeconds: window });
    if (failure) throw new Lti1p1RequestRefused(failure.message);
    if (request.body !== undefined) {
      if (!params.oauth_body_hash) throw new Lti1p1RequestRefused('The OAuth parameter oauth_body_hash is missing');
      if (params.oauth_body_hash !== oauthBodyHash(request.body)) {
        throw new Lti1p1RequestRefused('oauth_body_hash does not match the body');
      }
    }
    const consumerKey = params.oauth_consumer_key!;
    let signer = await this.signedBy(request, consumerKey, params.oauth_signature!, cached);
    if (cached && signer?.provider.status !== 'active') {
      signer = await this.signedBy(request, consumerKey, params.oauth_signature!, false);
    }
    if (!signer) throw new Lti1p1RequestRefused('The OAuth signature is not valid for this consumer key');
    if (signer.provider.status !== 'active') {
      throw new Lti1p1RequestRefused('This LTI provider is disabled', signer.provider);
    }
    const nonceExpiresAt = new Date(Math.max(now.getTime(), Number(params.oauth_timestamp) * 1000) + window * 1000);
    return { signer, consumerKey, nonce: params.oauth_nonce!, nonceExpiresAt };
  }

  /**
   * Consumer keys are not unique across providers (two organizations may register one vendor key
   * with different secrets), so every provider with that key is tried; only a matching signature
   * says which one signed.
   */
  private async signedBy(
    request: OAuthRequest,
    consumerKey: string,
    signature: string,
    cached: boolean,
  ): Promise<Lti1p1Signer | null> {
    const signers = await this.signers.of(consumerKey, cached);
    return signers.find((signer) => isOAuthSignatureValid(request, signature, signer.secret)) ?? null;
  }
}
