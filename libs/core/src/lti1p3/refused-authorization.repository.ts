import { Page, PageRequest } from '../shared/page';

/**
 * An LTI 1.3 authorization request we refused (LTI Security 1.0 §5.1.1.2; OIDC Core §3.1.2.6): kept
 * for the administrators of the tool it names, so a launch that failed at our endpoint has something
 * to look at besides the server log.
 */
export interface RefusedAuthorization {
  readonly id: string;
  /** The provider the client_id names; null when it names none we know (platform administrators only). */
  readonly providerId: string | null;
  readonly clientId: string | null;
  /** The OAuth error (RFC 6749 §4.1.2.1) and its description, as answered. */
  readonly error: string;
  readonly description: string;
  /** The request's parameters, each capped, the single-use hints shortened. */
  readonly parameters: Readonly<Record<string, string>>;
  /** The redirect_uri the tool asked for, beside the ones registered for it. */
  readonly redirectUri: string | null;
  readonly registeredRedirectUris: readonly string[];
  readonly createdAt: Date;
}

export type NewRefusedAuthorization = Omit<RefusedAuthorization, 'id' | 'createdAt'>;

/** Port: refused authorizations. Callers check who may see a provider's (or the unattributed) ones. */
export abstract class RefusedAuthorizationRepository {
  /**
   * Keeps it unless `perMinute` refusals of the same provider (or of unknown clients, together) were
   * kept in the last minute: a flood of bad requests costs a bounded number of rows. False when dropped.
   */
  abstract record(refusal: NewRefusedAuthorization, perMinute: number): Promise<boolean>;
  abstract findById(id: string): Promise<RefusedAuthorization | null>;
  /** Newest first; `providerId` null lists the unattributed ones. */
  abstract list(providerId: string | null, page: PageRequest): Promise<Page<RefusedAuthorization>>;
  /** Deletes up to `limit` kept before `before`; how many went. */
  abstract deleteOlderThan(before: Date, limit: number): Promise<number>;
}
