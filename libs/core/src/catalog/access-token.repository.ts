/** An LTI Advantage access token as stored: never the token itself, only its SHA-256. */
export interface AccessTokenRecord {
  readonly id: string;
  readonly providerId: string;
  readonly scopes: readonly string[];
  readonly expiresAt: Date;
}

export abstract class AccessTokenRepository {
  // Tokens are written with their client assertion's jti in one statement: TokenGrantRepository.
  /** Unexpired and unrevoked; null otherwise. */
  abstract findUsable(tokenHash: string, now: Date): Promise<AccessTokenRecord | null>;
  /** Revokes every live token of a tool (its key or its services changed, or it was disabled). */
  abstract revokeForProvider(providerId: string, now: Date): Promise<number>;
  abstract deleteExpired(now: Date): Promise<number>;
}
