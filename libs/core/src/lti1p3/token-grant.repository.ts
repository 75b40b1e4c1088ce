import { Lti1p3Provider } from '../catalog/lti-provider';

/** A token request's writes: its client assertion's `jti` and, when a scope is granted, the token. */
export interface TokenGrant {
  /** The tool as the request was verified and its scopes decided with, possibly from a cache. */
  readonly client: Lti1p3Provider;
  readonly jti: string;
  /** Until when the jti is kept: the assertion's `exp` with its leeway. */
  readonly jtiExpiresAt: Date;
  readonly tokenHash: string;
  /** Empty: the jti is consumed, no token stored (the request is refused as `invalid_scope`). */
  readonly scopes: readonly string[];
  readonly expiresAt: Date;
}

/**
 * What the grant's statement decided: `client_changed` when the tool is no longer active or its
 * client_id, key or services differ from those the request was verified with (another process
 * changed it; nothing was written), `jti_used` for a replayed assertion (nothing written), else
 * `granted` (the jti consumed and, with scopes, the token stored).
 */
export type TokenGrantOutcome = 'granted' | 'jti_used' | 'client_changed';

/** Port: a token request's check and writes in one statement (one SQL round trip). */
export abstract class TokenGrantRepository {
  abstract grant(grant: TokenGrant): Promise<TokenGrantOutcome>;
}
