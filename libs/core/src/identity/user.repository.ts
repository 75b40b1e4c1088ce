import { Page, PageRequest } from '../shared/page';
import { Membership, NewUser, Role, User, UserChanges, UserStatus } from './user';

export interface UserListQuery extends PageRequest {
  /** The caller's scope: only users whose organization is one of these. */
  readonly organizationIds: readonly string[];
  readonly search?: string;
  readonly status?: UserStatus;
}

/** Port: user accounts. */
export abstract class UserRepository {
  abstract findById(id: string): Promise<User | null>;
  abstract findByIds(ids: readonly string[]): Promise<User[]>;
  /** With the password hash, for sign-in only. */
  abstract findCredentialsByEmail(email: string): Promise<{ user: User; passwordHash: string | null } | null>;
  abstract list(query: UserListQuery): Promise<Page<User>>;
  abstract hasAny(): Promise<boolean>;
  /** Throws a `conflict` on `email` when the address is taken. */
  abstract create(input: NewUser): Promise<User>;
  abstract update(id: string, changes: UserChanges): Promise<User>;
}

/** Port: roles per organization. */
export abstract class MembershipRepository {
  abstract listForUser(userId: string): Promise<Membership[]>;
  /** Adding a role the user already has there returns the existing membership. */
  abstract add(input: { userId: string; organizationId: string; role: Role }): Promise<Membership>;
  abstract remove(userId: string, membershipId: string): Promise<boolean>;
}
