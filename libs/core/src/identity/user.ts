import type { Role } from '../access/role';

export const USER_STATUSES = ['active', 'suspended'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export interface User {
  readonly id: string;
  /** Stored lower-cased; the sign-in name. */
  readonly email: string;
  readonly name: string;
  readonly givenName: string | null;
  readonly familyName: string | null;
  /** Student information system id, sent to tools as lis_person_sourcedid where privacy allows. */
  readonly sisId: string | null;
  readonly loginId: string | null;
  readonly status: UserStatus;
  /** The organization the user belongs to; its admins manage the account. */
  readonly organizationId: string;
  /** A platform administrator (DESIGN.md §3): signing keys, unattributed ledger entries, top-level organizations. */
  readonly platformAdmin: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/**
 * What a tool may be told of a person (LTI launches, NRPS members), as the tool's privacy setting
 * allows, and whether their account is active; nothing of the account's internals.
 */
export type ToolFacingPerson = Pick<
  User,
  'id' | 'email' | 'name' | 'givenName' | 'familyName' | 'sisId' | 'loginId' | 'status'
>;

export interface Membership {
  readonly id: string;
  readonly userId: string;
  readonly organizationId: string;
  readonly role: Role;
  readonly createdAt: Date;
}

export type NewUser = Omit<User, 'id' | 'status' | 'platformAdmin' | 'createdAt' | 'updatedAt'> & {
  readonly passwordHash: string | null;
};

export type UserChanges = Partial<
  Pick<NewUser, 'email' | 'name' | 'givenName' | 'familyName' | 'sisId' | 'loginId' | 'passwordHash' | 'organizationId'>
> & { readonly status?: UserStatus };

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;
