import { AccessService } from './access.service';
import { GrantRepository } from './grant.repository';
import { OrganizationScopeRepository } from './organization-scope.repository';
import { Role } from './role';
import { TenantScope } from './tenant-scope';

export interface FakeTenancy {
  /** The organization tree. */
  readonly organizations: ReadonlyArray<{ readonly id: string; readonly parentId: string | null }>;
  readonly memberships: ReadonlyArray<{
    readonly userId: string;
    readonly organizationId: string;
    readonly role: Role;
  }>;
  readonly platformAdmins?: readonly string[];
}

/**
 * For unit tests: the scope rules of the persistence layer (closure table joined with memberships)
 * computed in memory, behind a real AccessService. `covered(scope)` is what SQL would answer.
 */
export function fakeAccess(tenancy: FakeTenancy) {
  const below = (id: string): string[] => [
    id,
    ...tenancy.organizations.filter((o) => o.parentId === id).flatMap((o) => below(o.id)),
  ];
  const rooted = (scope: TenantScope) =>
    tenancy.memberships.filter((m) => m.userId === scope.userId && scope.roles.includes(m.role));
  const covered = (scope: TenantScope) => new Set(rooted(scope).flatMap((m) => below(m.organizationId)));
  const parentOf = (id: string) => tenancy.organizations.find((o) => o.id === id)?.parentId ?? null;
  const ancestors = (id: string): string[] => {
    const parent = parentOf(id);
    return parent === null ? [] : [parent, ...ancestors(parent)];
  };
  const organizations = {
    filterInScope: async (scope: TenantScope, ids: readonly string[]) => ids.filter((id) => covered(scope).has(id)),
    scopeTops: async (scope: TenantScope) => {
      const all = covered(scope);
      const roots = rooted(scope).map((m) => m.organizationId);
      return [...new Set(roots)].filter((id) => !ancestors(id).some((a) => all.has(a))).sort();
    },
    findLineageIds: async (ids: readonly string[]) => [...new Set(ids.flatMap((id) => [id, ...ancestors(id)]))],
    isWithin: async (id: string, ancestorId: string) => below(ancestorId).includes(id),
  };
  const users = {
    findGrants: async (userId: string) => ({
      platformAdmin: tenancy.platformAdmins?.includes(userId) ?? false,
      roles: [...new Set(tenancy.memberships.filter((m) => m.userId === userId).map((m) => m.role))],
    }),
  };
  const access = new AccessService(users as GrantRepository, organizations as OrganizationScopeRepository);
  return { access, covered, organizations, users };
}
