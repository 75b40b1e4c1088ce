import type { Response } from 'express';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { CookiePolicy } from './cookies';
import { AppRequest } from './request-context';

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

/**
 * Gives the browser a new CSRF secret (cookie) and this request the token made from it. Done when
 * the cookie is missing, and at sign-in and sign-out: a token known from before (a planted cookie,
 * a page of the previous person) must not carry over to the new session (OWASP CSRF cheat sheet,
 * "synchronizer token" renewal on session change).
 */
export function issueCsrfSecret(
  request: AppRequest,
  response: Response,
  cookies: CookiePolicy,
  csrf: CsrfTokens,
): void {
  request.csrfSecret = CsrfTokens.newSecret();
  request.csrfToken = csrf.tokenFor(request.csrfSecret);
  response.cookie(cookies.csrfName, request.csrfSecret, cookies.options());
}
