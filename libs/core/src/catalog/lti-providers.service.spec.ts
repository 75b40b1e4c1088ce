import { AccessTokenRepository } from './access-token.repository';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { fakeAccess } from '../access/access.fake';
import { TenantScope } from '../access/tenant-scope';
import { AuditEntry, AuditLog } from '../audit/audit-log';
import { DomainError } from '../errors/domain-error';
import { SecretBox } from '../security/secret-box';
import { UnitOfWork } from '../shared/unit-of-work';
import { CatalogAccess } from './catalog-access';
import { CatalogUsageRepository } from './catalog-usage.repository';
import { LtiProviderRepository, ProviderChanges, ProviderRecord } from './lti-provider.repository';
import { LtiResourceLinkRepository } from './lti-resource-link.repository';
import { KEY_READY, LtiProvider, ToolKeyState } from './lti-provider';
import { lti1p1Provider } from '../testing/catalog.factories';
import { LtiProvidersService } from './lti-providers.service';
import { ProviderInput, ProviderSupport, sharedSecretContext } from './provider-support';
import { ToolKeyChecker, ToolKeySetFetch } from './tool-key-checker';
import { ToolKeyReadiness } from './tool-key-readiness';

/** root ─ a ─ a1 ; root ─ b. */
const TREE: Readonly<Record<string, string | null>> = { root: null, a: 'root', a1: 'a', b: 'root' };
/** Where each user is site admin. */
const ADMINS: Readonly<Record<string, readonly string[]>> = {
  'admin-a': ['a'],
  'admin-root': ['root'],
  'admin-b': ['b'],
};

function lineage(id: string): string[] {
  const out: string[] = [];
  for (let current: string | null = id; current !== null; current = TREE[current] ?? null) out.push(current);
  return out;
}

const at = new Date('2026-01-01T00:00:00Z');
const SECRET = 'the-plain-shared-secret-0123456789';

const registration1p3 = {
  clientId: 'client-1',
  deploymentId: 'deployment-1',
  loginUrl: 'https://tool.example/login',
  redirectUris: ['https://tool.example/launch'],
  targetLinkUri: 'https://tool.example/launch',
  jwksUrl: 'https://tool.example/jwks',
  publicKeyPem: null,
  key: KEY_READY,
  services: [],
  compatibility: [],
  platformStorage: false,
  replacesProviderId: null,
};

function provider(
  id: string,
  organizationId: string,
  availableOrganizationIds: string[],
  overrides: Partial<LtiProvider> = {},
): LtiProvider {
  const fields = { id, organizationId, name: id, availableOrganizationIds, createdAt: at, updatedAt: at };
  return { ...lti1p1Provider(fields, { consumerKey: `${id}-key` }), ...overrides } as LtiProvider;
}

const FIXTURES: readonly LtiProvider[] = [
  provider('owned-by-a', 'a', ['a']),
  provider('owned-by-a-1p3', 'a', ['a'], { ltiVersion: '1.3', lti1p1: null, lti1p3: registration1p3 }),
  /** Owned by a, also available in b (which admin-a does not manage). */
  provider('shared-with-b', 'a', ['a', 'b']),
  /** Owned by root (not managed by admin-a), available in a: admin-a can use it, not change it. */
  provider('root-for-a', 'root', ['a']),
  /** Owned by b, available in b only: admin-a must not learn it exists. */
  provider('owned-by-b', 'b', ['b']),
  /** Owned by b, available at root, so in a too (availability reaches down the tree). */
  provider('b-for-everyone', 'b', ['root']),
];

function fromRecord(record: ProviderRecord): LtiProvider {
  return {
    ...record,
    lti1p1: record.lti1p1 && {
      consumerKey: record.lti1p1.consumerKey,
      secretMask: record.lti1p1.secretMask,
      contentItemUrl: record.lti1p1.contentItemUrl,
    },
    lti1p3: record.lti1p3 && { ...record.lti1p3 },
    createdAt: at,
    updatedAt: at,
  } as LtiProvider;
}

