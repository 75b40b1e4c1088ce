import { User } from '@tms/core';

/** A person's columns for plain SQL: what `toUser` maps from the entity, without the password hash. */
export const USER_COLUMNS = `id, email, name, given_name, family_name, sis_id, login_id, status, organization_id,
       platform_admin, created_at, updated_at`;

export interface UserRow {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly given_name: string | null;
  readonly family_name: string | null;
  readonly sis_id: string | null;
  readonly login_id: string | null;
  readonly status: User['status'];
  readonly organization_id: string;
  readonly platform_admin: boolean;
  readonly created_at: Date;
  readonly updated_at: Date;
}

export function fromUserRow(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    givenName: row.given_name,
    familyName: row.family_name,
    sisId: row.sis_id,
    loginId: row.login_id,
    status: row.status,
    organizationId: row.organization_id,
    platformAdmin: row.platform_admin,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
