import { CatalogAccess } from './catalog-access';
import { LtiProvider } from './lti-provider';
import { LtiProviderRepository } from './lti-provider.repository';
import { NewSelfTestRun, SelfTestRun, SelfTestRunRepository } from './self-test-run.repository';
import { SelfTestRuns } from './self-test-runs';
import { lti1p3Provider } from '../testing/catalog.factories';

const provider = lti1p3Provider({ id: 'provider-1' });
const admin = { userId: 'admin-1' };

function setUp(owned: LtiProvider | null = provider) {
  const stored: SelfTestRun = {
    id: 'run-1',
    providerId: 'provider-1',
    userId: 'admin-1',
    kind: 'lti1p3_checks',
    passed: true,
    summary: 'all 3 checks passed',
    detail: {},
    launchId: null,
    createdAt: new Date(),
  };
  const repository = {
    record: jest.fn(async (run: NewSelfTestRun) => ({ ...stored, ...run })),
    findById: jest.fn(async (_id: string) => stored),
    listForProvider: jest.fn(async (_providerId: string, _limit: number) => [stored]),
  };
  const providers = { findOwned: jest.fn(async () => owned) };
  const catalog = { scopeOf: jest.fn(async () => ({})) };
  const service = new SelfTestRuns(
    repository as unknown as SelfTestRunRepository,
    providers as unknown as LtiProviderRepository,
    catalog as unknown as CatalogAccess,
  );
  return { service, repository };
}

describe('SelfTestRuns', () => {
  it('should keep who ran which test with its outcome and detail when it fits', async () => {
    const { service, repository } = setUp();
    await service.record(admin, provider, {
      kind: 'lti1p3_checks',
      passed: false,
      summary: '1 of 3 checks failed',
      detail: { checks: [{ name: 'JWKS fetched', ok: false, detail: 'jwksUrl answered HTTP 404' }] },
      launchId: null,
    });
    expect(repository.record).toHaveBeenCalledWith({
      providerId: 'provider-1',
      userId: 'admin-1',
      kind: 'lti1p3_checks',
      passed: false,
      summary: '1 of 3 checks failed',
      detail: { checks: [{ name: 'JWKS fetched', ok: false, detail: 'jwksUrl answered HTTP 404' }] },
      launchId: null,
    });
  });

  it('should keep only a note and a capped summary when what was sent and received is too large', async () => {
    const { service, repository } = setUp();
    await service.record(admin, provider, {
      kind: 'lti1p1_test_launch',
      passed: true,
      summary: 's'.repeat(2000),
      detail: { body: 'x'.repeat(70 * 1024) },
      launchId: null,
    });
    const kept = repository.record.mock.calls[0][0];
    expect(kept.detail).toEqual({ tooLarge: 'more than 64 KiB, not kept' });
    expect(kept.summary).toHaveLength(500);
  });

  it('should answer not found and read nothing when the administrator does not manage the provider', async () => {
    const { service, repository } = setUp(null);
    await expect(service.recent(admin, 'provider-1')).rejects.toMatchObject({ code: 'not_found' });
    await expect(service.inspect(admin, 'run-1')).rejects.toMatchObject({ code: 'not_found' });
    expect(repository.listForProvider).not.toHaveBeenCalled();
  });
});
