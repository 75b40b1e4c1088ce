import { Injectable } from '@nestjs/common';
import { AuthService, DomainError, KeptSessionChanged, Principal } from '@tms/core';
import { CookiePolicy } from './cookies';
import { principalOf } from './decorators';
import { AppRequest } from './request-context';

/**
 * The other half of a `@SessionRechecked()` route: the guard may have taken the person's session from
 * this process's cache, and the route's own statement confirms it (`Principal.session`). When that
 * statement finds it changed (signed out, expired, the person suspended or their roles changed, in
 * any process), the session is read fresh and the work runs again on what it says; when the work
 * refuses before any statement confirmed the session, the session is read fresh before the refusal
 * is answered. A stale cache costs a read, never an answer.
 */
@Injectable()
export class SessionRecheck {
  constructor(
    private readonly auth: AuthService,
    private readonly cookies: CookiePolicy,
  ) {}

  /** `work` as the signed-in person; nobody signed in (any more) is `unauthenticated`. */
  asSignedIn<T>(request: AppRequest, work: (principal: Principal) => Promise<T>): Promise<T> {
    return this.run(request, true, (principal) => work(principal!));
  }

  /** `work` as the signed-in person, or null (a public route). */
  asAnyone<T>(request: AppRequest, work: (principal: Principal | null) => Promise<T>): Promise<T> {
    return this.run(request, false, work);
  }

  private async run<T>(
    request: AppRequest,
    signedIn: boolean,
    work: (principal: Principal | null) => Promise<T>,
  ): Promise<T> {
    const kept = request.auth?.session;
    try {
      return await work(principalOf(request));
    } catch (error) {
      if (!kept) throw error;
      await this.confirm(request);
      if (signedIn && !request.auth) throw new DomainError('unauthenticated', 'Sign in first');
      if (error instanceof KeptSessionChanged) return work(principalOf(request));
      throw error;
    }
  }

  /**
   * Inside `asSignedIn`, for work whose statements do not confirm the session: a session from the
   * cache is read fresh first (the request's person updated to what it says), or `unauthenticated`.
   */
  async confirmed<T>(request: AppRequest, work: () => Promise<T>): Promise<T> {
    await this.confirm(request);
    if (!request.auth) throw new DomainError('unauthenticated', 'Sign in first');
    return work();
  }

  private async confirm(request: AppRequest): Promise<void> {
    const kept = request.auth?.session;
    if (!kept) return;
    this.auth.forget(kept);
    const token = (request.cookies as Record<string, string | undefined>)[this.cookies.sessionName];
    const fresh = token ? await this.auth.authenticate(token, 'browser') : null;
    request.auth = fresh ? { user: fresh.user, roles: new Set(fresh.roles) } : undefined;
  }
}
