import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Signed double-submit CSRF protection (OWASP CSRF cheat sheet): the browser holds a random
 * HttpOnly cookie, and every form carries an HMAC of it under the server key. Another site can
 * neither read the cookie nor compute the token.
 */
export class CsrfTokens {
  constructor(private readonly key: Buffer) {}

  static newSecret(): string {
    return randomBytes(32).toString('base64url');
  }

  tokenFor(secret: string): string {
    return createHmac('sha256', this.key).update(`csrf:${secret}`).digest('base64url');
  }

  verify(secret: string | undefined, token: unknown): boolean {
    if (!secret || typeof token !== 'string') return false;
    const expected = Buffer.from(this.tokenFor(secret));
    const actual = Buffer.from(token);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }
}

export const CSRF_FIELD = '_csrf';
