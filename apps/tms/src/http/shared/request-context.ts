import type { Request } from 'express';
import type { Lti1p3Provider, Role, SessionCheck, User } from '@tms/core';

export interface RequestAuth {
  readonly user: User;
  /** Only resolved for pages, where the layout shows each role its areas. */
  readonly roles: ReadonlySet<Role>;
  /** On a `@SessionRechecked()` route, a session from this process's cache: the route's statement confirms it. */
  readonly session?: SessionCheck;
}

export interface AppRequest extends Request {
  auth?: RequestAuth;
  /** The browser's CSRF secret (from its cookie), for pages. */
  csrfSecret?: string;
  /** What this request's forms must send back in `_csrf`. */
  csrfToken?: string;
  /** The tool an LTI service's bearer token was issued to (ToolTokenGuard). */
  tool?: Lti1p3Provider;
  /** The hash of the tool's bearer token, on a route that checks it again in its own statement. */
  toolTokenHash?: string;
}
