import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { Authenticated, AuthService, DomainError, Role, SessionCheck } from '@tms/core';
import { CookiePolicy } from './cookies';
import { CSRF_FIELD, CsrfTokens, issueCsrfSecret } from './csrf';
import { PUBLIC_ROUTE, REQUIRED_ROLE, SESSION_RECHECKED, SKIP_CSRF } from './decorators';
import { TRANSPORT, TransportName, TRANSPORTS } from '../errors/transport';
import { AppRequest } from './request-context';

/**
 * Default-deny: every route needs a signed-in, active user unless marked @Public. How a caller
 * authenticates is its route's transport's: the API takes bearer tokens only (so no CSRF there);
 * pages take the session cookie, and every unsafe page request must carry the CSRF token; the LTI
 * tool routes authenticate the tool themselves and never see a cookie.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly cookies: CookiePolicy,
    private readonly csrf: CsrfTokens,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AppRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    // Pages and API answers are per user: never kept by the browser (Back after sign-out) or a proxy.
    response.setHeader('Cache-Control', 'no-store');
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);

    const transport = this.reflector.getAllAndOverride<TransportName | undefined>(TRANSPORT, [
      context.getHandler(),
      context.getClass(),
    ]);
    const authentication = TRANSPORTS[transport ?? 'page'].authentication;
    if (authentication === 'tool') {
      if (!isPublic) throw new DomainError('unauthenticated', 'Tool services authenticate the tool themselves');
      return true;
    }
    if (authentication === 'bearer') {
      const token = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(request.headers.authorization ?? '')?.[1];
      const found = token ? await this.auth.authenticate(token, 'api') : null;
      if (found) request.auth = { user: found.user, roles: new Set() };
      if (!found && !isPublic) throw new DomainError('unauthenticated', 'A valid bearer token is required');
      return true;
    }

    this.ensureCsrfSecret(request, response);
    const skipCsrf = this.reflector.getAllAndOverride<boolean>(SKIP_CSRF, [context.getHandler(), context.getClass()]);
    if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method) && !skipCsrf) {
      const token = (request.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
      if (!this.csrf.verify(request.csrfSecret, token)) {
        throw new DomainError('forbidden', 'This form has expired. Go back, reload the page and try again.');
      }
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLE, [
      context.getHandler(),
      context.getClass(),
    ]);
    // A role checked here could not be confirmed by the route's statement: such a route reads the session.
    const rechecked =
      !roles &&
      this.reflector.getAllAndOverride<boolean>(SESSION_RECHECKED, [context.getHandler(), context.getClass()]);
    const sessionToken = (request.cookies as Record<string, string | undefined>)[this.cookies.sessionName];
    const found: (Authenticated & { readonly check?: SessionCheck }) | null = !sessionToken
      ? null
      : rechecked
        ? await this.auth.authenticateRechecked(sessionToken, 'browser')
        : await this.auth.authenticate(sessionToken, 'browser');
    if (found) {
      const session = found.check;
      request.auth = { user: found.user, roles: new Set(found.roles), ...(session ? { session } : {}) };
    }
    if (!found && !isPublic) throw new DomainError('unauthenticated', 'Sign in first');
    if (roles && !roles.some((role) => request.auth?.roles.has(role)))
      throw new DomainError('forbidden', 'You do not have access to this area');
    return true;
  }

  private ensureCsrfSecret(request: AppRequest, response: Response): void {
    const existing = (request.cookies as Record<string, string | undefined>)[this.cookies.csrfName];
    if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) {
      request.csrfSecret = existing;
      request.csrfToken = this.csrf.tokenFor(existing);
    } else {
      issueCsrfSecret(request, response, this.cookies, this.csrf);
    }
  }
}
