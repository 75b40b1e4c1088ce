/**
 * The platform's RS256 signing keys (LTI Security Framework §6.3 key rotation): `next` is published
 * before it ever signs, so tools that cache our JWKS already know it; `current` signs; `previous`
 * stays published until tokens it signed have expired.
 */
export const PLATFORM_KEY_STATES = ['next', 'current', 'previous'] as const;
export type PlatformKeyState = (typeof PLATFORM_KEY_STATES)[number];

/** A public JWK as published (RFC 7517), with `kid`, `alg` RS256 and `use` sig. */
export interface PublicJwk {
  readonly kty: 'RSA';
  readonly n: string;
  readonly e: string;
  readonly kid: string;
  readonly alg: 'RS256';
  readonly use: 'sig';
}

export interface PlatformKey {
  readonly id: string;
  readonly kid: string;
  readonly state: PlatformKeyState;
  readonly publicJwk: PublicJwk;
  readonly createdAt: Date;
  readonly activatedAt: Date | null;
  readonly retiredAt: Date | null;
}

export interface NewPlatformKey {
  readonly kid: string;
  readonly publicJwk: PublicJwk;
  readonly sealedPrivateKey: string;
}

export interface RotationResult {
  readonly retired: PlatformKey | null;
  readonly activated: PlatformKey;
  readonly created: PlatformKey;
}

/** Plain values core needs about keys; provided by the app from configuration. */
export abstract class PlatformKeySettings {
  /** How long a retired key stays published (and verifiable) after a rotation. */
  abstract readonly overlapSeconds: number;
}
