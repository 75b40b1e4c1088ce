/** Port: OAuth 1.0a nonces consumed once per provider (RFC 5849 §3.3), kept until their window closes. */
export abstract class OAuthNonceRepository {
  /** False when the nonce was already used by that provider (a replay). */
  abstract consume(providerId: string, nonce: string, expiresAt: Date): Promise<boolean>;
  abstract deleteExpired(now: Date): Promise<number>;
}
