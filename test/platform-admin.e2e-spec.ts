import { ApiClient, createPerson } from './support/api-client';
import { FormSession } from './support/form-session';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

/**
 * The platform administrator (DESIGN.md §3) is a role of its own: an administrator of a top-level
 * organization is not one. The bootstrap administrator is; they grant and revoke the role.
 */
describe('platform administrator', () => {
  let testApp: TestApp;
  let root: ApiClient;
  let rootId: string;
  let orgB: string;
  let adminB: { id: string; client: ApiClient };
  let keysBefore: string[];

  const kids = async () =>
    (await new ApiClient(testApp.baseUrl).get('/.well-known/jwks.json')).body.keys.map((k: { kid: string }) => k.kid);

  beforeAll(async () => {
    testApp = await startTestApp();
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    rootId = (await root.get(`/api/v1/users?search=${encodeURIComponent(ADMIN_EMAIL)}`)).body.items[0].id;
    orgB = (await root.post('/api/v1/organizations', { name: 'Top-level B', parentId: null })).body.id;
    adminB = await createPerson(root, { email: 'admin-b@example.com', organizationId: orgB, role: 'site_admin' });
    keysBefore = await kids();
  });

  afterAll(() => testApp.close());

  it('should make the bootstrap administrator a platform administrator, and nobody else by default', async () => {
    expect((await root.get(`/api/v1/users/${rootId}`)).body.platformAdmin).toBe(true);
    expect((await root.get(`/api/v1/users/${adminB.id}`)).body.platformAdmin).toBe(false);
  });

  it('should answer 403 and rotate nothing when an admin of a top-level organization rotates or lists the keys', async () => {
    expect((await root.get(`/api/v1/organizations/${orgB}`)).body.parentId).toBeNull();
    const refused = await adminB.client.post('/api/v1/platform-keys/rotate', {});
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect((await adminB.client.get('/api/v1/platform-keys')).status).toBe(403);
    expect(await kids()).toEqual(keysBefore);

    const page = new FormSession(testApp.baseUrl);
    await page.signIn('admin-b@example.com', 'a-long-test-password');
    const html = await page.get('/admin/lti/platform-keys');
    expect(html.status).toBe(403);
    expect(await html.text()).toContain('Only platform administrators can do this');
    expect((await page.get('/admin/lti/providers')).status).toBe(200);
    expect((await page.post('/admin/lti/platform-keys/rotate', {})).status).toBe(403);
    expect(await kids()).toEqual(keysBefore);
  });

  it('should refuse a top-level organization to an admin of a top-level organization, creating nothing', async () => {
    const before = (await root.get('/api/v1/organizations?limit=200')).body.total;
    const refused = await adminB.client.post('/api/v1/organizations', { name: 'Tenant of my own', parentId: null });
    expect(refused.status).toBe(403);
    expect((await root.get('/api/v1/organizations?limit=200')).body.total).toBe(before);
  });

  it('should let a platform administrator grant the role, shown on the person, audited, and then revoke it', async () => {
    const granted = await root.request('PUT', `/api/v1/users/${adminB.id}/platform-admin`);
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({ id: adminB.id, platformAdmin: true });
    const rotated = await adminB.client.post('/api/v1/platform-keys/rotate', {});
    expect(rotated.status).toBe(201);

    const page = new FormSession(testApp.baseUrl);
    await page.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    const person = await (await page.get(`/admin/people/${adminB.id}`)).text();
    expect(person).toContain('data-platform-admin="true"');
    expect(person).toContain('Revoke platform administrator');

    const revoked = await root.delete(`/api/v1/users/${adminB.id}/platform-admin`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.platformAdmin).toBe(false);
    expect((await adminB.client.post('/api/v1/platform-keys/rotate', {})).status).toBe(403);

    const audit = (await root.get(`/api/v1/audit-events?entityType=user&entityId=${adminB.id}`)).body.items;
    expect(audit.map((e: { before: unknown; after: unknown }) => [e.before, e.after])).toEqual(
      expect.arrayContaining([
        [{ platformAdmin: false }, { platformAdmin: true }],
        [{ platformAdmin: true }, { platformAdmin: false }],
      ]),
    );
    // Platform-wide entries: B's own administrator does not read them.
    const seenByB = (await adminB.client.get(`/api/v1/audit-events?entityId=${adminB.id}`)).body.items;
    expect(seenByB.filter((e: { after: Record<string, unknown> }) => 'platformAdmin' in (e.after ?? {}))).toEqual([]);
  });

  it('should refuse granting to anyone but a platform administrator, and revoking one’s own role', async () => {
    const refused = await adminB.client.request('PUT', `/api/v1/users/${adminB.id}/platform-admin`);
    expect(refused.status).toBe(403);
    expect((await root.get(`/api/v1/users/${adminB.id}`)).body.platformAdmin).toBe(false);
    const own = await root.delete(`/api/v1/users/${rootId}/platform-admin`);
    expect(own.status).toBe(400);
    expect(own.body.errors).toEqual([expect.objectContaining({ field: 'platformAdmin' })]);
    expect((await root.get(`/api/v1/users/${rootId}`)).body.platformAdmin).toBe(true);
  });

  it('should make a platform administrator the first site administrator of a top-level organization they create', async () => {
    const made = await root.post('/api/v1/organizations', { name: 'Tenant C', parentId: null });
    expect(made.status).toBe(201);
    expect(made.body.parentId).toBeNull();
    const memberships = (await root.get(`/api/v1/users/${rootId}/memberships`)).body;
    expect(memberships).toEqual(
      expect.arrayContaining([expect.objectContaining({ organizationId: made.body.id, role: 'site_admin' })]),
    );
    expect((await adminB.client.get(`/api/v1/organizations/${made.body.id}`)).status).toBe(404);

    const page = new FormSession(testApp.baseUrl);
    await page.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.get('/admin/organizations');
    const viaForm = await page.post('/admin/organizations', { name: 'Tenant D', parentId: 'top-level' });
    expect(viaForm.status).toBe(303);
    const listed = (await root.get('/api/v1/organizations?search=Tenant%20D')).body.items;
    expect(listed).toEqual([expect.objectContaining({ name: 'Tenant D', parentId: null })]);
  });
});