function applyChanges(current: LtiProvider, changes: ProviderChanges): LtiProvider {
  const { lti1p1, lti1p3, ...rest } = changes;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
  if (current.ltiVersion === '1.3') {
    return {
      ...current,
      ...defined,
      lti1p3: lti1p3 ? { ...current.lti1p3, ...lti1p3 } : current.lti1p3,
    } as LtiProvider;
  }
  const registration = current.lti1p1;
  return {
    ...current,
    ...defined,
    lti1p1: lti1p1
      ? {
          consumerKey: lti1p1.consumerKey,
          secretMask: lti1p1.secretMask ?? registration.secretMask,
          contentItemUrl: lti1p1.contentItemUrl === undefined ? registration.contentItemUrl : lti1p1.contentItemUrl,
        }
      : registration,
  } as LtiProvider;
}

function setUp() {
  const { access, covered, organizations } = fakeAccess({
    organizations: Object.entries(TREE).map(([id, parentId]) => ({ id, parentId })),
    memberships: Object.entries(ADMINS).flatMap(([userId, ids]) =>
      ids.map((organizationId) => ({ userId, organizationId, role: 'site_admin' as const })),
    ),
  });
  /** What SQL answers: owned by a covered organization, or available at one or above one. */
  const owns = (scope: TenantScope, p: LtiProvider) => covered(scope).has(p.organizationId);
  const sees = (scope: TenantScope, p: LtiProvider) => {
    const reach = new Set([...covered(scope)].flatMap(lineage));
    return owns(scope, p) || p.availableOrganizationIds.some((id) => reach.has(id));
  };
  const store = new Map(FIXTURES.map((p) => [p.id, p]));
  const found = (test: (scope: TenantScope, p: LtiProvider) => boolean) =>
    jest.fn(async (scope: TenantScope, id: string) => {
      const p = store.get(id);
      return p && test(scope, p) ? p : null;
    });
  const providers: jest.Mocked<LtiProviderRepository> = {
    findById: jest.fn(async (id: string) => store.get(id) ?? null),
    findByIds: jest.fn(),
    findVisible: found(sees),
    findOwned: found(owns),
    list: jest.fn(),
    listOwned: jest.fn(),
    create: jest.fn(async (_scope: TenantScope, record: ProviderRecord) => fromRecord(record)),
    update: jest.fn(async (_scope: TenantScope, id: string, changes: ProviderChanges) =>
      applyChanges(store.get(id)!, changes),
    ),
    delete: jest.fn(),
    findSealedSecret: jest.fn(),
    findByConsumerKey: jest.fn(),
    recordKeyCheck: jest.fn(async (_id: string, _key: ToolKeyState) => undefined),
  };
  const links: jest.Mocked<LtiResourceLinkRepository> = {
    findById: jest.fn(),
    findByIds: jest.fn(),
    findVisible: jest.fn(),
    list: jest.fn(),
    listOwned: jest.fn(),
    create: jest.fn(),
    update: jest.fn(),
    delete: jest.fn(),
    countForProvider: jest.fn(async (_providerId: string) => 0),
  };
  const usage: jest.Mocked<CatalogUsageRepository> = {
    countActivitiesOfLink: jest.fn(async (_resourceLinkId: string) => 0),
    countActivitiesOfProvider: jest.fn(async (_providerId: string) => 0),
  };
  const audit: jest.Mocked<AuditLog> = { record: jest.fn(async (_entry: AuditEntry) => undefined), list: jest.fn() };
  const uow: UnitOfWork = { run: (work) => work(), attempt: (work) => work() };
  const secrets = new SecretBox(randomBytes(32));
  const checkJwksUrl = jest.fn(async (_url: string): Promise<string | undefined> => undefined);
  // A save reads the whole fetch (a refused address is refused; anything else may wait for the key).
  const keyChecker = {
    checkJwksUrl,
    fetchKeySet: async (url: string): Promise<ToolKeySetFetch> => {
      const reason = await checkJwksUrl(url);
      if (!reason) return { ok: true, keySet: { keys: [] }, maxAgeSeconds: undefined };
      return { ok: false, reason, refusedAddress: reason.startsWith('is not an allowed address') };
    },
  };
  const accessTokens: jest.Mocked<AccessTokenRepository> = {
    findUsable: jest.fn(),
    revokeForProvider: jest.fn(async (_providerId: string, _now: Date) => 0),
    deleteExpired: jest.fn(),
  };
  const keys = new ToolKeyReadiness(keyChecker as unknown as ToolKeyChecker, providers);
  const support = new ProviderSupport(uow, audit, secrets, keys, providers, accessTokens);
  const service = new LtiProvidersService(
    providers,
    links,
    usage,
    new CatalogAccess(access, organizations as never),
    support,
    keys,
  );
  return { service, providers, audit, secrets, keyChecker, access, covered, accessTokens };
}

