import { DomainError, isUuid, TenantScope } from '@tms/core';
import { TransactionContext } from '../database/transaction-context';

/**
 * A TenantScope in SQL: every organization below (or at) one where the user holds one of the
 * scope's roles, from the closure table kept by PostgreSQL. One subquery shared by every
 * repository; its only parameters are the user id and the roles, never a list of organizations.
 */
function coveredOrganizations(userParam: string, rolesParam: string): string {
  return `SELECT oc.descendant_id FROM organization_closure oc
      JOIN memberships sm ON sm.organization_id = oc.ancestor_id
     WHERE sm.user_id = ${userParam} AND sm.role = ANY(CAST(${rolesParam} AS varchar[]))`;
}

/** For the query builder: `<column> IN (covered organizations)` with named parameters. */
export function inScope(column: string): string {
  return `${column} IN (${coveredOrganizations(':scopeUserId', ':scopeRoles')})`;
}

/**
 * For the query builder: `<column>` is an organization the scope covers or one above it (where the
 * catalog entries available to covered organizations may be offered, since availability reaches down).
 */
export function inReach(column: string): string {
  return `(${inScope(column)} OR ${column} IN (SELECT oc.ancestor_id FROM organization_closure oc
      JOIN memberships sm ON sm.organization_id = oc.descendant_id
     WHERE sm.user_id = :scopeUserId AND sm.role = ANY(CAST(:scopeRoles AS varchar[]))))`;
}

/** For the query builder: `<column>` is the organization of parameter `param` or one of its ancestors. */
export function atOrAbove(column: string, param: string): string {
  return `${column} IN (SELECT lineage.ancestor_id FROM organization_closure lineage WHERE lineage.descendant_id = :${param})`;
}

/** The named parameters `inScope` (and `platformWide`) need; pass them with the condition. */
export function scopeParameters(scope: TenantScope): Record<string, unknown> {
  return { scopeUserId: scope.userId, scopeRoles: [...scope.roles], scopePlatformAdmin: scope.platformAdmin };
}

/** For the query builder: rows of no organization, which only platform administrators see. */
export function platformWide(column: string): string {
  return `(${column} IS NULL AND CAST(:scopePlatformAdmin AS boolean))`;
}

/** For raw SQL: `<column> IN (covered organizations)` with positional parameters (`$2`, `$3`, …). */
export function inScopeRaw(column: string, userParam: string, rolesParam: string): string {
  return `${column} IN (${coveredOrganizations(userParam, rolesParam)})`;
}

/** The positional parameters of `inScopeRaw`, in order: user id, roles. */
export function scopeValues(scope: TenantScope): [string, string[]] {
  return [scope.userId, [...scope.roles]];
}

/** Throws `not_found` (naming `what`) unless the scope covers the organization; for writes. */
export async function requireCovered(
  tx: TransactionContext,
  scope: TenantScope,
  organizationId: string,
  what: string,
): Promise<void> {
  const rows = isUuid(organizationId)
    ? await tx.query(`SELECT 1 WHERE ${inScopeRaw('$1::uuid', '$2', '$3')}`, [organizationId, ...scopeValues(scope)])
    : [];
  if (rows.length === 0) throw DomainError.notFound(what);
}
