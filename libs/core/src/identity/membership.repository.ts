import type { TenantScope } from '../access/tenant-scope';
import type { Role } from '../access/role';
import { Membership } from './user';

/** Port: roles per organization. */
export abstract class MembershipRepository {
  /** Unscoped: the signed-in person's own roles (the page layout shows each its areas). */
  abstract listForUser(userId: string): Promise<Membership[]>;
  /** The user's memberships in organizations the scope covers. */
  abstract listForUserInScope(scope: TenantScope, userId: string): Promise<Membership[]>;
  /**
   * In an organization the scope covers (`not_found` otherwise). Adding a role the user already has
   * there returns the existing membership.
   */
  abstract add(scope: TenantScope, input: { userId: string; organizationId: string; role: Role }): Promise<Membership>;
  /** Only a membership in an organization the scope covers. */
  abstract remove(scope: TenantScope, userId: string, membershipId: string): Promise<boolean>;
}
