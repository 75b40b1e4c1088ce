import { AccessService, DomainError, LtiProviderRepository, LtiResourceLinkRepository, TenantScope } from '@tms/core';
import { ApiClient } from './support/api-client';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

/**
 * Two requests of one administrator can race: a change of a provider or link that another request
 * deleted in between (after the change was checked, before it was written) is a 404, not a 500.
 * Driven through the repositories, where the race lands, since HTTP cannot time it.
 */
describe('changing what was deleted meanwhile', () => {
  let testApp: TestApp;
  let root: ApiClient;
  let org: string;
  let scope: TenantScope;

  beforeAll(async () => {
    testApp = await startTestApp();
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    org = (await root.post('/api/v1/organizations', { name: 'Races' })).body.id;
    const admin = (await root.get(`/api/v1/users?search=${encodeURIComponent(ADMIN_EMAIL)}`)).body.items[0];
    scope = await testApp.app.get(AccessService).scope({ userId: admin.id });
  });

  afterAll(() => testApp.close());

  const notFound = (promise: Promise<unknown>) =>
    expect(promise).rejects.toEqual(expect.objectContaining({ code: 'not_found' }) as DomainError);

  it('should answer not found, adding no availability, when a deleted provider is changed', async () => {
    const provider = await root.post('/api/v1/lti/providers', {
      name: 'Gone tool',
      organizationId: org,
      ltiVersion: '1.1',
      consumerKey: 'gone',
      sharedSecret: 'gone-secret-0123456789',
    });
    const providers = testApp.app.get(LtiProviderRepository);
    await providers.delete(scope, provider.body.id);

    await notFound(providers.update(scope, provider.body.id, { name: 'Renamed', availableOrganizationIds: [org] }));
    const [row] = await testApp.dataSource.query(
      'SELECT count(*)::int AS n FROM lti_provider_availability WHERE provider_id = $1',
      [provider.body.id],
    );
    expect(row.n).toBe(0);
  });

  it('should answer not found when a deleted resource link is changed', async () => {
    const provider = await root.post('/api/v1/lti/providers', {
      name: 'Kept tool',
      organizationId: org,
      ltiVersion: '1.1',
      consumerKey: 'kept',
      sharedSecret: 'kept-secret-0123456789',
    });
    const link = await root.post('/api/v1/lti/resource-links', {
      name: 'Gone link',
      organizationId: org,
      providerId: provider.body.id,
      url: 'https://tool.example/launch',
    });
    const links = testApp.app.get(LtiResourceLinkRepository);
    await links.delete(scope, link.body.id);

    await notFound(links.update(scope, link.body.id, { name: 'Renamed', availableOrganizationIds: [org] }));
  });
});
