import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';
import { ApiClient } from './support/api-client';
import { FormSession } from './support/form-session';

describe('admin forms', () => {
  let testApp: TestApp;
  let api: ApiClient;
  let session: FormSession;
  let orgId: string;
  let personId: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    api = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    orgId = (await api.post('/api/v1/organizations', { name: 'Kept name' })).body.id;
    personId = (await api.post('/api/v1/users', { email: 'kept@example.com', name: 'Kept Person', sisId: 'S-1' })).body
      .id;
    session = new FormSession(testApp.baseUrl);
    await session.get('/login');
    expect((await session.post('/login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })).status).toBe(303);
  });

  afterAll(() => testApp.close());

  it('should refuse an emptied name on the organization form and keep the old one', async () => {
    await session.get(`/admin/organizations/${orgId}`);
    const response = await session.post(`/admin/organizations/${orgId}`, { name: '' });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/data-field="name"/);
    expect((await api.get(`/api/v1/organizations/${orgId}`)).body.name).toBe('Kept name');
  });

  it('should refuse an emptied name or email on the person form, and clear an emptied optional field', async () => {
    await session.get(`/admin/people/${personId}`);
    for (const field of ['name', 'email']) {
      const form = { name: 'Kept Person', email: 'kept@example.com', [field]: '' };
      const response = await session.post(`/admin/people/${personId}`, form);
      expect({ field, status: response.status }).toEqual({ field, status: 400 });
    }
    expect((await api.get(`/api/v1/users/${personId}`)).body).toEqual(
      expect.objectContaining({ name: 'Kept Person', email: 'kept@example.com', sisId: 'S-1' }),
    );
    const cleared = await session.post(`/admin/people/${personId}`, {
      name: 'Kept Person',
      email: 'kept@example.com',
      sisId: '',
    });
    expect(cleared.status).toBe(303);
    expect((await api.get(`/api/v1/users/${personId}`)).body.sisId).toBeNull();
  });

  it('should refuse a status form without a status', async () => {
    await session.get(`/admin/people/${personId}`);
    expect((await session.post(`/admin/people/${personId}/status`, {})).status).toBe(400);
    expect((await api.get(`/api/v1/users/${personId}`)).body.status).toBe('active');
  });

  it('should forbid caching of signed-in pages, so Back after sign-out shows nothing', async () => {
    const page = await session.get('/admin/people');
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
  });
});
