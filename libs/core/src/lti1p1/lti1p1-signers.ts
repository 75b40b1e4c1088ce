import { Injectable } from '@nestjs/common';
import { LtiProviderRepository } from '../catalog/lti-provider.repository';
import { isLti1p1, Lti1p1Provider } from '../catalog/lti-provider';
import { sharedSecretContext } from '../catalog/provider-support';
import { SecretBox } from '../security/secret-box';

/** An LTI 1.1 provider with its shared secret opened, and the sealed form it was read in. */
export interface Lti1p1Signer {
  readonly provider: Lti1p1Provider;
  readonly secret: string;
  /** Tells a later change of the secret apart: the statement that uses a cached signer compares it. */
  readonly sealed: string;
}

/** Enough for every consumer key of a large platform; the oldest key read is forgotten first. */
const MAX_CONSUMER_KEYS = 2_000;

/**
 * The LTI 1.1 providers of a consumer key with their opened secrets, kept in this process so that
 * a signed request costs no lookup and no decryption. A cached signer is never an authorization on
 * its own: whoever accepts a request on one checks, in a statement it makes anyway, that the
 * provider still exists, is active and has the same key and sealed secret (another worker or
 * instance may have changed it), and on a mismatch calls {@link forget} and reads again. A refusal
 * is always decided on signers read fresh.
 */
@Injectable()
export class Lti1p1Signers {
  private readonly byKey = new Map<string, readonly Lti1p1Signer[]>();

  constructor(
    private readonly providers: LtiProviderRepository,
    private readonly secrets: SecretBox,
  ) {}

  /** The key's signers: from this process's cache when `cached`, else read (and cached) now. */
  async of(consumerKey: string, cached: boolean): Promise<readonly Lti1p1Signer[]> {
    const known = cached ? this.byKey.get(consumerKey) : undefined;
    if (known) return known;
    const signers: Lti1p1Signer[] = [];
    for (const provider of (await this.providers.findByConsumerKey(consumerKey)).filter(isLti1p1)) {
      const sealed = await this.providers.findSealedSecret(provider.id);
      if (sealed)
        signers.push({ provider, sealed, secret: this.secrets.open(sealed, sharedSecretContext(provider.id)) });
    }
    this.remember(consumerKey, signers);
    return signers;
  }

  forget(consumerKey: string): void {
    this.byKey.delete(consumerKey);
  }

  /** Unknown keys are not kept: a provider registered a moment later must work at once. */
  private remember(consumerKey: string, signers: readonly Lti1p1Signer[]): void {
    this.byKey.delete(consumerKey);
    if (signers.length === 0) return;
    if (this.byKey.size >= MAX_CONSUMER_KEYS) this.byKey.delete(this.byKey.keys().next().value!);
    this.byKey.set(consumerKey, signers);
  }
}
