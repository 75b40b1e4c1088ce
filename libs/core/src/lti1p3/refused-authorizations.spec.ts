import { AccessService } from '../access/access.service';
import { LtiProvider } from '../catalog/lti-provider';
import { LtiProviderRepository } from '../catalog/lti-provider.repository';
import { DomainError } from '../errors/domain-error';
import { lti1p3Provider } from '../testing/catalog.factories';
import { scope } from '../testing/identity.factories';
import {
  NewRefusedAuthorization,
  RefusedAuthorization,
  RefusedAuthorizationRepository,
} from './refused-authorization.repository';
import { REFUSALS_PER_MINUTE, RefusedAuthorizations } from './refused-authorizations';

const provider = lti1p3Provider({ id: 'provider-1' }, { redirectUris: ['https://tool.example/launch'] });

function setUp(options: { platformAdmin?: boolean; owned?: LtiProvider | null; failing?: boolean } = {}) {
  const stored: RefusedAuthorization = {
    id: 'refusal-1',
    providerId: null,
    clientId: 'client-x',
    error: 'unauthorized_client',
    description: 'unknown',
    parameters: {},
    redirectUri: null,
    registeredRedirectUris: [],
    createdAt: new Date(),
  };
  const repository = {
    record: jest.fn(async (_refusal: NewRefusedAuthorization, _perMinute: number) => {
      if (options.failing) throw new Error('database down');
      return true;
    }),
    findById: jest.fn(async (_id: string) => stored),
    list: jest.fn(),
    deleteOlderThan: jest.fn(async (_before: Date, _limit: number) => 3),
  };
  const access = { scope: jest.fn(async () => scope('admin-1', [], options.platformAdmin ?? false)) };
  const providers = { findOwned: jest.fn(async () => (options.owned === undefined ? provider : options.owned)) };
  const service = new RefusedAuthorizations(
    repository as unknown as RefusedAuthorizationRepository,
    providers as unknown as LtiProviderRepository,
    access as unknown as AccessService,
  );
  return { service, repository, stored };
}

describe('RefusedAuthorizations', () => {
  it('should keep the request with its hints shortened, values capped and the registered redirect URIs when refused', async () => {
    const { service, repository } = setUp();
    await service.keep(
      {
        client_id: 'client-1',
        redirect_uri: 'https://evil.example/steal',
        login_hint: 'login-hint-0123456789abcdef',
        lti_message_hint: 'message-hint-0123456789abcdef',
        state: 's'.repeat(5000),
      },
      provider,
      'invalid_request',
      'The tool asked to return to a redirect_uri that is not registered for it.',
    );
    const [kept, perMinute] = repository.record.mock.calls[0];
    expect(perMinute).toBe(REFUSALS_PER_MINUTE);
    expect(kept).toMatchObject({
      providerId: 'provider-1',
      clientId: 'client-1',
      error: 'invalid_request',
      redirectUri: 'https://evil.example/steal',
      registeredRedirectUris: ['https://tool.example/launch'],
    });
    expect(kept.parameters.login_hint).toBe('login-hi…');
    expect(kept.parameters.lti_message_hint).toBe('message-…');
    expect(kept.parameters.state.length).toBeLessThanOrEqual(301);
  });

  it('should not fail the answer to the tool when keeping the refusal fails', async () => {
    const { service } = setUp({ failing: true });
    await expect(service.keep({ client_id: 'x' }, null, 'unauthorized_client', 'unknown')).resolves.toBeUndefined();
  });

  it('should show an unattributed refusal only to a platform administrator', async () => {
    await expect(setUp().service.inspect({ userId: 'admin-1' }, 'refusal-1')).rejects.toBeInstanceOf(DomainError);
    const { refusal } = await setUp({ platformAdmin: true }).service.inspect({ userId: 'admin-1' }, 'refusal-1');
    expect(refusal.id).toBe('refusal-1');
  });

  it('should answer not found for a provider’s refusal when the administrator does not manage it', async () => {
    const { service, stored } = setUp({ owned: null });
    Object.assign(stored, { providerId: 'provider-1' });
    await expect(service.inspect({ userId: 'admin-1' }, 'refusal-1')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('should purge what is older than the retention period when the janitor runs', async () => {
    const { service, repository } = setUp();
    const now = new Date('2026-12-01T00:00:00Z');
    expect(await service.purge(now)).toBe(3);
    expect(repository.deleteOlderThan).toHaveBeenCalledWith(new Date('2026-11-01T00:00:00Z'), 5000);
  });
});
