/**
 * What a tool's JWT is made single use by: a client assertion's `jti` (RFC 7523 §3; LTI Security 1.0
 * §4.1.1) or a Deep Linking response's `nonce` (LTI Security 1.0 §5.1.3).
 */
export type ToolJwtUse = 'client_assertion' | 'deep_linking_response';

/** Port: the ids of JWTs a tool signed, each accepted once per tool and use, kept until it expires. */
export abstract class ToolJwtIdRepository {
  /** False when the tool already used this id for this (a replay). */
  abstract consume(providerId: string, use: ToolJwtUse, id: string, expiresAt: Date): Promise<boolean>;
  abstract deleteExpired(now: Date): Promise<number>;
}
