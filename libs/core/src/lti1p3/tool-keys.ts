import { Injectable } from '@nestjs/common';
import { errors as joseErrors, JWTPayload, jwtVerify, JWTVerifyOptions } from 'jose';
import { LRUCache } from 'lru-cache';
import { createPublicKey, KeyObject } from 'node:crypto';
import { Lti1p3Provider } from '../catalog/lti-provider';
import { MAX_CACHED_KEY_SETS, ToolKeySets, ToolKeySetUnavailable } from './tool-key-sets';

/**
 * Verifies what a tool signed with its registered key: a PEM (imported once and kept), or the key
 * set its JWKS URL serves (ToolKeySets: fetched through the guarded outbound client, cached, fetched
 * again for an unknown `kid` at most every 30 s).
 */
@Injectable()
export class ToolKeys {
  private readonly pemKeys = new LRUCache<string, KeyObject>({ max: MAX_CACHED_KEY_SETS });

  constructor(private readonly keySets: ToolKeySets) {}

  async verify(provider: Lti1p3Provider, jwt: string, options: JWTVerifyOptions): Promise<JWTPayload> {
    const registration = provider.lti1p3;
    const verifyOptions = { ...options, algorithms: ['RS256'] };
    if (registration.publicKeyPem) {
      return (await jwtVerify(jwt, this.pemKey(registration.publicKeyPem), verifyOptions)).payload;
    }
    return (await jwtVerify(jwt, this.keySets.resolver(registration.jwksUrl!), verifyOptions)).payload;
  }

  private pemKey(pem: string): KeyObject {
    let key = this.pemKeys.get(pem);
    if (!key) {
      key = createPublicKey(pem);
      this.pemKeys.set(pem, key);
    }
    return key;
  }
}

/** Why a tool's JWT did not verify, in words a tool developer can act on (nothing secret in it). */
export function toolJwtFailure(error: unknown): string {
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `${error.claim}: ${error.reason}`;
  if (error instanceof joseErrors.JWTExpired) return 'the JWT has expired';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'the signature does not match the tool’s key';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'only RS256 is accepted';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'the tool’s key set has no key for this kid';
  if (error instanceof ToolKeySetUnavailable) return error.message;
  if (error instanceof joseErrors.JOSEError) return error.message;
  return 'the tool’s key could not be read';
}
