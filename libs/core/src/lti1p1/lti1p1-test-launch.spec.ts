import { AuditLog } from '../audit/audit-log';
import { CatalogAccess } from '../catalog/catalog-access';
import { SelfTestRun } from '../catalog/self-test-run.repository';
import { SelfTestRuns } from '../catalog/self-test-runs';
import { LtiProvider } from '../catalog/lti-provider';
import { LtiProviderRepository } from '../catalog/lti-provider.repository';
import { DomainError } from '../errors/domain-error';
import { UserRepository } from '../identity/user.repository';
import { LtiSettings } from '../launch/lti-settings';
import { OutboundError, OutboundHttp, OutboundRequest } from '../shared/outbound-http';
import { lti1p1Provider, lti1p3Provider } from '../testing/catalog.factories';
import { user } from '../testing/identity.factories';
import { Lti1p1LaunchService } from './lti1p1-launch.service';
import { Lti1p1TestLaunch } from './lti1p1-test-launch';

const LAUNCH_URL = 'https://tool.example/lti/launch';
const SIGNATURE = 'c2lnbmF0dXJl';

function setUp(options: { provider?: LtiProvider; answer?: (request: OutboundRequest) => Promise<unknown> } = {}) {
  const provider =
    options.provider ?? lti1p1Provider({ id: 'provider-1', customParameters: [{ name: 'level', value: 'advanced' }] });
  const access = {
    scopeOf: jest.fn(async () => ({})),
    requireManaged: jest.fn(async (_scope: unknown, entry: LtiProvider | null) => entry!),
  };
  const providers = { findVisible: jest.fn(async () => provider) };
  const users = { findById: jest.fn(async (id: string) => user({ id, name: 'Ada Admin' })) };
  const sign = jest.fn(async (_p: LtiProvider, _url: string, params: Record<string, string>) => ({
    ...params,
    oauth_consumer_key: 'vendor-key',
    oauth_signature: SIGNATURE,
  }));
  const fetch = jest.fn<Promise<unknown>, [OutboundRequest]>(
    options.answer ??
      (async () => ({
        status: 200,
        header: (name: string) => (name === 'content-type' ? 'text/html' : undefined),
        body: Buffer.from(`<h1>Welcome</h1>${'x'.repeat(5000)}`),
      })),
  );
  const audit = { record: jest.fn(async () => undefined), list: jest.fn() };
  const runs = { record: jest.fn(async (..._args: Parameters<SelfTestRuns['record']>) => ({}) as SelfTestRun) };
  const settings: LtiSettings = {
    publicUrl: 'https://platform.example',
    instanceName: 'Platform',
    oauthTimestampWindowSeconds: 300,
  };
  const service = new Lti1p1TestLaunch(
    providers as unknown as LtiProviderRepository,
    access as unknown as CatalogAccess,
    users as unknown as UserRepository,
    { sign } as unknown as Lti1p1LaunchService,
    settings,
    { fetch } as unknown as OutboundHttp,
    audit as unknown as AuditLog,
    runs as unknown as SelfTestRuns,
  );
  return { service, fetch, sign, audit, runs };
}

const admin = { userId: 'admin-1' };

describe('Lti1p1TestLaunch', () => {
  it('should post the signed form as a test learner in a self-test context and report the answer when the tool accepts', async () => {
    const { service, fetch, audit } = setUp();
    const result = await service.run(admin, 'provider-1', ` ${LAUNCH_URL} `);

    const request = fetch.mock.calls[0][0];
    expect(request).toMatchObject({ method: 'POST', url: LAUNCH_URL });
    expect(request.json).toBeUndefined();
    expect(request.form).toMatchObject({
      lti_message_type: 'basic-lti-launch-request',
      context_id: 'self-test',
      resource_link_id: 'self-test-provider-1',
      user_id: 'test-learner-admin-1',
      custom_level: 'advanced',
      oauth_signature: SIGNATURE,
    });
    expect(request.form).not.toHaveProperty('lis_outcome_service_url');
    expect(result).toMatchObject({ accepted: true, status: 200, contentType: 'text/html', failure: null });
    expect(result.body).toHaveLength(2000);
    expect(result.sent).toMatchObject({ version: '1.1', url: LAUNCH_URL, consumerKey: 'vendor-key' });
    expect(result.sent.version === '1.1' && result.sent.baseString).toMatch(/^POST&https%3A%2F%2Ftool\.example/);
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'test_launch', entityId: 'provider-1', actorUserId: 'admin-1' }),
    );
  });

  it('should report the refusal when the tool answers with an error status', async () => {
    const { service } = setUp({
      answer: async () => ({ status: 401, header: () => 'text/html', body: Buffer.from('Invalid Signature') }),
    });
    expect(await service.run(admin, 'provider-1', LAUNCH_URL)).toMatchObject({
      accepted: false,
      status: 401,
      body: 'Invalid Signature',
    });
  });

  it('should keep the run with its outcome and what was sent and received when the tool answers', async () => {
    const { service, runs } = setUp({
      answer: async () => ({ status: 401, header: () => 'text/html', body: Buffer.from('Invalid Signature') }),
    });
    await service.run(admin, 'provider-1', LAUNCH_URL);
    expect(runs.record).toHaveBeenCalledWith(admin, expect.objectContaining({ id: 'provider-1' }), {
      kind: 'lti1p1_test_launch',
      passed: false,
      summary: 'the tool answered HTTP 401',
      detail: expect.objectContaining({
        launchUrl: LAUNCH_URL,
        status: 401,
        body: 'Invalid Signature',
        sent: expect.objectContaining({ version: '1.1' }),
      }),
      launchId: null,
    });
  });

  it('should report why nothing came back when the outbound guard refuses the address', async () => {
    const { service, audit } = setUp({
      answer: async () => {
        throw new OutboundError('not-allowed');
      },
    });
    expect(await service.run(admin, 'provider-1', LAUNCH_URL)).toMatchObject({
      accepted: false,
      status: null,
      failure: 'launchUrl is not an allowed address (private or local networks are refused)',
    });
    expect(audit.record).toHaveBeenCalledTimes(1);
  });

  it('should refuse a launch URL that is not a tool URL and send nothing when it is given', async () => {
    const { service, fetch, sign, audit, runs } = setUp();
    const error = await service.run(admin, 'provider-1', 'javascript:alert(1)').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).fields[0].field).toBe('launchUrl');
    expect(sign).not.toHaveBeenCalled();
    expect(fetch).not.toHaveBeenCalled();
    expect(audit.record).not.toHaveBeenCalled();
    expect(runs.record).not.toHaveBeenCalled();
  });

  it('should refuse an LTI 1.3 provider and send nothing when asked to test it', async () => {
    const { service, fetch, audit } = setUp({ provider: lti1p3Provider({ id: 'provider-1' }) });
    await expect(service.run(admin, 'provider-1', LAUNCH_URL)).rejects.toThrow(
      'The test launch sends an LTI 1.1 launch',
    );
    expect(fetch).not.toHaveBeenCalled();
    expect(audit.record).not.toHaveBeenCalled();
  });
});
