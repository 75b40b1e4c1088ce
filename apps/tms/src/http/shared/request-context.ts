import type { Request } from 'express';
import type { Role, User } from '@tms/core';

export type Transport = 'api' | 'page';

export interface RequestAuth {
  readonly user: User;
  /** Only resolved for pages, where the layout shows each role its areas. */
  readonly roles: ReadonlySet<Role>;
}

export interface AppRequest extends Request {
  auth?: RequestAuth;
  /** The browser's CSRF secret (from its cookie), for pages. */
  csrfSecret?: string;
  /** What this request's forms must send back in `_csrf`. */
  csrfToken?: string;
}

/** API routes answer problem+json to bearer tokens; everything else is a page for a browser with a cookie. */
export function transportOf(request: Request): Transport {
  return request.path === '/api' || request.path.startsWith('/api/') ? 'api' : 'page';
}
