import { createLocalJWKSet, decodeProtectedHeader, JSONWebKeySet, jwtVerify } from 'jose';
import { PlatformKeysService } from '@tms/core';
import { ApiClient, createPerson } from './support/api-client';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

describe('platform keys', () => {
  let testApp: TestApp;
  let root: ApiClient;
  let adminB: ApiClient;

  const jwks = async () => {
    const response = await new ApiClient(testApp.baseUrl).get<JSONWebKeySet>('/.well-known/jwks.json');
    expect(response.status).toBe(200);
    return response.body;
  };

  beforeAll(async () => {
    testApp = await startTestApp();
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const orgB = (await root.post('/api/v1/organizations', { name: 'B' })).body.id;
    adminB = (await createPerson(root, { email: 'admin-b@example.com', organizationId: orgB, role: 'site_admin' }))
      .client;
  });

  afterAll(() => testApp.close());

  it('should publish next and current RSA keys with kid, alg RS256 and use sig, without private parts', async () => {
    const { keys } = await jwks();
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key).toEqual({
        kty: 'RSA',
        n: expect.any(String),
        e: 'AQAB',
        kid: expect.any(String),
        alg: 'RS256',
        use: 'sig',
      });
      expect(Buffer.from(key.n!, 'base64url').length * 8).toBe(2048);
    }
    const [row] = await testApp.dataSource.query(
      `SELECT private_key_sealed FROM platform_keys WHERE state = 'current'`,
    );
    expect(row.private_key_sealed).toMatch(/^v1\./);
    expect(row.private_key_sealed).not.toContain('PRIVATE KEY');
  });

  it('should still verify a JWT signed before a rotation, and sign with the new current key after it', async () => {
    const keys = testApp.app.get(PlatformKeysService);
    const before = await jwks();
    const [nextBefore, currentBefore] = before.keys.map((k) => k.kid);
    const oldToken = await keys.signJwt({ iss: testApp.baseUrl, aud: 'tool', sub: 'u1' }, 300);
    expect(decodeProtectedHeader(oldToken).kid).toBe(currentBefore);

    const rotated = await root.post('/api/v1/platform-keys/rotate', {});
    expect(rotated.status).toBe(201);
    expect(rotated.body.activated.kid).toBe(nextBefore);
    expect(rotated.body.retired.kid).toBe(currentBefore);

    const after = await jwks();
    expect(after.keys.map((k) => k.kid)).toEqual([rotated.body.created.kid, nextBefore, currentBefore]);
    const { payload } = await jwtVerify(oldToken, createLocalJWKSet(after), {
      issuer: testApp.baseUrl,
      audience: 'tool',
    });
    expect(payload.sub).toBe('u1');

    const newToken = await keys.signJwt({ iss: testApp.baseUrl, aud: 'tool', sub: 'u2' }, 300);
    expect(decodeProtectedHeader(newToken).kid).toBe(nextBefore);
    await expect(jwtVerify(newToken, createLocalJWKSet(after))).resolves.toBeDefined();
    // Before the rotation the tool already knew the key that signs now (it was published as next).
    await expect(jwtVerify(newToken, createLocalJWKSet(before))).resolves.toBeDefined();

    const listed = await root.get('/api/v1/platform-keys');
    expect(listed.body.map((k: { state: string }) => k.state)).toEqual(['next', 'current', 'previous']);
  });

  it('should drop the previous key once the overlap has passed', async () => {
    const keys = testApp.app.get(PlatformKeysService);
    const retiredKid = (await jwks()).keys[2].kid;
    await testApp.dataSource.query(`UPDATE platform_keys SET retired_at = now() - interval '2 days' WHERE kid = $1`, [
      retiredKid,
    ]);
    expect((await jwks()).keys.map((k) => k.kid)).not.toContain(retiredKid);
    expect(await keys.dropExpired()).toBe(1);
    expect(await testApp.dataSource.query(`SELECT 1 FROM platform_keys WHERE kid = $1`, [retiredKid])).toEqual([]);
  });

  it('should refuse rotation to an admin of a sub-organization and audit it for platform admins only', async () => {
    const refused = await adminB.post('/api/v1/platform-keys/rotate', {});
    expect(refused.status).toBe(403);
    expect((await adminB.get('/api/v1/platform-keys')).status).toBe(403);
    const rootAudit = await root.get('/api/v1/audit-events?entityType=platform_key');
    expect(rootAudit.body.items).toHaveLength(1);
    expect(rootAudit.body.items[0]).toMatchObject({
      action: 'rotate',
      actorName: 'Site Administrator',
      organizationId: null,
    });
    expect((await adminB.get('/api/v1/audit-events?entityType=platform_key')).body.items).toEqual([]);
  });
});

describe('audit log', () => {
  let testApp: TestApp;
  let root: ApiClient;

  beforeAll(async () => {
    testApp = await startTestApp();
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(() => testApp.close());

  it('should record who changed organizations and people, with before and after, never a password', async () => {
    const orgA = (await root.post('/api/v1/organizations', { name: 'A' })).body.id;
    const orgB = (await root.post('/api/v1/organizations', { name: 'B' })).body.id;
    await root.patch(`/api/v1/organizations/${orgA}`, { name: 'A renamed' });
    const person = await createPerson(root, { email: 'p@example.com', organizationId: orgA, role: 'learner' });
    await root.patch(`/api/v1/users/${person.id}`, { password: 'another-long-password', status: 'suspended' });
    const adminB = await createPerson(root, { email: 'admin-b@example.com', organizationId: orgB, role: 'site_admin' });

    const events = (await root.get('/api/v1/audit-events?limit=50')).body.items;
    const describe = (e: { entityType: string; action: string }) => `${e.entityType}:${e.action}`;
    expect(events.map(describe)).toEqual(
      expect.arrayContaining([
        'organization:create',
        'organization:update',
        'user:create',
        'membership:create',
        'user:disable',
      ]),
    );
    const rename = events.find(
      (e: { entityId: string; action: string }) => e.entityId === orgA && e.action === 'update',
    );
    expect(rename).toMatchObject({
      before: { name: 'A' },
      after: { name: 'A renamed' },
      actorName: 'Site Administrator',
    });
    const suspension = events.find((e: { action: string }) => e.action === 'disable');
    expect(suspension.after).toEqual({ status: 'suspended', password: '(changed)' });
    const text = JSON.stringify(events);
    expect(text).not.toContain('another-long-password');
    expect(text).not.toContain('scrypt');

    // B's admin sees B's history only.
    const seenByB = (await adminB.client.get('/api/v1/audit-events?limit=50')).body.items;
    expect(seenByB.length).toBeGreaterThan(0);
    expect(seenByB.every((e: { organizationId: string }) => e.organizationId === orgB)).toBe(true);
    expect((await adminB.client.get(`/api/v1/audit-events?organizationId=${orgA}`)).status).toBe(404);
  });
});
