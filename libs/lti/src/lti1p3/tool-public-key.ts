import { createPublicKey, KeyObject } from 'node:crypto';

/**
 * A tool's public key as registered by an administrator: a PEM (SPKI "PUBLIC KEY", PKCS#1
 * "RSA PUBLIC KEY" or an X.509 certificate), or the JWK Set its JWKS URL serves. Tools sign with
 * RS256 (LTI Security Framework §6.1), so only RSA keys of at least 2048 bits are usable.
 */
export const MIN_RSA_BITS = 2048;

export type PublicKeyCheck =
  | { readonly ok: true; readonly key: KeyObject; readonly pem: string }
  | { readonly ok: false; readonly reason: string };

export const PUBLIC_KEY_PEM_MAX_LENGTH = 16_384;

export function checkToolPublicKeyPem(input: string): PublicKeyCheck {
  const text = input.trim().replace(/\r\n/g, '\n');
  if (text.length > PUBLIC_KEY_PEM_MAX_LENGTH) return { ok: false, reason: 'is too long for a public key' };
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    return { ok: false, reason: 'is a private key; paste the tool’s public key only' };
  }
  if (!/^-----BEGIN (PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE)-----\n[\s\S]+\n-----END \1-----$/.test(text)) {
    return { ok: false, reason: 'is not a PEM public key (-----BEGIN PUBLIC KEY----- … -----END PUBLIC KEY-----)' };
  }
  let key: KeyObject;
  try {
    key = createPublicKey(text);
  } catch {
    return { ok: false, reason: 'could not be parsed as a public key' };
  }
  const problem = rsaKeyProblem(key);
  return problem ? { ok: false, reason: problem } : { ok: true, key, pem: text };
}

export interface JwkSetCheck {
  /** Usable RSA signing keys (by kid), or the reason why none is. */
  readonly usableKeyIds?: readonly string[];
  readonly reason?: string;
}

/** Whether a fetched document is a JWK Set (RFC 7517 §5) with at least one usable RS256 key. */
export function checkJwkSet(document: unknown): JwkSetCheck {
  const keys = (document as { keys?: unknown } | null)?.keys;
  if (typeof document !== 'object' || document === null || !Array.isArray(keys)) {
    return { reason: 'does not serve a JWK Set ({"keys": [...]})' };
  }
  const usable: string[] = [];
  // A published private key is compromised: refuse the whole set rather than quietly use its public half.
  if (
    (keys as Array<Record<string, unknown> | null>).some((jwk) => typeof jwk === 'object' && jwk !== null && 'd' in jwk)
  ) {
    return { reason: 'publishes a private key (a JWK with "d"); the tool must publish public keys only' };
  }
  for (const jwk of keys as Array<Record<string, unknown>>) {
    if (typeof jwk !== 'object' || jwk === null || jwk.kty !== 'RSA') continue;
    if (jwk.use !== undefined && jwk.use !== 'sig') continue;
    if (jwk.alg !== undefined && jwk.alg !== 'RS256') continue;
    try {
      const key = createPublicKey({ key: jwk as never, format: 'jwk' });
      if (!rsaKeyProblem(key)) usable.push(typeof jwk.kid === 'string' ? jwk.kid : '');
    } catch {
      // Not a valid key: skipped, like any verifier would.
    }
  }
  return usable.length > 0
    ? { usableKeyIds: usable }
    : { reason: `has no RSA signing key of at least ${MIN_RSA_BITS} bits` };
}

function rsaKeyProblem(key: KeyObject): string | undefined {
  if (key.asymmetricKeyType !== 'rsa') return 'must be an RSA key (tools sign with RS256)';
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) return `must be an RSA key of at least ${MIN_RSA_BITS} bits (this one has ${bits})`;
  return undefined;
}
