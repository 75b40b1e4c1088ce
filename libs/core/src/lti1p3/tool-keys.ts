import { Injectable } from '@nestjs/common';
import {
  createRemoteJWKSet,
  errors as joseErrors,
  importSPKI,
  JWTPayload,
  jwtVerify,
  JWTVerifyGetKey,
  JWTVerifyOptions,
} from 'jose';
import { LtiProvider } from '../catalog/lti-provider';

/**
 * Verifies what a tool signed with its registered key: a PEM, or its JWKS URL, fetched with a
 * timeout, cached (10 minutes) and fetched again once when a token names a `kid` the cached set does
 * not have (jose's remote key set; LTI Security 1.0 §6.3: tools rotate their keys too).
 */
@Injectable()
export class ToolKeys {
  private readonly remote = new Map<string, JWTVerifyGetKey>();

  async verify(provider: LtiProvider, jwt: string, options: JWTVerifyOptions): Promise<JWTPayload> {
    const registration = provider.lti1p3;
    if (!registration) throw new Error('Not an LTI 1.3 provider');
    const verifyOptions = { ...options, algorithms: ['RS256'] };
    if (registration.publicKeyPem) {
      const key = await importSPKI(registration.publicKeyPem, 'RS256');
      return (await jwtVerify(jwt, key, verifyOptions)).payload;
    }
    return (await jwtVerify(jwt, this.keySet(registration.jwksUrl!), verifyOptions)).payload;
  }

  private keySet(url: string): JWTVerifyGetKey {
    let keySet = this.remote.get(url);
    if (!keySet) {
      keySet = createRemoteJWKSet(new URL(url), {
        timeoutDuration: 5_000,
        cooldownDuration: 30_000,
        cacheMaxAge: 10 * 60_000,
      });
      this.remote.set(url, keySet);
    }
    return keySet;
  }
}

/** Why a tool's JWT did not verify, in words a tool developer can act on (nothing secret in it). */
export function toolJwtFailure(error: unknown): string {
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `${error.claim}: ${error.reason}`;
  if (error instanceof joseErrors.JWTExpired) return 'the JWT has expired';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'the signature does not match the tool’s key';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'only RS256 is accepted';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'the tool’s key set has no key for this kid';
  if (error instanceof joseErrors.JOSEError) return error.message;
  return 'the tool’s key could not be read';
}
