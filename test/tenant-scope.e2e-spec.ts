import { AccessService, OrganizationRepository } from '@tms/core';
import { TenantScope1796392545337 } from '../migrations/1796392545337-TenantScope';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { ApiClient, createPerson } from './support/api-client';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

/**
 * The tenant scope in PostgreSQL: the organization closure the triggers keep, the one SQL condition
 * every repository filters with, and what it never does (lists of organization ids in parameters).
 */
/** Every statement TypeORM sends, with its parameters, until the returned spy is restored. */
function recordStatements(record: (query: string, parameters: unknown[]) => void) {
  const original = PostgresQueryRunner.prototype.query;
  return jest.spyOn(PostgresQueryRunner.prototype, 'query').mockImplementation(function (
    this: PostgresQueryRunner,
    query: string,
    parameters?: unknown[],
    structured?: boolean,
  ) {
    record(query, parameters ?? []);
    return original.call(this, query, parameters, structured as never);
  } as typeof original);
}

describe('tenant scope in SQL', () => {
  let testApp: TestApp;
  let root: ApiClient;
  const ids: Record<string, string> = {};
  let user: string;

  /** Closure rows as "ancestor>descendant@depth", by organization names. */
  const closure = async (): Promise<string[]> => {
    const names = Object.fromEntries(Object.entries(ids).map(([name, id]) => [id, name]));
    const rows: Array<{ ancestor_id: string; descendant_id: string; depth: number }> = await testApp.dataSource.query(
      'SELECT ancestor_id, descendant_id, depth FROM organization_closure WHERE descendant_id = ANY($1::uuid[])',
      [Object.values(ids)],
    );
    return rows.map((r) => `${names[r.ancestor_id] ?? 'top'}>${names[r.descendant_id]}@${r.depth}`).sort();
  };

  const make = async (name: string, parent: string | null) => {
    const created = await root.post('/api/v1/organizations', { name, parentId: parent && ids[parent] });
    if (created.status !== 201) throw new Error(`${name}: ${created.status} ${created.text}`);
    ids[name] = created.body.id;
  };

  beforeAll(async () => {
    testApp = await startTestApp();
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    // a ─ a1 ─ a2 ; b ─ b1 (both top-level organizations).
    await make('a', null);
    await make('a1', 'a');
    await make('a2', 'a1');
    await make('b', null);
    await make('b1', 'b');
    user = (await createPerson(root, { email: 'mixed@example.com', organizationId: ids.a1, role: 'site_admin' })).id;
    await root.post(`/api/v1/users/${user}/memberships`, { organizationId: ids.b1, role: 'instructor' });
  });

  afterAll(() => testApp.close());

  it('should hold every ancestor of each organization with its depth when organizations are created', async () => {
    expect(await closure()).toEqual(
      ['a>a@0', 'a>a1@1', 'a>a2@2', 'a1>a1@0', 'a1>a2@1', 'a2>a2@0', 'b>b@0', 'b>b1@1', 'b1>b1@0'].sort(),
    );
  });

  it('should move a subtree with its descendants when a parent changes, and refuse a cycle in the database', async () => {
    const moved = await root.patch(`/api/v1/organizations/${ids.a1}`, { parentId: ids.b1 });
    expect(moved.status).toBe(200);
    expect(await closure()).toEqual(
      [
        'a>a@0',
        'b>b@0',
        'b>b1@1',
        'b1>b1@0',
        'b>a1@2',
        'b1>a1@1',
        'a1>a1@0',
        'b>a2@3',
        'b1>a2@2',
        'a1>a2@1',
        'a2>a2@0',
      ].sort(),
    );
    const before = await closure();
    await expect(
      testApp.dataSource.query('UPDATE organizations SET parent_id = $1 WHERE id = $2', [ids.a2, ids.b]),
    ).rejects.toMatchObject({ driverError: expect.objectContaining({ code: '23514' }) });
    expect(await closure()).toEqual(before);
    await root.patch(`/api/v1/organizations/${ids.a1}`, { parentId: ids.a });
  });

  it('should rebuild the same closure from the tree when the migration runs again (its backfill)', async () => {
    const before = await closure();
    const migration = new TenantScope1796392545337();
    const runner = testApp.dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await closure()).toEqual(before);
    // The bootstrap administrator (first site admin of a top-level organization) is the platform administrator again.
    expect((await root.get('/api/v1/platform-keys')).status).toBe(200);
  });

  it('should cover the organizations of the roles a scope is resolved for, and everything below them', async () => {
    const access = testApp.app.get(AccessService);
    const organizations = testApp.app.get(OrganizationRepository);
    const names = async (scope: Awaited<ReturnType<AccessService['scope']>>) => {
      const byId = Object.fromEntries(Object.entries(ids).map(([name, id]) => [id, name]));
      return (await organizations.listInScope(scope)).map((o) => byId[o.id]).sort();
    };
    const admin = await access.scope({ userId: user });
    expect(admin).toMatchObject({ userId: user, platformAdmin: false });
    expect(await names(admin)).toEqual(['a1', 'a2']);
    expect(await organizations.scopeTops(admin)).toEqual([ids.a1]);
    expect((await organizations.filterInScope(admin, [ids.a, ids.a2, ids.b1, 'not-a-uuid'])).sort()).toEqual([ids.a2]);
    const teaching = await access.scope({ userId: user }, ['instructor']);
    expect(await names(teaching)).toEqual(['a1', 'a2', 'b1']);
    expect((await organizations.scopeTops(teaching)).sort()).toEqual([ids.a1, ids.b1].sort());
    const learner = await createPerson(root, { email: 'l@example.com', organizationId: ids.a, role: 'learner' });
    await expect(access.scope({ userId: learner.id })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await names(await access.lookupScope({ userId: learner.id }, ['instructor']))).toEqual([]);
  });

  it('should send no list of organization ids to PostgreSQL when an admin reads lists', async () => {
    const organizationIds = new Set(Object.values(ids));
    const sent: unknown[][] = [];
    const spy = recordStatements((_query, parameters) => sent.push(parameters));
    try {
      for (const path of [
        '/api/v1/organizations',
        '/api/v1/users',
        '/api/v1/lti/providers',
        '/api/v1/lti/resource-links',
        '/api/v1/courses',
        '/api/v1/classes',
        '/api/v1/self-paced-assignments',
        '/api/v1/audit-events',
        '/api/v1/score-ledger',
      ]) {
        expect({ path, status: (await root.get(path)).status }).toEqual({ path, status: 200 });
      }
    } finally {
      spy.mockRestore();
    }
    expect(sent.length).toBeGreaterThan(9);
    // Neither a list nor a single organization id: the scope is the user id and the roles.
    const organizationParameters = sent.flat(2).filter((value) => organizationIds.has(value as string));
    expect(organizationParameters).toEqual([]);
    expect(Math.max(...sent.map((parameters) => parameters.length))).toBeLessThanOrEqual(8);
  });

  it('should list the same people whether a list starts from the covered set (a small share of the organizations) or probes each row (a large one)', async () => {
    const password = 'a-long-test-password';
    await createPerson(root, {
      email: 'branch-admin@example.com',
      organizationId: ids.a2,
      role: 'site_admin',
      password,
    });
    await createPerson(root, { email: 'in-b1@example.com', organizationId: ids.b1, role: 'learner' });
    // Twenty more organizations under b, then statistics: a2 alone is then under a fifth of them all.
    for (let n = 0; n < 20; n += 1) await make(`b-${n}`, 'b');
    await testApp.dataSource.query('ANALYZE organizations');
    const branch = await ApiClient.signIn(testApp.baseUrl, 'branch-admin@example.com', password);

    const statements: string[] = [];
    const spy = recordStatements((query) => statements.push(query));
    const emails = async (client: ApiClient) => {
      statements.length = 0;
      const answer = await client.get('/api/v1/users?limit=200');
      expect(answer.status).toBe(200);
      const listed = statements.find((sql) => sql.includes('FROM "users" "u"') && sql.includes('ORDER BY'));
      return { emails: (answer.body.items as Array<{ email: string }>).map((u) => u.email).sort(), sql: listed ?? '' };
    };
    try {
      const narrow = await emails(branch);
      expect(narrow.emails).toEqual(['branch-admin@example.com']);
      expect(narrow.sql).toContain('"u"."organization_id" IN (SELECT scope_oc.descendant_id');
      const broad = await emails(root);
      expect(broad.emails).toEqual(expect.arrayContaining(['branch-admin@example.com', 'in-b1@example.com']));
      expect(broad.sql).toContain('EXISTS (SELECT 1 FROM organization_closure scope_oc');
      expect(broad.sql).not.toContain('IN (SELECT scope_oc.descendant_id');
    } finally {
      spy.mockRestore();
    }
  });
});
