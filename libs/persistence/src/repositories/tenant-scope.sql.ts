import { DomainError, isUuid, TenantScope } from '@tms/core';
import { LRUCache } from 'lru-cache';
import { TransactionContext } from '../database/transaction-context';

/**
 * A TenantScope in SQL: every organization below (or at) one where the user holds one of the
 * scope's roles, from the closure table kept by PostgreSQL. Its only parameters are the user id and
 * the roles, never a list of organizations. Two forms of the same condition, for two plan shapes:
 *
 * - `covers`: a probe of one row's organization — its ancestors (at most the tree's depth, from
 *   the closure's descendant index) against the user's memberships. Its cost does not depend on how
 *   many organizations the scope covers, so a lookup by id, a roster or a report costs the same in a
 *   tenant of 10 organizations and of 10,000. `OFFSET 0` keeps PostgreSQL from turning the EXISTS into
 *   a join (it does not pull up a sublink with OFFSET): planned as a join, the planner reads the
 *   scope's subtree first whenever it believes it small — and it believes every subtree is about
 *   five organizations, the closure's average, so a site administrator of 10,000 paid for all of them.
 * - `coveredSet`: the subtree itself, read once per statement. The better start when the scope
 *   covers few of many organizations; `listScope` chooses between the two for lists.
 */
function covers(column: ScopedColumn, userParam: string, rolesParam: string): string {
  return `EXISTS (SELECT 1 FROM organization_closure scope_oc
      JOIN memberships scope_m ON scope_m.organization_id = scope_oc.ancestor_id
     WHERE scope_oc.descendant_id = ${column} AND scope_m.user_id = ${userParam}
       AND scope_m.role = ANY(CAST(${rolesParam} AS varchar[])) OFFSET 0)`;
}

function coveredSet(column: ScopedColumn, userParam: string, rolesParam: string): string {
  return `${column} IN (SELECT scope_oc.descendant_id FROM organization_closure scope_oc
      JOIN memberships scope_m ON scope_m.organization_id = scope_oc.ancestor_id
     WHERE scope_m.user_id = ${userParam} AND scope_m.role = ANY(CAST(${rolesParam} AS varchar[])))`;
}

/**
 * The column a scope condition probes, always qualified (`alias.column`) or a typed parameter: inside
 * the probe's subquery an unqualified `id` or `organization_id` would name the membership's own.
 */
export type ScopedColumn = `${string}.${string}` | `$${number}::uuid`;

/** A scope condition on one column, with the named parameters of `scopeParameters`. */
export type ScopeCondition = (column: ScopedColumn) => string;

/** For the query builder: `<column>` is an organization the scope covers (a per-row probe). */
export const inScope: ScopeCondition = (column) => covers(column, ':scopeUserId', ':scopeRoles');

/** For the query builder: the same condition as `inScope`, as the set of covered organizations. */
const inCoveredSet: ScopeCondition = (column) => coveredSet(column, ':scopeUserId', ':scopeRoles');

/**
 * The scope's share of all organizations above which a list probes each row (walking the list's
 * order and stopping at the page) rather than starting from the covered set: at one in five, a page
 * of 10 probes about 50 rows, and a capped count about five times its cap.
 */
const BROAD_SHARE = 5;

/**
 * The condition a list of rows in the scope should use: `inScope` when the scope covers at least a
 * fifth of the organizations (a tenant's site administrator), the covered set when it covers fewer (an
 * administrator of one branch of a large installation), where walking a whole table to find a page
 * would cost what the scope leaves out. One round trip that reads at most that fifth of the closure.
 */
export async function listScope(tx: TransactionContext, scope: TenantScope): Promise<ScopeCondition> {
  return (await isBroad(tx, scope)) ? inScope : inCoveredSet;
}

/**
 * Whether a scope is broad, per process for a minute: the answer picks a plan, never rows (both forms
 * list the same), so one a minute old costs at most a slower plan after a reorganization, and a list
 * saves the round trip that reads up to a fifth of the closure (0.3 ms at 11,000 organizations).
 */
const breadths = new LRUCache<string, boolean>({ max: 10_000, ttl: 60_000 });

async function isBroad(tx: TransactionContext, scope: TenantScope): Promise<boolean> {
  const key = `${scope.userId} ${[...scope.roles].sort().join(' ')}`;
  let broad = breadths.get(key);
  if (broad === undefined) {
    broad = await readBreadth(tx, scope);
    breadths.set(key, broad);
  }
  return broad;
}

async function readBreadth(tx: TransactionContext, scope: TenantScope): Promise<boolean> {
  const [row] = await tx.prepared<{ broad: boolean }>(
    `WITH share AS (SELECT ceil(greatest(reltuples, 1) / ${BROAD_SHARE})::int AS n FROM pg_class
                     WHERE oid = 'organizations'::regclass)
     SELECT count(*) >= (SELECT n FROM share) AS broad
       FROM (SELECT 1 FROM organization_closure oc JOIN memberships m ON m.organization_id = oc.ancestor_id
              WHERE m.user_id = $1 AND m.role = ANY(CAST($2 AS varchar[])) LIMIT (SELECT n FROM share)) AS covered`,
    scopeValues(scope),
  );
  return row?.broad ?? false;
}

/**
 * For the query builder: `<column>` is an organization the scope covers or one above it (where the
 * catalog entries available to covered organizations may be offered, since availability reaches down).
 * Above: a probe of the closure's primary key for each of the user's memberships.
 */
export function inReach(column: ScopedColumn, covered: ScopeCondition = inScope): string {
  return `(${covered(column)} OR EXISTS (SELECT 1 FROM memberships reach_m
      JOIN organization_closure reach_oc ON reach_oc.descendant_id = reach_m.organization_id
     WHERE reach_oc.ancestor_id = ${column} AND reach_m.user_id = :scopeUserId
       AND reach_m.role = ANY(CAST(:scopeRoles AS varchar[])) OFFSET 0))`;
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
export function platformWide(column: ScopedColumn): string {
  return `(${column} IS NULL AND CAST(:scopePlatformAdmin AS boolean))`;
}

/** For raw SQL: `inScope` with positional parameters (`$2`, `$3`, …). */
export function inScopeRaw(column: ScopedColumn, userParam: string, rolesParam: string): string {
  return covers(column, userParam, rolesParam);
}

/** For raw SQL: the condition `listScope` chose, with positional parameters. */
export async function listScopeRaw(
  tx: TransactionContext,
  scope: TenantScope,
): Promise<(column: ScopedColumn, userParam: string, rolesParam: string) => string> {
  return (await isBroad(tx, scope)) ? covers : coveredSet;
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