const adminA = { userId: 'admin-a' };

const valid1p1: ProviderInput = {
  name: 'Quiz tool',
  ltiVersion: '1.1',
  consumerKey: 'consumer-key',
  sharedSecret: SECRET,
};

const valid1p3: ProviderInput = {
  name: 'Advantage tool',
  ltiVersion: '1.3',
  loginUrl: 'https://tool.example/login',
  redirectUris: ['https://tool.example/launch'],
  targetLinkUri: 'https://tool.example/launch',
  jwksUrl: 'https://tool.example/jwks',
};

/** The rejection, for assertions on its fields. */
async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

const fieldsOf = (error: DomainError) => error.fields.map((f) => f.field);

describe('test set-up', () => {
  it('should give admin-a a scope covering a and a1 when built from the tree', async () => {
    const { access, covered } = setUp();
    const scope = await access.scope(adminA);
    expect([...covered(scope)].sort()).toEqual(['a', 'a1']);
    expect(await access.choose(scope, undefined, 'organizationId')).toBe('a');
  });
});

describe('LtiProvidersService.create', () => {
  it('should seal the 1.1 shared secret bound to the provider id when creating a 1.1 provider', async () => {
    const { service, providers, secrets } = setUp();
    const view = await service.create(adminA, valid1p1);

    expect(providers.create).toHaveBeenCalledTimes(1);
    const record = providers.create.mock.calls[0][1];
    expect(record.lti1p1).not.toBeNull();
    const { sealedSecret, secretMask, consumerKey } = record.lti1p1 ?? {
      sealedSecret: '',
      secretMask: '',
      consumerKey: '',
    };
    expect(consumerKey).toBe('consumer-key');
    expect(sealedSecret).not.toBe(SECRET);
    expect(sealedSecret).not.toContain(SECRET);
    expect(secrets.open(sealedSecret, sharedSecretContext(record.id))).toBe(SECRET);
    expect(() => secrets.open(sealedSecret, sharedSecretContext('another-provider'))).toThrow();
    expect(secretMask).not.toContain(SECRET);
    expect(JSON.stringify(view)).not.toContain(SECRET);
  });

  it('should record one create audit entry without the secret when a provider is created', async () => {
    const { service, providers, audit } = setUp();
    await service.create(adminA, valid1p1);
    const record = providers.create.mock.calls[0][1];
    expect(audit.record).toHaveBeenCalledTimes(1);
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining<Partial<AuditEntry>>({
        actorUserId: 'admin-a',
        organizationId: 'a',
        entityType: 'lti_provider',
        entityId: record.id,
        action: 'create',
        before: null,
      }),
    );
    expect(JSON.stringify(audit.record.mock.calls[0][0])).not.toContain(SECRET);
    expect(JSON.stringify(audit.record.mock.calls[0][0])).not.toContain(record.lti1p1!.sealedSecret);
  });

  it('should name the line of a custom parameter problem and write nothing when a line is malformed', async () => {
    const { service, providers, audit } = setUp();
    const error = await rejection(service.create(adminA, { ...valid1p1, customParameters: 'topic=x\nno equals sign' }));
    expect(error.code).toBe('validation_failed');
    expect(error.fields).toEqual([{ field: 'customParameters', message: expect.stringContaining('Line 2') }]);
    expect(providers.create).not.toHaveBeenCalled();
    expect(audit.record).not.toHaveBeenCalled();
  });

  it('should store parsed custom parameters when they are valid', async () => {
    const { service, providers } = setUp();
    await service.create(adminA, { ...valid1p1, customParameters: 'custom_topic=x\nlevel=$User.id' });
    expect(providers.create.mock.calls[0][1].customParameters).toEqual([
      { name: 'topic', value: 'x' },
      { name: 'level', value: '$User.id' },
    ]);
  });

  it('should require the consumer key and shared secret and write nothing when a 1.1 provider lacks them', async () => {
    const { service, providers, audit } = setUp();
    const error = await rejection(service.create(adminA, { name: 'x', ltiVersion: '1.1' }));
    expect(fieldsOf(error)).toEqual(['consumerKey', 'sharedSecret']);
    expect(providers.create).not.toHaveBeenCalled();
    expect(audit.record).not.toHaveBeenCalled();
  });

  it('should issue a client id and deployment id when a valid 1.3 provider is created', async () => {
    const { service, providers, keyChecker } = setUp();
    await service.create(adminA, valid1p3);
    const record = providers.create.mock.calls[0][1];
    expect(record.lti1p1).toBeNull();
    expect(record.lti1p3).toMatchObject({
      loginUrl: 'https://tool.example/login',
      redirectUris: ['https://tool.example/launch'],
      jwksUrl: 'https://tool.example/jwks',
      publicKeyPem: null,
      clientId: expect.any(String),
      deploymentId: expect.any(String),
    });
    expect(keyChecker.checkJwksUrl).toHaveBeenCalledWith('https://tool.example/jwks');
  });

  it('should accept a 1.3 provider when it registers an RSA 2048 public key PEM instead of a JWKS URL', async () => {
    const { service, providers, keyChecker } = setUp();
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ format: 'pem', type: 'spki' })
      .toString();
    await service.create(adminA, { ...valid1p3, jwksUrl: undefined, publicKeyPem: pem });
    expect(providers.create.mock.calls[0][1].lti1p3).toMatchObject({ jwksUrl: null, publicKeyPem: pem.trim() });
    expect(keyChecker.checkJwksUrl).not.toHaveBeenCalled();
  });

  it('should answer a field error on publicKeyPem and write nothing when the PEM cannot be parsed', async () => {
    const { service, providers, audit } = setUp();
    const error = await rejection(
      service.create(adminA, {
        ...valid1p3,
        jwksUrl: undefined,
        publicKeyPem: '-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----',
      }),
    );
    expect(error.code).toBe('validation_failed');
    expect(fieldsOf(error)).toEqual(['publicKeyPem']);
    expect(providers.create).not.toHaveBeenCalled();
    expect(audit.record).not.toHaveBeenCalled();
  });

  it('should answer a field error on jwksUrl without fetching it when the JWKS URL is plain http', async () => {
    const { service, providers, keyChecker } = setUp();
    const error = await rejection(service.create(adminA, { ...valid1p3, jwksUrl: 'http://tool.example/jwks' }));
    expect(error.code).toBe('validation_failed');
    expect(fieldsOf(error)).toEqual(['jwksUrl']);
    expect(keyChecker.checkJwksUrl).not.toHaveBeenCalled();
    expect(providers.create).not.toHaveBeenCalled();
  });

  it('should accept a loopback http JWKS URL when the key checker finds a usable key set there', async () => {
    const { service, providers, keyChecker } = setUp();
    await service.create(adminA, { ...valid1p3, jwksUrl: 'http://127.0.0.1:4000/jwks' });
    expect(keyChecker.checkJwksUrl).toHaveBeenCalledWith('http://127.0.0.1:4000/jwks');
    expect(providers.create.mock.calls[0][1].lti1p3?.jwksUrl).toBe('http://127.0.0.1:4000/jwks');
  });

  it('should save the provider waiting for the tool’s key with the reason when its JWKS URL serves no key yet', async () => {
    const { service, providers, keyChecker } = setUp();
    keyChecker.checkJwksUrl.mockResolvedValueOnce('answered HTTP 404');
    await service.create(adminA, valid1p3);
    const registration = providers.create.mock.calls[0][1].lti1p3;
    expect(registration?.key).toMatchObject({ status: 'waiting', problem: 'jwksUrl answered HTTP 404' });
    expect(registration?.key.checkedAt).toBeInstanceOf(Date);
    expect(registration?.clientId).toEqual(expect.any(String));
  });

  it('should answer a field error on jwksUrl and write nothing when the guarded client refuses its address', async () => {
    const { service, providers, audit, keyChecker } = setUp();
    keyChecker.checkJwksUrl.mockResolvedValueOnce('is not an allowed address (private or local networks are refused)');
    const error = await rejection(service.create(adminA, valid1p3));
    expect(error.fields).toEqual([
      { field: 'jwksUrl', message: 'jwksUrl is not an allowed address (private or local networks are refused)' },
    ]);
    expect(providers.create).not.toHaveBeenCalled();
    expect(audit.record).not.toHaveBeenCalled();
  });

  it('should save the provider ready when its JWKS URL serves a key', async () => {
    const { service, providers } = setUp();
    await service.create(adminA, valid1p3);
    expect(providers.create.mock.calls[0][1].lti1p3?.key).toMatchObject({ status: 'ready', problem: null });
  });

  it('should refuse a 1.3 provider when both a JWKS URL and a PEM are given, or neither', async () => {
    const { service, providers } = setUp();
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ format: 'pem', type: 'spki' })
      .toString();
    expect(fieldsOf(await rejection(service.create(adminA, { ...valid1p3, publicKeyPem: pem })))).toEqual(['jwksUrl']);
    expect(fieldsOf(await rejection(service.create(adminA, { ...valid1p3, jwksUrl: undefined })))).toEqual(['jwksUrl']);
    expect(providers.create).not.toHaveBeenCalled();
  });

  it('should answer a field error on redirectUris and write nothing when a redirect URI has a fragment', async () => {
    const { service, providers, audit } = setUp();
    const error = await rejection(
      service.create(adminA, {
        ...valid1p3,
        redirectUris: ['https://tool.example/launch', 'https://tool.example/launch#frag'],
      }),
    );
    expect(fieldsOf(error)).toEqual(['redirectUris']);
    expect(error.fields[0].message).toContain('URI 2');
    expect(providers.create).not.toHaveBeenCalled();
    expect(audit.record).not.toHaveBeenCalled();
  });

  it('should refuse a 1.1 field and write nothing when it is sent for a 1.3 provider', async () => {
    const { service, providers } = setUp();
    const error = await rejection(service.create(adminA, { ...valid1p3, sharedSecret: 'abc' }));
    expect(fieldsOf(error)).toEqual(['sharedSecret']);
    expect(error.fields[0].message).toContain('does not apply to LTI 1.3');
    expect(providers.create).not.toHaveBeenCalled();
  });

  it('should refuse a 1.3 field and write nothing when it is sent for a 1.1 provider', async () => {
    const { service, providers } = setUp();
    const error = await rejection(service.create(adminA, { ...valid1p1, loginUrl: 'https://tool.example/login' }));
    expect(fieldsOf(error)).toEqual(['loginUrl']);
    expect(providers.create).not.toHaveBeenCalled();
  });

  it('should answer a field error on availableOrganizationIds and write nothing when an organization is not managed', async () => {
    const { service, providers, audit } = setUp();
    const error = await rejection(service.create(adminA, { ...valid1p1, availableOrganizationIds: ['a1', 'b'] }));
    expect(fieldsOf(error)).toEqual(['availableOrganizationIds']);
    expect(providers.create).not.toHaveBeenCalled();
    expect(audit.record).not.toHaveBeenCalled();
  });

  it('should answer a field error on organizationId when the owning organization is not managed', async () => {
    const { service, providers } = setUp();
    const error = await rejection(service.create(adminA, { ...valid1p1, organizationId: 'b' }));
    expect(fieldsOf(error)).toContain('organizationId');
    expect(providers.create).not.toHaveBeenCalled();
  });

  it('should make the provider available in its owning organization when no availability is given', async () => {
    const { service, providers } = setUp();
    await service.create(adminA, valid1p1);
    expect(providers.create.mock.calls[0][1]).toMatchObject({ organizationId: 'a', availableOrganizationIds: ['a'] });
    await service.create(adminA, { ...valid1p1, organizationId: 'a1' });
    expect(providers.create.mock.calls[1][1]).toMatchObject({ organizationId: 'a1', availableOrganizationIds: ['a1'] });
  });
});

