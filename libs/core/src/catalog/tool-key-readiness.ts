import { Injectable } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import { KEY_READY, Lti1p3Provider, ToolKeyState } from './lti-provider';
import { LtiProviderRepository } from './lti-provider.repository';
import { ToolKeyChecker } from './tool-key-checker';

/**
 * A 1.3 tool registered before it has a key (register first, key later): its JWKS URL is fetched
 * again when an admin asks and before a launch, and the first success makes the provider ready.
 */
@Injectable()
export class ToolKeyReadiness {
  constructor(
    private readonly checker: ToolKeyChecker,
    private readonly providers: LtiProviderRepository,
  ) {}

  /** The state a save gives a key source: a PEM is ready at once, a JWKS URL once it serves a key. */
  async stateOf(jwksUrl: string | null, publicKeyPem: string | null): Promise<ToolKeyState> {
    if (publicKeyPem || !jwksUrl) return KEY_READY;
    const reason = await this.checker.checkJwksUrl(jwksUrl);
    const checkedAt = new Date();
    return reason
      ? { status: 'waiting', problem: `jwksUrl ${reason}`, checkedAt }
      : { status: 'ready', problem: null, checkedAt };
  }

  /**
   * A JWKS URL being saved (by an administrator, or by a tool registering itself): refused, with the
   * reason, when the guarded client refuses its address (no tool can ever serve a key there);
   * otherwise the state it starts in, waiting when it serves no usable key yet.
   */
  async savedKeyState(jwksUrl: string): Promise<{ readonly refused: string } | { readonly state: ToolKeyState }> {
    const fetched = await this.checker.fetchKeySet(jwksUrl);
    const checkedAt = new Date();
    if (fetched.ok) return { state: { status: 'ready', problem: null, checkedAt } };
    if (fetched.refusedAddress) return { refused: fetched.reason };
    return { state: { status: 'waiting', problem: `jwksUrl ${fetched.reason}`, checkedAt } };
  }

  /** Fetches the key now and records what it found (the caller checked who may ask). */
  async check(provider: Lti1p3Provider): Promise<ToolKeyState> {
    const registration = provider.lti1p3;
    const key = await this.stateOf(registration.jwksUrl, registration.publicKeyPem);
    await this.providers.recordKeyCheck(provider.id, key);
    return key;
  }

  /**
   * Before a launch: a waiting provider is checked once more; if the tool still serves no key, the
   * launch stops here with why, instead of at the tool with an id_token it cannot verify.
   */
  async requireReady(provider: Lti1p3Provider): Promise<void> {
    if (provider.lti1p3.key.status === 'ready') return;
    const key = await this.check(provider);
    if (key.status === 'ready') return;
    // A state the provider is in, not a fault: the tool has yet to publish its key.
    throw new DomainError(
      'conflict',
      `${provider.name} is waiting for the tool’s key: ${key.problem}. An administrator can check it again on the provider’s page once the tool is set up.`,
      [],
      'This tool is not ready yet',
    );
  }
}
