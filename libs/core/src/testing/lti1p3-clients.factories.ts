import { LtiProvider } from '../catalog/lti-provider';
import { Lti1p3ClientRepository } from '../lti1p3/lti1p3-client.repository';

/** What a spec answers for a client_id: a provider, or none. */
export interface ProvidersByClientId {
  findByClientId(clientId: string): Promise<LtiProvider | null>;
}

/**
 * The client port over a `findByClientId` mock that answers providers: each one read at version
 * `v1` (what a spec changes is what the mock answers next, not the row's version).
 */
export function versioned(providers: ProvidersByClientId): Lti1p3ClientRepository {
  return {
    findByClientId: async (clientId: string) => {
      const provider = await providers.findByClientId(clientId);
      return provider && { provider, version: 'v1' };
    },
  };
}
