import type { CookieOptions } from 'express';

/**
 * Cookie names and flags. Over https the `__Host-` prefix pins cookies to our exact host and path,
 * and Secure is set; over plain http (local development) neither is possible.
 */
export class CookiePolicy {
  readonly secure: boolean;

  constructor(publicUrl: string) {
    this.secure = publicUrl.startsWith('https:');
  }

  get sessionName(): string {
    return this.secure ? '__Host-tms_session' : 'tms_session';
  }

  get csrfName(): string {
    return this.secure ? '__Host-tms_csrf' : 'tms_csrf';
  }

  options(maxAgeSeconds?: number): CookieOptions {
    return {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secure,
      path: '/',
      ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds * 1000 } : {}),
    };
  }
}
