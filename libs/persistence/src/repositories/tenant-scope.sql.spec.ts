import { TenantScope } from '@tms/core';
import { issueTenantScope } from '../../../core/src/access/tenant-scope';
import { TransactionContext } from '../database/transaction-context';
import {
  inReach,
  inScope,
  inScopeRaw,
  listScope,
  listScopeRaw,
  platformWide,
  requireCovered,
  scopeParameters,
  scopeValues,
} from './tenant-scope.sql';

const scope: TenantScope = issueTenantScope({ userId: 'user-1', roles: ['instructor'], platformAdmin: false });
const narrowScope: TenantScope = issueTenantScope({ userId: 'user-2', roles: ['instructor'], platformAdmin: false });

describe('tenant scope SQL', () => {
  it('should probe one row’s organization through the closure and the user’s memberships, with the user and roles as its only parameters', () => {
    const sql = inScope('c.organization_id');
    expect(sql).toMatch(/^EXISTS \(SELECT 1 FROM organization_closure scope_oc/);
    expect(sql).toContain('WHERE scope_oc.descendant_id = c.organization_id');
    expect(sql).toContain('JOIN memberships scope_m ON scope_m.organization_id = scope_oc.ancestor_id');
    // OFFSET 0 keeps the probe a per-row subplan: PostgreSQL does not pull such an EXISTS up into a join.
    expect(sql).toMatch(/OFFSET 0\)$/);
    expect([...sql.matchAll(/:(\w+)/g)].map((m) => m[1])).toEqual(['scopeUserId', 'scopeRoles']);
    expect(scopeParameters(scope)).toEqual({
      scopeUserId: 'user-1',
      scopeRoles: ['site_admin', 'instructor'],
      scopePlatformAdmin: false,
    });
    expect(inScopeRaw('candidate.id', '$2', '$3')).toContain('scope_m.user_id = $2');
    expect(inScopeRaw('candidate.id', '$2', '$3')).toContain('scope_m.role = ANY(CAST($3 AS varchar[]))');
    expect(scopeValues(scope)).toEqual(['user-1', ['site_admin', 'instructor']]);
  });

  it('should give a list the probe when the scope covers a fifth of the organizations or more, and the covered set when it covers fewer', async () => {
    const query = jest.fn(async (_sql: string, _parameters?: unknown[]) => [{ broad: true }] as unknown[]);
    const tx = { prepared: query } as unknown as TransactionContext;
    expect(await listScope(tx, scope)).toBe(inScope);
    expect(query.mock.calls[0][0]).toContain('reltuples');
    expect(query.mock.calls[0][1]).toEqual(['user-1', ['site_admin', 'instructor']]);
    query.mockResolvedValueOnce([{ broad: false }]);
    const narrow = await listScope(tx, narrowScope);
    expect(narrow('u.organization_id')).toMatch(
      /^u\.organization_id IN \(SELECT scope_oc\.descendant_id FROM organization_closure scope_oc/,
    );
    expect((await listScopeRaw(tx, narrowScope))('o.id', '$1', '$2')).toMatch(
      /^o\.id IN \(SELECT scope_oc\.descendant_id/,
    );
  });

  it('should ask how broad a scope is once per process and minute, the answer choosing a plan and never rows', async () => {
    const query = jest.fn(async (_sql: string, _parameters?: unknown[]) => [{ broad: false }] as unknown[]);
    const tx = { prepared: query } as unknown as TransactionContext;
    const once = issueTenantScope({ userId: 'user-3', roles: ['instructor'], platformAdmin: false });

    const first = await listScope(tx, once);
    const again = await listScope(tx, once);
    const otherRoles = await listScope(tx, issueTenantScope({ userId: 'user-3', roles: [], platformAdmin: false }));

    expect(
      [first, again, otherRoles].map((condition) => condition('u.organization_id').startsWith('u.organization_id IN')),
    ).toEqual([true, true, true]);
    expect(query).toHaveBeenCalledTimes(2);
  });

  it('should reach the ancestors of the scope’s organizations for catalog availability, and rows of no organization only for platform administrators', () => {
    expect(inReach('av.organization_id')).toContain('WHERE reach_oc.ancestor_id = av.organization_id');
    expect(inReach('av.organization_id')).toContain(inScope('av.organization_id'));
    expect(platformWide('s.organization_id')).toBe(
      '(s.organization_id IS NULL AND CAST(:scopePlatformAdmin AS boolean))',
    );
  });

  it('should refuse a write to an organization outside the scope, and ask nothing for a malformed id', async () => {
    const query = jest.fn(async (_sql: string, _parameters?: unknown[]) => [] as unknown[]);
    const tx = { query } as unknown as TransactionContext;
    await expect(requireCovered(tx, scope, 'not-a-uuid', 'Course')).rejects.toMatchObject({ code: 'not_found' });
    expect(query).not.toHaveBeenCalled();
    const id = '0b6c5a3e-4f1d-4a7e-9d0a-1c2b3d4e5f60';
    await expect(requireCovered(tx, scope, id, 'Course')).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringContaining('Course'),
    });
    expect(query.mock.calls[0][1]).toEqual([id, 'user-1', ['site_admin', 'instructor']]);
    query.mockResolvedValueOnce([{ '?column?': 1 }]);
    await expect(requireCovered(tx, scope, id, 'Course')).resolves.toBeUndefined();
  });
});