describe('LtiProvidersService.get', () => {
  it('should answer not_found when the provider is neither owned nor available in the admin scope', async () => {
    const { service } = setUp();
    await expect(service.get(adminA, 'owned-by-b')).rejects.toMatchObject({ code: 'not_found' });
    await expect(service.get(adminA, 'missing')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('should show a provider read-only when it is available to the admin through an ancestor', async () => {
    const { service } = setUp();
    const view = await service.get(adminA, 'b-for-everyone');
    expect(view.managed).toBe(false);
    expect(view.availableOrganizationIds).toEqual([]);
  });

  it('should show only the managed part of the availability when the provider is also available elsewhere', async () => {
    const { service } = setUp();
    const view = await service.get(adminA, 'shared-with-b');
    expect(view.managed).toBe(true);
    expect(view.availableOrganizationIds).toEqual(['a']);
  });
});

describe('LtiProvidersService.update', () => {
  it('should answer forbidden and write nothing when the admin sees the provider only through availability', async () => {
    const { service, providers, audit } = setUp();
    await expect(service.update(adminA, 'root-for-a', { name: 'Mine now' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(service.update(adminA, 'root-for-a', { status: 'disabled' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(service.delete(adminA, 'root-for-a')).rejects.toMatchObject({ code: 'forbidden' });
    expect(providers.update).not.toHaveBeenCalled();
    expect(audit.record).not.toHaveBeenCalled();
  });

  it('should answer not_found and write nothing when the provider is outside the admin scope', async () => {
    const { service, providers } = setUp();
    await expect(service.update(adminA, 'owned-by-b', { name: 'x' })).rejects.toMatchObject({ code: 'not_found' });
    expect(providers.update).not.toHaveBeenCalled();
  });

  it('should revoke the tool’s access tokens when a 1.3 provider is disabled or its services change, and not on a rename', async () => {
    const { service, accessTokens } = setUp();
    await service.update(adminA, 'owned-by-a-1p3', { name: 'Renamed' });
    expect(accessTokens.revokeForProvider).not.toHaveBeenCalled();
    await service.update(adminA, 'owned-by-a-1p3', { status: 'disabled' });
    expect(accessTokens.revokeForProvider).toHaveBeenCalledWith('owned-by-a-1p3', expect.any(Date));
    accessTokens.revokeForProvider.mockClear();
    await service.update(adminA, 'owned-by-a-1p3', { services: ['roster'] });
    expect(accessTokens.revokeForProvider).toHaveBeenCalledTimes(1);
  });

  it('should seal the new secret and keep it out of the audit entry when the shared secret changes', async () => {
    const { service, providers, audit, secrets } = setUp();
    const newSecret = 'a-brand-new-shared-secret-9876';
    await service.update(adminA, 'owned-by-a', { sharedSecret: newSecret });

    const changes = providers.update.mock.calls[0][2];
    const sealed = changes.lti1p1?.sealedSecret;
    expect(sealed).toBeDefined();
    expect(sealed).not.toContain(newSecret);
    expect(secrets.open(sealed!, sharedSecretContext('owned-by-a'))).toBe(newSecret);
    expect(changes.lti1p1?.secretMask).not.toContain(newSecret);

    expect(audit.record).toHaveBeenCalledTimes(1);
    const entry = audit.record.mock.calls[0][0];
    expect(entry).toMatchObject({ entityType: 'lti_provider', entityId: 'owned-by-a', action: 'update' });
    expect(entry.before).toHaveProperty('sharedSecret');
    expect(entry.after).toHaveProperty('sharedSecret');
    expect(JSON.stringify(entry.before)).not.toContain(newSecret);
    expect(JSON.stringify(entry.after)).not.toContain(newSecret);
    expect(JSON.stringify(entry)).not.toContain(sealed!);
  });

  it('should refuse an empty shared secret and write nothing when a 1.1 provider is updated', async () => {
    const { service, providers, audit } = setUp();
    const error = await rejection(service.update(adminA, 'owned-by-a', { sharedSecret: '' }));
    expect(fieldsOf(error)).toEqual(['sharedSecret']);
    expect(providers.update).not.toHaveBeenCalled();
    expect(audit.record).not.toHaveBeenCalled();
  });

  it('should keep the availability outside the admin scope when the admin changes the availability', async () => {
    const { service, providers, audit } = setUp();
    const view = await service.update(adminA, 'shared-with-b', { availableOrganizationIds: ['a1'] });

    expect(providers.update.mock.calls[0][2].availableOrganizationIds?.slice().sort()).toEqual(['a1', 'b']);
    expect(view.availableOrganizationIds).toEqual(['a1']);
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({
        action: 'update',
        before: { availableOrganizationIds: ['a', 'b'] },
        after: { availableOrganizationIds: ['a1', 'b'] },
      }),
    );
  });

  it('should refuse an unmanaged organization in the availability and write nothing when updating', async () => {
    const { service, providers } = setUp();
    const error = await rejection(service.update(adminA, 'owned-by-a', { availableOrganizationIds: ['a', 'root'] }));
    expect(fieldsOf(error)).toEqual(['availableOrganizationIds']);
    expect(providers.update).not.toHaveBeenCalled();
  });

  it('should refuse a version change and a 1.1 field and write nothing when a 1.3 provider is updated', async () => {
    const { service, providers } = setUp();
    const error = await rejection(service.update(adminA, 'owned-by-a-1p3', { ltiVersion: '1.1', consumerKey: 'key' }));
    expect(fieldsOf(error).sort()).toEqual(['consumerKey', 'ltiVersion']);
    expect(providers.update).not.toHaveBeenCalled();
  });

  it('should not fetch the JWKS URL again when a 1.3 update leaves it unchanged', async () => {
    const { service, providers, keyChecker } = setUp();
    await service.update(adminA, 'owned-by-a-1p3', {
      jwksUrl: registration1p3.jwksUrl,
      redirectUris: ['https://tool.example/launch', 'https://tool.example/other'],
    });
    expect(keyChecker.checkJwksUrl).not.toHaveBeenCalled();
    expect(providers.update.mock.calls[0][2].lti1p3?.redirectUris).toEqual([
      'https://tool.example/launch',
      'https://tool.example/other',
    ]);
  });

  it('should check a new JWKS URL and leave the provider waiting when it serves no key on update', async () => {
    const { service, providers, keyChecker } = setUp();
    keyChecker.checkJwksUrl.mockResolvedValueOnce('does not serve JSON');
    await service.update(adminA, 'owned-by-a-1p3', { jwksUrl: 'https://tool.example/v2/jwks' });
    expect(keyChecker.checkJwksUrl).toHaveBeenCalledWith('https://tool.example/v2/jwks');
    expect(providers.update.mock.calls[0][2].lti1p3?.key).toMatchObject({
      status: 'waiting',
      problem: 'jwksUrl does not serve JSON',
    });
  });

  it('should record a disable audit entry when the provider is disabled', async () => {
    const { service, audit } = setUp();
    await service.update(adminA, 'owned-by-a', { status: 'disabled' });
    expect(audit.record).toHaveBeenCalledTimes(1);
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({
        entityType: 'lti_provider',
        entityId: 'owned-by-a',
        action: 'disable',
        before: { status: 'active' },
        after: { status: 'disabled' },
      }),
    );
  });

  it('should record no audit entry when nothing changes', async () => {
    const { service, providers, audit } = setUp();
    await service.update(adminA, 'owned-by-a', { name: 'owned-by-a' });
    expect(providers.update).toHaveBeenCalledTimes(1);
    expect(audit.record).not.toHaveBeenCalled();
  });
});
