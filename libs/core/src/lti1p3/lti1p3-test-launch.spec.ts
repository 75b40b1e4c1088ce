import { JWTPayload, UnsecuredJWT } from 'jose';
import { LTI_CLAIM } from '@tms/lti';
import { CatalogAccess } from '../catalog/catalog-access';
import { SelfTestRun } from '../catalog/self-test-run.repository';
import { SelfTestRuns } from '../catalog/self-test-runs';
import { LtiProvider } from '../catalog/lti-provider';
import { LtiProviderRepository } from '../catalog/lti-provider.repository';
import { DomainError } from '../errors/domain-error';
import { UserRepository } from '../identity/user.repository';
import { PlatformKeysService } from '../keys/platform-keys.service';
import { LaunchRepository, NewLaunchRecord } from '../launch/launch.repository';
import { OidcExchange } from '../launch/launch-sent';
import { LtiSettings } from '../launch/lti-settings';
import { PlatformUrls } from '../launch/platform-urls';
import { lti1p1Provider, lti1p3Provider } from '../testing/catalog.factories';
import { user } from '../testing/identity.factories';
import { Lti1p3TestLaunch } from './lti1p3-test-launch';

const CLAIM = 'https://purl.imsglobal.org/spec/lti/claim/';
const exchange: OidcExchange = {
  login: { iss: 'https://platform.example' },
  redirectUri: { requested: 'https://tool.example/launch', matched: 'https://tool.example/launch' },
  ended: 'id_token_posted',
};

function setUp(options: { provider?: LtiProvider; managed?: boolean } = {}) {
  const provider =
    options.provider ??
    lti1p3Provider(
      {
        id: 'provider-1',
        name: 'Quiz tool',
        privacy: { level: 'public', userIdSource: 'internal' } as LtiProvider['privacy'],
        customParameters: [{ name: 'level', value: 'advanced' }],
      },
      { services: ['grades', 'roster'] },
    );
  const access = {
    scopeOf: jest.fn(async () => ({})),
    requireManaged: jest.fn(async (_scope: unknown, entry: LtiProvider | null) => {
      if (options.managed === false) throw new DomainError('forbidden', 'not managed');
      return entry!;
    }),
  };
  const providers = { findVisible: jest.fn(async () => provider) };
  const users = { findById: jest.fn(async (id: string) => user({ id, name: 'Ada Admin', email: 'ada@example.com' })) };
  // An unsigned JWT of the claims stands in for the signature: what is recorded is what it carries.
  const keys = { signJwt: jest.fn(async (claims: JWTPayload) => new UnsecuredJWT(claims).encode()) };
  const record = jest.fn(async (_launch: NewLaunchRecord) => undefined);
  const runs = { record: jest.fn(async (..._args: Parameters<SelfTestRuns['record']>) => ({}) as SelfTestRun) };
  const settings: LtiSettings = {
    publicUrl: 'https://platform.example',
    instanceName: 'Platform',
    oauthTimestampWindowSeconds: 300,
  };
  const service = new Lti1p3TestLaunch(
    providers as unknown as LtiProviderRepository,
    access as unknown as CatalogAccess,
    users as unknown as UserRepository,
    keys as unknown as PlatformKeysService,
    { record } as unknown as LaunchRepository,
    settings,
    new PlatformUrls(settings),
    runs as unknown as SelfTestRuns,
  );
  return { service, record, keys, runs };
}

const admin = { userId: 'admin-1' };

describe('Lti1p3TestLaunch', () => {
  it('should sign a launch as a test instructor in the self-test context without service claims when asked as an instructor', async () => {
    const { service, keys } = setUp();
    await service.idToken(admin, 'provider-1', 'instructor', 'nonce-1', exchange);

    const claims = keys.signJwt.mock.calls[0][0] as Record<string, unknown>;
    expect(claims).toMatchObject({
      sub: 'test-instructor-admin-1',
      name: 'Test Instructor',
      nonce: 'nonce-1',
      [`${CLAIM}roles`]: expect.arrayContaining(['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor']),
      [`${CLAIM}context`]: expect.objectContaining({ id: 'self-test', title: 'Self-test of Quiz tool (no course)' }),
      [`${CLAIM}resource_link`]: expect.objectContaining({ id: 'self-test-provider-1' }),
      [`${CLAIM}custom`]: { level: 'advanced' },
    });
    // Granted grades and roster, yet nothing can come back from a self-test.
    expect(claims).not.toHaveProperty([LTI_CLAIM.agsEndpoint]);
    expect(claims).not.toHaveProperty([LTI_CLAIM.nrps]);
    expect(JSON.stringify(claims)).not.toContain('ada@example.com');
  });

  it('should record the launch as a self_test with no placement and its claims when the id_token is signed', async () => {
    const { service, record } = setUp();
    await service.idToken(admin, 'provider-1', 'learner', 'nonce-1', exchange);

    const launch = record.mock.calls[0][0];
    expect(launch).toMatchObject({
      userId: 'admin-1',
      kind: 'self_test',
      resourceLinkId: null,
      activityId: null,
      enrollmentId: null,
      providerId: 'provider-1',
      ltiVersion: '1.3',
      roles: expect.arrayContaining(['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner']),
    });
    expect(launch.sent).toMatchObject({ version: '1.3', exchange, claims: { sub: 'test-learner-admin-1' } });
    // The test user's name is no one's: the role URIs stay whole.
    expect(JSON.stringify(launch.sent)).not.toContain('(personal value, not kept)');
  });

  it('should keep the run naming its launch record when the test launch is signed', async () => {
    const { service, record, runs } = setUp();
    await service.idToken(admin, 'provider-1', 'learner', 'nonce-1', exchange);
    expect(runs.record).toHaveBeenCalledWith(admin, expect.objectContaining({ id: 'provider-1' }), {
      kind: 'lti1p3_test_launch',
      passed: true,
      summary: 'id_token posted to the tool as a test learner',
      detail: { role: 'learner' },
      launchId: record.mock.calls[0][0].id,
    });
  });

  it('should refuse, sign nothing and record nothing when the administrator does not manage the provider', async () => {
    const { service, record, keys, runs } = setUp({ managed: false });
    await expect(service.idToken(admin, 'provider-1', 'learner', 'nonce-1', exchange)).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(keys.signJwt).not.toHaveBeenCalled();
    expect(record).not.toHaveBeenCalled();
    expect(runs.record).not.toHaveBeenCalled();
  });

  it('should refuse an LTI 1.1 provider when a 1.3 test launch is asked for', async () => {
    const { service } = setUp({ provider: lti1p1Provider({ id: 'provider-1' }) });
    await expect(service.provider(admin, 'provider-1')).rejects.toBeInstanceOf(DomainError);
  });
});
