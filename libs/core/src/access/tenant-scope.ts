import type { Role } from './role';

declare const issuedByAccess: unique symbol;

/**
 * Whose tenant data a request may read or write (CONVENTIONS.md §6): the organizations where the
 * user holds one of `roles`, and everything below them. Every port method for tenant data takes one,
 * and persistence turns it into a single SQL condition over the organization closure and the
 * user's memberships, so a query without it does not compile and no id list is ever built.
 *
 * Only AccessService issues it, from the authenticated principal (never from a request body): the
 * brand cannot be written as an object literal, and `issueTenantScope` is not exported by
 * `@tms/core` (lint refuses the import outside the access module and tests).
 */
export interface TenantScope {
  readonly [issuedByAccess]: true;
  readonly userId: string;
  /** The roles whose memberships open organizations to this scope; `site_admin` is always one. */
  readonly roles: readonly Role[];
  /**
   * A platform administrator (DESIGN.md §3): also sees what belongs to no organization (unattributed
   * score-ledger entries, platform audit events) and may create top-level organizations. It opens no
   * organization by itself.
   */
  readonly platformAdmin: boolean;
}

export interface TenantGrant {
  readonly userId: string;
  readonly roles: readonly Role[];
  readonly platformAdmin: boolean;
}

/** For AccessService (and unit tests) only. */
export function issueTenantScope(grant: TenantGrant): TenantScope {
  const roles = Object.freeze([...new Set<Role>(['site_admin', ...grant.roles])]);
  return Object.freeze({ userId: grant.userId, roles, platformAdmin: grant.platformAdmin }) as TenantScope;
}
