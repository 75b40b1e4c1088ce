import type { TenantScope } from './tenant-scope';

/**
 * Port: which organizations a scope covers. The organization tree's repository answers it
 * (organizations' OrganizationRepository extends it), so access needs nothing of organizations.
 */
export abstract class OrganizationScopeRepository {
  /** The ids among `ids` that the scope covers. */
  abstract filterInScope(scope: TenantScope, ids: readonly string[]): Promise<string[]>;
  /** Where the scope's ground starts: covered organizations whose parent is not covered. */
  abstract scopeTops(scope: TenantScope): Promise<string[]>;
}
