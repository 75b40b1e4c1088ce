import { Injectable } from '@nestjs/common';
import { LTI_CLAIM, oauthConsumerKeySign } from '@tms/lti';
import { Lti1p3Provider, LtiProvider } from '../catalog/lti-provider';
import { LtiProviderRepository } from '../catalog/lti-provider.repository';
import { sharedSecretContext } from '../catalog/provider-support';
import { User } from '../identity/user';
import { launchIdentity } from '../launch/launch-identity';
import { PlatformUrls } from '../launch/platform-urls';
import { SecretBox } from '../security/secret-box';

/** What the claim is made from: the launch's person and ids, and the id_token's own `exp` and `nonce`. */
export interface MigrationClaimInput {
  readonly provider: Lti1p3Provider;
  /** The person; in a preview, the test learner's id (the 1.1 provider knew them by the same). */
  readonly person: User | string;
  readonly exp: number;
  readonly nonce: string;
  readonly contextId: string;
  readonly resourceLinkId: string;
}

/**
 * The `lti1p1` claim of a provider that replaces an LTI 1.1 one (1EdTech LTI 1.1 → 1.3 migration
 * guide): the 1.1 ids (unchanged: the same user id source, context and resource link ids) and
 * `oauth_consumer_key_sign` made with the 1.1 secret over the id_token's own `exp` and `nonce`.
 */
@Injectable()
export class MigrationClaim {
  constructor(
    private readonly providers: LtiProviderRepository,
    private readonly secrets: SecretBox,
    private readonly urls: PlatformUrls,
  ) {}

  /** `exp`, with the claim when the provider replaces a 1.1 one whose secret is at hand. */
  async claims(input: MigrationClaimInput): Promise<Record<string, unknown>> {
    const { provider, exp, nonce } = input;
    const registration = provider.lti1p3;
    const replaced = registration.replacesProviderId
      ? await this.providers.findById(registration.replacesProviderId)
      : null;
    const sealed = replaced?.lti1p1 ? await this.providers.findSealedSecret(replaced.id) : null;
    if (!replaced?.lti1p1 || !sealed) return { exp };
    const secret = this.secrets.open(sealed, sharedSecretContext(replaced.id));
    const userId = typeof input.person === 'string' ? input.person : lti1p1UserId(input.person, replaced);
    return {
      exp,
      [LTI_CLAIM.lti1p1]: {
        ...(userId ? { user_id: userId } : {}),
        context_id: input.contextId,
        resource_link_id: input.resourceLinkId,
        oauth_consumer_key: replaced.lti1p1.consumerKey,
        oauth_consumer_key_sign: oauthConsumerKeySign(secret, {
          consumerKey: replaced.lti1p1.consumerKey,
          deploymentId: registration.deploymentId,
          issuer: this.urls.issuer,
          clientId: registration.clientId,
          exp,
          nonce,
        }),
      },
    };
  }
}

/**
 * The `user_id` the replaced 1.1 provider knew the person by: its own user id source, which may
 * differ from the 1.3 provider's. A person the 1.1 provider could not identify gets none.
 */
function lti1p1UserId(user: User, replaced: LtiProvider): string | null {
  try {
    return launchIdentity(user, replaced.privacy).userId;
  } catch {
    return null;
  }
}
