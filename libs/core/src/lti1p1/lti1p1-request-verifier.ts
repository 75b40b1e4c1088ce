import { Injectable } from '@nestjs/common';
import { checkOAuthProtocolParams, isOAuthSignatureValid, oauthBodyHash, OAuthRequest } from '@tms/lti';
import { LtiProviderRepository } from '../catalog/lti-provider.repository';
import { isLti1p1, Lti1p1Provider } from '../catalog/lti-provider';
import { sharedSecretContext } from '../catalog/provider-support';
import { LtiSettings } from '../launch/lti-settings';
import { SecretBox } from '../security/secret-box';
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

/**
 * Authenticates a request an LTI 1.1 tool signed (Basic Outcomes, Content-Item returns): protocol
 * parameters and timestamp window, the body hash when there is a body, the HMAC-SHA1 signature with
 * the shared secret of the provider whose consumer key it names, and a nonce never seen before —
 * in that order, so that nothing unauthenticated reaches a parser or the nonce table.
 */
@Injectable()
export class Lti1p1RequestVerifier {
  constructor(
    private readonly providers: LtiProviderRepository,
    private readonly secrets: SecretBox,
    private readonly nonces: OAuthNonceRepository,
    private readonly settings: LtiSettings,
  ) {}

  async verify(request: OAuthRequest & { readonly body?: Buffer }, now = new Date()): Promise<Lti1p1Provider> {
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
    const provider = await this.signedBy(request, params.oauth_consumer_key!, params.oauth_signature!);
    if (!provider) throw new Lti1p1RequestRefused('The OAuth signature is not valid for this consumer key');
    if (provider.status !== 'active') throw new Lti1p1RequestRefused('This LTI provider is disabled', provider);
    const expiresAt = new Date(Math.max(now.getTime(), Number(params.oauth_timestamp) * 1000) + window * 1000);
    if (!(await this.nonces.consume(provider.id, params.oauth_nonce!, expiresAt))) {
      throw new Lti1p1RequestRefused('This oauth_nonce was already used (a replayed request)', provider);
    }
    return provider;
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
  ): Promise<Lti1p1Provider | null> {
    for (const provider of (await this.providers.findByConsumerKey(consumerKey)).filter(isLti1p1)) {
      const sealed = await this.providers.findSealedSecret(provider.id);
      if (!sealed) continue;
      const secret = this.secrets.open(sealed, sharedSecretContext(provider.id));
      if (isOAuthSignatureValid(request, signature, secret)) return provider;
    }
    return null;
  }
}
