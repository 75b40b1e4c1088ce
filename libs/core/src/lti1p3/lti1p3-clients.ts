import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { isLti1p3, Lti1p3Provider } from '../catalog/lti-provider';
import { Lti1p3ClientRepository, VersionedProvider } from './lti1p3-client.repository';

/** Enough for every 1.3 tool of a large platform; the least recently used one goes first. */
const MAX_CLIENTS = 2_000;

/** An active LTI 1.3 tool as this process keeps it, with the version of its row when read. */
export interface KeptClient {
  readonly provider: Lti1p3Provider;
  readonly version: string;
}

/**
 * The active LTI 1.3 tools by client_id, kept in this process so that a token request or an
 * authorization costs no lookup (ToolKeys keeps their parsed keys). A kept tool is never an
 * authorization on its own: the statement that acts on it checks that the tool is still as kept
 * (the token grant: active with the same client_id, key and services; the authorization's hint
 * claim: the same row version), because another worker or instance may have changed it; on a
 * mismatch the caller calls {@link forget} and reads again. A refusal is always decided on a tool
 * read fresh.
 */
@Injectable()
export class Lti1p3Clients {
  private readonly byClientId = new LRUCache<string, KeptClient>({ max: MAX_CLIENTS });

  constructor(private readonly clients: Lti1p3ClientRepository) {}

  /** The tool this process read last for this client_id, if it kept one. */
  cached(clientId: string): KeptClient | undefined {
    return this.byClientId.get(clientId);
  }

  /** Whatever provider this client_id names, read now; kept when it is an active 1.3 tool. */
  async read(clientId: string): Promise<VersionedProvider | null> {
    const found = await this.clients.findByClientId(clientId);
    const { provider, version } = found ?? {};
    // Unknown and inactive tools are not kept: one registered or enabled a moment later must work at once.
    if (provider && version && isLti1p3(provider) && provider.status === 'active') {
      this.byClientId.set(clientId, { provider, version });
    } else {
      this.byClientId.delete(clientId);
    }
    return found;
  }

  forget(clientId: string): void {
    this.byClientId.delete(clientId);
  }
}
