import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { LtiProviderRepository } from '../catalog/lti-provider.repository';
import { isLti1p3, Lti1p3Provider } from '../catalog/lti-provider';

/** Enough for every 1.3 tool of a large platform; the least recently used one goes first. */
const MAX_CLIENTS = 2_000;

/**
 * The active LTI 1.3 tools by client_id, kept in this process so that a token request costs no
 * lookup (ToolKeys keeps their parsed keys). A cached tool is never an authorization on its own: the
 * token grant's statement checks that the tool is still active with the same client_id, key and
 * services (another worker or instance may have changed it), and on a mismatch the caller calls
 * {@link forget} and reads again. A refusal is always decided on a tool read fresh.
 */
@Injectable()
export class Lti1p3Clients {
  private readonly byClientId = new LRUCache<string, Lti1p3Provider>({ max: MAX_CLIENTS });

  constructor(private readonly providers: LtiProviderRepository) {}

  /** The tool this process read last for this client_id, if it kept one. */
  cached(clientId: string): Lti1p3Provider | undefined {
    return this.byClientId.get(clientId);
  }

  /** The active 1.3 tool of this client_id read now (and kept), or null. */
  async read(clientId: string): Promise<Lti1p3Provider | null> {
    const found = await this.providers.findByClientId(clientId);
    // Unknown and inactive tools are not kept: one registered or enabled a moment later must work at once.
    if (!found || !isLti1p3(found) || found.status !== 'active') {
      this.byClientId.delete(clientId);
      return null;
    }
    this.byClientId.set(clientId, found);
    return found;
  }

  forget(clientId: string): void {
    this.byClientId.delete(clientId);
  }
}
