import { Injectable } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import { GrantRepository } from './grant.repository';
import { OrganizationScopeRepository } from './organization-scope.repository';
import { Principal } from './principal';
import { Role } from './role';
import { issueTenantScope, TenantScope } from './tenant-scope';

/**
 * The one place a TenantScope comes from, and the checks made with one. A site administrator
 * administers the organizations where they hold the role and everything below; instructors and
 * course authors reach their organizations the same way in the areas that name their role.
 * Anything outside answers "not found", so a tenant cannot even learn that it exists.
 */
@Injectable()
export class AccessService {
  constructor(
    private readonly grants: GrantRepository,
    private readonly organizations: OrganizationScopeRepository,
  ) {}

  /**
   * The scope of a staff area (administration with no `roles`; authoring, teaching with theirs).
   * Throws `forbidden` to anyone who holds none of those roles (site administrators always do)
   * and is not a platform administrator: a learner gets 403 (saying `refusal`), not an empty page.
   */
  async scope(
    principal: Principal,
    roles: readonly Role[] = [],
    refusal = 'You do not have access to this area',
  ): Promise<TenantScope> {
    const grants = await this.grants.findGrants(principal.userId);
    const scope = issueTenantScope({ userId: principal.userId, roles, platformAdmin: !!grants?.platformAdmin });
    if (!scope.platformAdmin && !scope.roles.some((role) => grants?.roles.includes(role))) {
      throw new DomainError('forbidden', refusal);
    }
    return scope;
  }

  /**
   * The same scope without the 403, for a route that also serves people outside the area (a
   * learner's own enrollment): whatever it does not cover answers "not found".
   */
  async lookupScope(principal: Principal, roles: readonly Role[]): Promise<TenantScope> {
    const grants = await this.grants.findGrants(principal.userId);
    return issueTenantScope({ userId: principal.userId, roles, platformAdmin: !!grants?.platformAdmin });
  }

  /** What is platform-wide (signing keys, new top-level organizations): platform administrators only. */
  async platformScope(principal: Principal): Promise<TenantScope> {
    const scope = await this.lookupScope(principal, []);
    if (!scope.platformAdmin) throw new DomainError('forbidden', 'Only platform administrators can do this');
    return scope;
  }

  /** Which of `organizationIds` the scope covers. */
  async covered(scope: TenantScope, organizationIds: readonly string[]): Promise<Set<string>> {
    if (organizationIds.length === 0) return new Set();
    return new Set(await this.organizations.filterInScope(scope, [...new Set(organizationIds)]));
  }

  async covers(scope: TenantScope, organizationId: string | null | undefined): Promise<boolean> {
    return organizationId != null && (await this.covered(scope, [organizationId])).has(organizationId);
  }

  /** Throws `not_found` for an organization outside the scope. */
  async require(scope: TenantScope, organizationId: string | null | undefined, what = 'Organization'): Promise<void> {
    if (!(await this.covers(scope, organizationId))) throw DomainError.notFound(what);
  }

  /**
   * The organization a form or request chose: `requested` when the scope covers it; when absent,
   * the scope's only top organization. Otherwise a field error on `field`.
   */
  async choose(
    scope: TenantScope,
    requested: string | null | undefined,
    field: string,
    outside = 'Choose an organization you manage',
  ): Promise<string> {
    if (requested == null) {
      const tops = await this.organizations.scopeTops(scope);
      if (tops.length !== 1) throw DomainError.invalidField(field, `${field} is required`);
      return tops[0];
    }
    if (!(await this.covers(scope, requested))) throw DomainError.invalidField(field, outside);
    return requested;
  }
}
