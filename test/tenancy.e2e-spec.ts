import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';
import { ApiClient, createPerson } from './support/api-client';
import { FormSession } from './support/form-session';

describe('organization scope', () => {
  let testApp: TestApp;
  let root: ApiClient;
  let orgA: string;
  let orgB: string;
  let childOfA: string;
  let adminB: ApiClient;
  let learnerOfA: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    orgA = (await root.post('/api/v1/organizations', { name: 'A' })).body.id;
    orgB = (await root.post('/api/v1/organizations', { name: 'B' })).body.id;
    childOfA = (await root.post('/api/v1/organizations', { name: 'A child', parentId: orgA })).body.id;
    adminB = (await createPerson(root, { email: 'admin-b@example.com', organizationId: orgB, role: 'site_admin' }))
      .client;
    learnerOfA = (await createPerson(root, { email: 'learner-a@example.com', organizationId: orgA, role: 'learner' }))
      .id;
  });

  afterAll(() => testApp.close());

  it('should answer 404 to an admin of B for anything of its sibling A', async () => {
    for (const path of [
      `/api/v1/organizations/${orgA}`,
      `/api/v1/organizations/${childOfA}`,
      `/api/v1/users/${learnerOfA}`,
      `/api/v1/users/${learnerOfA}/memberships`,
    ]) {
      const response = await adminB.get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await adminB.get(`/api/v1/users?organizationId=${orgA}`)).status).toBe(404);
    expect((await adminB.patch(`/api/v1/organizations/${orgA}`, { name: 'Taken over' })).status).toBe(404);
    expect((await adminB.patch(`/api/v1/users/${learnerOfA}`, { status: 'suspended' })).status).toBe(404);
    expect(
      (await adminB.post(`/api/v1/users/${learnerOfA}/memberships`, { organizationId: orgB, role: 'learner' })).status,
    ).toBe(404);
    expect((await root.get(`/api/v1/organizations/${orgA}`)).body.name).toBe('A');
    expect((await root.get(`/api/v1/users/${learnerOfA}`)).body.status).toBe('active');
  });

  it('should answer 404 pages to an admin of B for A, and show only B in the tree', async () => {
    const browser = new FormSession(testApp.baseUrl);
    await browser.signIn('admin-b@example.com', 'a-long-test-password');
    for (const path of [
      `/admin/organizations/${orgA}`,
      `/admin/organizations/${childOfA}`,
      `/admin/people/${learnerOfA}`,
    ]) {
      const response = await browser.get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
    }
    await browser.get(`/admin/people/${learnerOfA}`);
    const write = await browser.post(`/admin/organizations/${orgA}`, { name: 'Taken over' });
    expect(write.status).toBe(404);
    const tree = await (await browser.get('/admin/organizations')).text();
    expect(tree).toContain('>B<');
    expect(tree).not.toContain('>A<');
    expect((await root.get(`/api/v1/organizations/${orgA}`)).body.name).toBe('A');
  });

  it('should not list A or its people to the admin of B', async () => {
    const organizations = await adminB.get('/api/v1/organizations');
    expect(organizations.body.items.map((o: { name: string }) => o.name)).toEqual(['B']);
    const users = await adminB.get('/api/v1/users');
    expect(users.body.items.map((u: { email: string }) => u.email)).toEqual(['admin-b@example.com']);
  });

  it('should refuse to create or place things under A for the admin of B, writing nothing', async () => {
    const before = (await root.get('/api/v1/organizations')).body.total;
    const created = await adminB.post('/api/v1/organizations', { name: 'Sneaky', parentId: orgA });
    expect(created.status).toBe(400);
    expect(created.body.errors).toEqual([expect.objectContaining({ field: 'parentId' })]);
    const person = await adminB.post('/api/v1/users', { email: 'x@example.com', name: 'X', organizationId: orgA });
    expect(person.status).toBe(400);
    expect(person.body.errors[0].field).toBe('organizationId');
    expect((await root.get('/api/v1/organizations')).body.total).toBe(before);
    expect((await root.get('/api/v1/users?search=x%40example.com')).body.total).toBe(0);
  });

  it('should let the admin of B manage its children: create, rename, move, people and roles', async () => {
    const child = await adminB.post('/api/v1/organizations', { name: 'B team' });
    expect(child.status).toBe(201);
    expect(child.body.parentId).toBe(orgB);
    const grandchild = await adminB.post('/api/v1/organizations', { name: 'B squad', parentId: child.body.id });
    expect(grandchild.status).toBe(201);
    const renamed = await adminB.patch(`/api/v1/organizations/${grandchild.body.id}`, { name: 'B unit' });
    expect(renamed.body.name).toBe('B unit');
    const moved = await adminB.patch(`/api/v1/organizations/${grandchild.body.id}`, { parentId: orgB });
    expect(moved.body.parentId).toBe(orgB);
    const tree = await adminB.get('/api/v1/organizations');
    expect(tree.body.items.map((o: { name: string; depth: number }) => `${o.depth}:${o.name}`)).toEqual([
      '0:B',
      '1:B team',
      '1:B unit',
    ]);

    const person = await createPerson(adminB, {
      email: 'learner-b@example.com',
      organizationId: child.body.id,
      role: 'learner',
    });
    const memberships = await adminB.get(`/api/v1/users/${person.id}/memberships`);
    expect(memberships.body).toEqual([expect.objectContaining({ organizationId: child.body.id, role: 'learner' })]);
  });

  it("should refuse moves that would make a cycle or move the admin's own top organization", async () => {
    const parent = (await root.post('/api/v1/organizations', { name: 'P', parentId: orgA })).body.id;
    const kid = (await root.post('/api/v1/organizations', { name: 'K', parentId: parent })).body.id;
    const cycle = await root.patch(`/api/v1/organizations/${parent}`, { parentId: kid, name: 'Renamed too' });
    expect(cycle.status).toBe(400);
    expect(cycle.body.errors[0].field).toBe('parentId');
    expect((await root.get(`/api/v1/organizations/${parent}`)).body).toEqual(
      expect.objectContaining({ name: 'P', parentId: orgA }),
    );
    const ownTop = await adminB.patch(`/api/v1/organizations/${orgB}`, { parentId: orgB });
    expect(ownTop.status).toBe(400);
  });

  it('should answer 409 naming the field for a sibling name or an email that is taken', async () => {
    // Sibling names compare case-insensitively; without parentId the admin's one top organization is the parent.
    const sibling = await root.post('/api/v1/organizations', { name: 'a' });
    expect(sibling.status).toBe(409);
    const duplicate = await root.post('/api/v1/organizations', { name: 'a child', parentId: orgA });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.errors).toEqual([expect.objectContaining({ field: 'name' })]);
    const email = await root.post('/api/v1/users', {
      email: 'LEARNER-A@example.com',
      name: 'Dup',
      organizationId: orgA,
    });
    expect(email.status).toBe(409);
    expect(email.body.errors).toEqual([expect.objectContaining({ field: 'email' })]);
  });
});
