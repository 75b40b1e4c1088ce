import { LtiProvider } from '../catalog/lti-provider';

/** A provider as read, with the version of its row then: a statement compares it to tell a later change apart. */
export interface VersionedProvider {
  readonly provider: LtiProvider;
  readonly version: string;
}

/** Port: the provider an LTI 1.3 client_id names (the token and authorization endpoints' caller), in one statement. */
export abstract class Lti1p3ClientRepository {
  abstract findByClientId(clientId: string): Promise<VersionedProvider | null>;
}
