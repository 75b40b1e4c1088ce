import type { TenantScope } from '../access/tenant-scope';
import { Page, PageRequest } from '../shared/page';
import { GrantRepository } from '../access/grant.repository';
import type { Role } from '../access/role';
import { NewUser, User, UserChanges, UserStatus } from './user';

export interface UserListQuery extends PageRequest {
  /** Only users of this organization (which the caller has checked is in scope). */
  readonly organizationId?: string;
  readonly search?: string;
  readonly status?: UserStatus;
}

/**
 * Port: user accounts. A user belongs to the scope of their organization's administrators.
 * The unscoped finders serve a person's own account (sign-in, their launches) and the LTI
 * services, which a tool's credentials authorize.
 */
export abstract class UserRepository extends GrantRepository {
  /** Unscoped: the signed-in person's own account, or a learner named by a launch or a tool. */
  abstract findById(id: string): Promise<User | null>;
  /** Unscoped: the members of a context a tool asked about (NRPS). */
  abstract findByIds(ids: readonly string[]): Promise<User[]>;
  /** With the password hash, for sign-in only. */
  abstract findCredentialsByEmail(email: string): Promise<{ user: User; passwordHash: string | null } | null>;
  abstract findInScope(scope: TenantScope, id: string): Promise<User | null>;
  abstract findByEmailInScope(scope: TenantScope, email: string): Promise<User | null>;
  abstract list(scope: TenantScope, query: UserListQuery): Promise<Page<User>>;
  abstract hasAny(): Promise<boolean>;
  /**
   * In an organization the scope covers (`not_found` otherwise). Throws a `conflict` on `email`
   * when the address is taken.
   */
  abstract create(scope: TenantScope, input: NewUser): Promise<User>;
  /** A user the scope covers, moved only to an organization it covers (`not_found` otherwise). */
  abstract update(scope: TenantScope, id: string, changes: UserChanges): Promise<User>;
  /** Grants or revokes the platform administrator role of a user the scope covers. */
  abstract setPlatformAdmin(scope: TenantScope, id: string, platformAdmin: boolean): Promise<User>;
  /**
   * The operator on the server (command line), outside any scope: grants or revokes the platform
   * administrator role of the account with this email; null when there is none.
   */
  abstract setPlatformAdminByOperator(email: string, platformAdmin: boolean): Promise<User | null>;
  /** First start only: a person with one role, created before anyone could hold a scope. */
  abstract createForBootstrap(
    input: NewUser,
    grant: { role: Role; organizationId: string; platformAdmin: boolean },
  ): Promise<User>;
}
