import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal, Role, User } from '@tms/core';
import { DomainError } from '@tms/core';
import { AppRequest, RequestAuth } from './request-context';
import { PageContext } from './views';

export const PUBLIC_ROUTE = 'tms:public';
/** Reachable without signing in. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

export const REQUIRED_ROLE = 'tms:required-role';
/** Pages of an area that needs one of these roles; anyone else gets a plain "no access" page (403). */
export const RequireRole = (...roles: Role[]) => SetMetadata(REQUIRED_ROLE, roles);

export const SKIP_CSRF = 'tms:skip-csrf';
/** For form posts that other sites send by design (LTI returns), which carry their own proof. */
export const SkipCsrf = () => SetMetadata(SKIP_CSRF, true);

export const SESSION_RECHECKED = 'tms:session-rechecked';
/**
 * A signed-in route whose own statement confirms the session (`Principal.session`), run through
 * `SessionRecheck`: the guard may take the session from this process's cache instead of reading it.
 */
export const SessionRechecked = () => SetMetadata(SESSION_RECHECKED, true);

function authOf(context: ExecutionContext) {
  const auth = context.switchToHttp().getRequest<AppRequest>().auth;
  if (!auth) throw new DomainError('unauthenticated', 'Sign in first');
  return auth;
}

/** The signed-in principal; core scopes everything by it. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal =>
  toPrincipal(authOf(context)),
);

/** The request's person (with the session still to confirm, on a `@SessionRechecked()` route), or null. */
export function principalOf(request: AppRequest): Principal | null {
  return request.auth ? toPrincipal(request.auth) : null;
}

function toPrincipal(auth: RequestAuth): Principal {
  return { userId: auth.user.id, ...(auth.session ? { session: auth.session } : {}) };
}

/**
 * The client's address: the socket's, or what a trusted proxy put in X-Forwarded-For when
 * TMS_TRUST_PROXY says whom to trust (Express's `trust proxy`).
 */
export const ClientAddress = createParamDecorator(
  (_: unknown, context: ExecutionContext): string | undefined => context.switchToHttp().getRequest<AppRequest>().ip,
);

export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): User => authOf(context).user);

/** The layout's view of the request: user, roles, CSRF token. */
export const Page = createParamDecorator((_: unknown, context: ExecutionContext): PageContext =>
  pageContextOf(context.switchToHttp().getRequest<AppRequest>()),
);

export function pageContextOf(request: AppRequest): PageContext {
  return {
    user: request.auth?.user ?? null,
    roles: request.auth?.roles ?? new Set(),
    csrfToken: request.csrfToken ?? '',
    path: request.path,
  };
}
