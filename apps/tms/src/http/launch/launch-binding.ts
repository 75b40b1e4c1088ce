import type { Request, Response } from 'express';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isUuid } from '@tms/core';

const PREFIX = 'tms_lti_login_';
/** As long as the login initiation's hints live. */
const LIFETIME_MS = 5 * 60 * 1000;

/**
 * Binds a framed LTI 1.3 login initiation to the browser that loaded its launch page. Inside our frame
 * the tool's login page sends the browser on to `/lti/1p3/authorize` itself; a navigation started by a
 * page of another site is no same-site request, so the browser leaves our `SameSite=Lax` session
 * cookie behind (RFC 6265bis §5.2) and the authorization endpoint would find nobody signed in. The
 * launch page therefore also sets, for that login only, a cookie that any navigation to the
 * authorization endpoint carries (`SameSite=None`, which needs `Secure`: https, or a loopback address
 * browsers trust): an HMAC of the login's id, unforgeable and useless for any other login. Within our
 * own page it is a first-party cookie, which blocking third-party cookies leaves alone.
 */
export class LaunchBinding {
  /** The authorization endpoint's path as browsers see it: PUBLIC_URL may carry a prefix (behind a proxy). */
  private readonly path: string;

  /** `authorizeUrl`: the authorization endpoint's absolute URL, as PlatformUrls builds it. */
  constructor(
    private readonly key: Buffer,
    authorizeUrl: string,
  ) {
    this.path = new URL(authorizeUrl).pathname;
  }

  bind(response: Response, loginId: string): void {
    response.cookie(`${PREFIX}${loginId}`, this.sign(loginId), {
      httpOnly: true,
      secure: true,
      sameSite: 'none',
      path: this.path,
      maxAge: LIFETIME_MS,
    });
  }

  /** The logins this browser was bound to: only those whose cookie carries our signature. */
  boundLogins(request: Request): Set<string> {
    const bound = new Set<string>();
    for (const [name, value] of Object.entries((request.cookies ?? {}) as Record<string, unknown>)) {
      if (!name.startsWith(PREFIX) || typeof value !== 'string') continue;
      const loginId = name.slice(PREFIX.length);
      if (!isUuid(loginId)) continue;
      const expected = Buffer.from(this.sign(loginId));
      const given = Buffer.from(value);
      if (given.length === expected.length && timingSafeEqual(given, expected)) bound.add(loginId);
    }
    return bound;
  }

  private sign(loginId: string): string {
    return createHmac('sha256', this.key).update(loginId).digest('base64url');
  }
}
