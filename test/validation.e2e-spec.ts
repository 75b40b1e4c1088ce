import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';
import { ApiClient } from './support/api-client';

describe('bad input', () => {
  let testApp: TestApp;
  let admin: ApiClient;
  let rootId: string;

  const counts = async () => {
    const [row] = await testApp.dataSource.query(
      `SELECT (SELECT count(*) FROM organizations)::int AS organizations, (SELECT count(*) FROM users)::int AS users,
              (SELECT count(*) FROM memberships)::int AS memberships`,
    );
    return row as { organizations: number; users: number; memberships: number };
  };

  beforeAll(async () => {
    testApp = await startTestApp();
    admin = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    rootId = (await admin.get('/api/v1/organizations')).body.items[0].id;
  });

  afterAll(() => testApp.close());

  it('should answer 400 problem+json when the JSON is malformed, writing nothing', async () => {
    const before = await counts();
    for (const body of ['{"name":', '{"name": "x",}', 'null', '[1,2', '\u0000']) {
      const response = await admin.request('POST', '/api/v1/organizations', body);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.text).not.toMatch(/at \w+ \(|node_modules/);
    }
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['an unknown field', { name: 'Ok', isAdmin: true }, 'isAdmin'],
    ['a wrong type', { name: 42 }, 'name'],
    ['an array for a string', { name: ['a'] }, 'name'],
    ['an over-long string', { name: 'x'.repeat(201) }, 'name'],
    ['an empty name', { name: '   ' }, 'name'],
    ['a NUL character', { name: 'a\u0000b' }, 'name'],
    ['a lone surrogate', { name: 'a\ud800b' }, 'name'],
    ['a bidi override', { name: 'evil\u202eexe.txt' }, 'name'],
    ['a control character', { name: 'line\nbreak' }, 'name'],
    ['a parent that is not a UUID', { name: 'Ok', parentId: "1' OR 1=1" }, 'parentId'],
  ])('should answer 400 naming the field for %s, writing nothing', async (_, body, field) => {
    const before = await counts();
    const response = await admin.post('/api/v1/organizations', body);
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it('should give one message per bad field of a user', async () => {
    const before = await counts();
    const response = await admin.post('/api/v1/users', {
      email: 'not-an-email',
      name: '',
      givenName: 7,
      password: 'short',
      organizationId: 'nope',
    });
    expect(response.status).toBe(400);
    const fields = response.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['email', 'givenName', 'name', 'organizationId', 'password']);
    expect(await counts()).toEqual(before);
  });

  it('should accept ordinary Unicode names, normalized to NFC', async () => {
    const response = await admin.post('/api/v1/organizations', { name: 'Cafe\u0301 Zürich 東京 👩‍💻' });
    expect(response.status).toBe(201);
    expect(response.body.name).toBe('Caf\u00e9 Zürich 東京 👩‍💻');
  });

  it('should answer 400 for bad paging and filters, and 404 for ids that are not UUIDs', async () => {
    expect((await admin.get('/api/v1/users?limit=100000')).status).toBe(400);
    expect((await admin.get('/api/v1/users?page=abc')).status).toBe(400);
    expect((await admin.get('/api/v1/users?status=gone')).status).toBe(400);
    expect((await admin.get('/api/v1/users?unknown=1')).status).toBe(400);
    expect((await admin.get('/api/v1/users/not-a-uuid')).status).toBe(404);
    expect((await admin.get('/api/v1/organizations/%00')).status).toBe(404);
  });

  it('should answer 413 to an oversized body and 415-or-400 to a wrong content type, never 500', async () => {
    const big = await admin.post('/api/v1/organizations', { name: 'x'.repeat(300_000) });
    expect(big.status).toBe(413);
    const form = await admin.request('POST', '/api/v1/organizations', 'name=x', 'text/plain');
    expect([400, 415]).toContain(form.status);
  });

  it('should never answer 500 to random client input', async () => {
    const samples: unknown[] = [
      {},
      { name: {} },
      { name: null },
      { name: true, parentId: 5 },
      { name: 'x', parentId: '00000000-0000-0000-0000-000000000000' },
      { constructor: { prototype: { polluted: true } } },
      { ['__proto__']: { polluted: true }, name: 'y' },
      { name: '\uffff\ufffe' },
      { name: '😀'.repeat(200) },
    ];
    const paths = [
      '/api/v1/organizations',
      '/api/v1/users',
      `/api/v1/users/${rootId}/memberships`,
      '/api/v1/auth/token',
    ];
    for (const path of paths) {
      for (const body of samples) {
        const response = await admin.post(path, body);
        expect({ path, body, status: response.status }).toEqual({ path, body, status: expect.any(Number) });
        expect(response.status).toBeLessThan(500);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  describe('JSON nesting and null', () => {
    const deep = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
    const deepArray = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

    it('should answer 400 problem+json to JSON nested 2,000 deep, signed in or not, writing nothing', async () => {
      const before = await counts();
      const anonymous = new ApiClient(testApp.baseUrl);
      for (const [client, path] of [
        [anonymous, '/api/v1/auth/token'],
        [anonymous, '/api/v1/organizations'],
        [admin, '/api/v1/organizations'],
        [admin, '/api/v1/users'],
      ] as const) {
        for (const body of [deep(2000), deepArray(2000), `{"name":"x","parentId":${deep(2000)}}`]) {
          const response = await client.request('POST', path, body);
          expect({ path, status: response.status }).toEqual({ path, status: 400 });
          expect(response.headers.get('content-type')).toContain('application/problem+json');
          expect(response.body.detail).toBe('The JSON body is nested more than 32 levels deep');
          expect(response.body.requestId).toBe(response.headers.get('x-request-id'));
        }
      }
      expect(await counts()).toEqual(before);
    });

    it('should answer 400 to deep JSON sent to a page and to a tool service route too', async () => {
      const page = await fetch(`${testApp.baseUrl}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: deep(2000),
      });
      expect(page.status).toBe(400);
      expect(page.headers.get('content-type')).toContain('text/html');
      const service = await fetch(`${testApp.baseUrl}/lti/1p3/ags/contexts/x/lineitems`, {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.ims.lis.v2.lineitem+json' },
        body: deep(2000),
      });
      expect(service.status).toBe(400);
      expect(service.headers.get('content-type')).toContain('application/problem+json');
    });

    it('should take JSON nested 32 deep and refuse it 33 deep', async () => {
      // `name` holds the nesting: 32 levels in all is within the limit and fails only as a wrong type.
      const within = await admin.request('POST', '/api/v1/organizations', `{"name":${deep(31)}}`);
      expect(within.status).toBe(400);
      expect(within.body.errors.map((e: { field: string }) => e.field)).toContain('name');
      const beyond = await admin.request('POST', '/api/v1/organizations', `{"name":${deep(32)}}`);
      expect(beyond.status).toBe(400);
      expect(beyond.body.errors).toBeUndefined();
      expect(beyond.body.detail).toContain('nested more than 32 levels');
    });

    it('should answer 400 naming the field when PATCH /users/:id sends {"name":null}, changing nothing', async () => {
      const user = await admin.post('/api/v1/users', { email: 'null-name@example.com', name: 'Kept Name' });
      expect(user.status).toBe(201);
      const response = await admin.patch(`/api/v1/users/${user.body.id}`, { name: null });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        { field: 'name', message: 'Name must not be null. Enter a name of up to 200 characters.' },
      ]);
      expect((await admin.get(`/api/v1/users/${user.body.id}`)).body.name).toBe('Kept Name');
    });

    it.each([
      ['POST', '/api/v1/users', { email: 'n@example.com', name: 'N', password: null }, 'password'],
      ['POST', '/api/v1/users', { email: 'n@example.com', name: 'N', organizationId: null }, 'organizationId'],
      // (POST /api/v1/organizations takes parentId null: a new top-level organization, test/platform-admin.)
      ['POST', '/api/v1/lti/resource-links', { name: 'N', url: null }, 'url'],
      ['PATCH', '/api/v1/organizations/:root', { name: null }, 'name'],
      ['PATCH', '/api/v1/organizations/:root', { parentId: null }, 'parentId'],
    ])('should answer 400 naming the field to %s %s with %j', async (method, path, body, field) => {
      const before = await counts();
      const response = await admin.request(method, path.replace(':root', rootId), body);
      expect(response.status).toBe(400);
      expect(response.body.errors).toContainEqual({
        field,
        message: expect.stringMatching(/^[A-Z][^.]* must not be null\./),
      });
      expect(await counts()).toEqual(before);
    });

    it('should clear a nullable field when it is sent as null, as OpenAPI documents', async () => {
      const user = await admin.post('/api/v1/users', {
        email: 'clear-sis@example.com',
        name: 'Clear Sis',
        sisId: 'SIS-42',
        givenName: 'Clear',
      });
      expect(user.body.sisId).toBe('SIS-42');
      const cleared = await admin.patch(`/api/v1/users/${user.body.id}`, { sisId: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({ sisId: null, givenName: 'Clear' });
      const [row] = await testApp.dataSource.query('SELECT sis_id FROM users WHERE id = $1', [user.body.id]);
      expect(row.sis_id).toBeNull();

      const document = (await (await fetch(`${testApp.baseUrl}/api/docs-json`)).json()) as {
        components: { schemas: Record<string, { properties: Record<string, { nullable?: boolean }> }> };
      };
      const schemas = document.components.schemas;
      expect(schemas.UpdateUserDto.properties.sisId.nullable).toBe(true);
      expect(schemas.UpdateUserDto.properties.name.nullable).toBeUndefined();
    });
  });
});
