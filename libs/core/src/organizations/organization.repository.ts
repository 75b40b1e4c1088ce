import { ScopedOrganization } from '../access/admin-scope';
import { Organization } from './organization';

/** Port: the organization tree. Implemented in libs/persistence. */
export abstract class OrganizationRepository {
  abstract findById(id: string): Promise<Organization | null>;
  /** The given organizations, sorted by name. */
  abstract listByIds(ids: readonly string[]): Promise<Organization[]>;
  /** Every organization where the user is site admin, and all their descendants. */
  abstract findManaged(userId: string): Promise<ScopedOrganization[]>;
  /** Every organization where the user holds one of the roles, and all their descendants. */
  abstract findInRoleScope(userId: string, roles: readonly string[]): Promise<ScopedOrganization[]>;
  /** The given organizations and all their ancestors, up to the roots. */
  abstract findLineageIds(ids: readonly string[]): Promise<string[]>;
  /** The organization and all its descendants. */
  abstract findSubtreeIds(id: string): Promise<string[]>;
  /** Throws a `conflict` on the name when a sibling has it already. */
  abstract create(input: { name: string; parentId: string | null }): Promise<Organization>;
  /** Throws a `conflict` on the name when a sibling at the destination has it already. */
  abstract update(id: string, changes: { name: string; parentId: string | null }): Promise<Organization>;
}
