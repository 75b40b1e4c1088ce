import type { Request } from 'express';
import type { Role, User } from '@tms/core';

/** `service`: what LTI tools call server to server; each route authenticates the tool itself. */
export type Transport = 'api' | 'page' | 'service';

const SERVICE_PATHS = ['/lti/1p1/outcomes', '/lti/1p3/token', '/lti/1p3/nrps/', '/lti/1p3/ags/'];

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

/**
 * API routes answer problem+json to bearer tokens; tool services speak their own protocol and never
 * see a cookie; everything else is a page for a browser with a cookie.
 */
export function transportOf(request: Request): Transport {
  if (request.path === '/api' || request.path.startsWith('/api/')) return 'api';
  return SERVICE_PATHS.some((path) => request.path.startsWith(path)) ? 'service' : 'page';
}

/**
 * How an error is written back: the token endpoint speaks OAuth 2.0 (RFC 6749 §5.2), Basic Outcomes
 * speaks POX (LTI 1.1.1 §6), browsers read pages, and everything else (API, AGS, NRPS, health)
 * reads problem+json.
 */
export type ErrorFormat = 'problem' | 'page' | 'oauth' | 'pox';

export function errorFormatOf(request: Request): ErrorFormat {
  if (request.path.startsWith('/lti/1p3/token')) return 'oauth';
  if (request.path.startsWith('/lti/1p1/outcomes')) return 'pox';
  if (request.path === '/health' || request.path.startsWith('/health/')) return 'problem';
  return transportOf(request) === 'page' ? 'page' : 'problem';
}
