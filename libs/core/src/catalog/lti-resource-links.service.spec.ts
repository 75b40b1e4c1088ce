import { fakeAccess } from '../access/access.fake';
import { TenantScope } from '../access/tenant-scope';
import { AuditEntry, AuditLog } from '../audit/audit-log';
import { DomainError } from '../errors/domain-error';
import { UnitOfWork } from '../shared/unit-of-work';
import { CatalogAccess, isAvailableIn } from './catalog-access';
import { CatalogUsageRepository } from './catalog-usage.repository';
import { LtiProviderRepository } from './lti-provider.repository';
import { LtiResourceLinkRepository, ResourceLinkChanges, ResourceLinkRecord } from './lti-resource-link.repository';
import { DEFAULT_PRESENTATION, DEFAULT_PRIVACY, LtiProvider } from './lti-provider';
import { LtiResourceLink } from './lti-resource-link';
import { LtiResourceLinksService, ResourceLinkInput } from './lti-resource-links.service';

/** root ─ a ─ a1 ; root ─ b. */
const TREE: Readonly<Record<string, string | null>> = { root: null, a: 'root', a1: 'a', b: 'root' };
/** Where each user is site admin. */
const ADMINS: Readonly<Record<string, readonly string[]>> = { 'admin-a': ['a'], 'admin-root': ['root'] };

function lineage(id: string): string[] {
  const out: string[] = [];
  for (let current: string | null = id; current !== null; current = TREE[current] ?? null) out.push(current);
  return out;
}

const at = new Date('2026-01-01T00:00:00Z');

function provider(id: string, organizationId: string, availableOrganizationIds: string[]): LtiProvider {
  return {
    id,
    organizationId,
    name: id,
    ltiVersion: '1.1',
    status: 'active',
    customParameters: [],
    privacy: DEFAULT_PRIVACY,
    presentation: DEFAULT_PRESENTATION,
    availableOrganizationIds,
    lti1p1: { consumerKey: `${id}-key`, secretMask: '••••••••', contentItemUrl: null },
    lti1p3: null,
    createdAt: at,
    updatedAt: at,
  };
}

const PROVIDERS: readonly LtiProvider[] = [
  provider('for-a', 'a', ['a']),
  provider('for-a1-only', 'a', ['a1']),
  provider('for-everyone', 'root', ['root']),
  provider('owned-by-b', 'b', ['b']),
];

function link(id: string, organizationId: string, providerId: string, overrides: Partial<LtiResourceLink> = {}) {
  return {
    id,
    organizationId,
    providerId,
    name: id,
    url: 'https://tool.example/launch',
    customParameters: [],
    requiresScoreForCompletion: false,
    passingScore: null,
    status: 'active',
    availableOrganizationIds: [organizationId],
    createdAt: at,
    updatedAt: at,
    ...overrides,
    lineItem: overrides.lineItem ?? null,
  } satisfies LtiResourceLink;
}

const LINKS: readonly LtiResourceLink[] = [
  link('link-in-a', 'a', 'for-a'),
  link('scored-link-in-a', 'a', 'for-a', { requiresScoreForCompletion: true, passingScore: 80 }),
  link('root-link-for-a', 'root', 'for-everyone', { availableOrganizationIds: ['a'] }),
  link('link-in-a1', 'a1', 'for-a1-only'),
  link('link-shared-with-b', 'a', 'for-everyone', { availableOrganizationIds: ['a', 'b'] }),
];

function setUp() {
  const { access, covered, organizations } = fakeAccess({
    organizations: Object.entries(TREE).map(([id, parentId]) => ({ id, parentId })),
    memberships: Object.entries(ADMINS).flatMap(([userId, ids]) =>
      ids.map((organizationId) => ({ userId, organizationId, role: 'site_admin' as const })),
    ),
  });
  /** What SQL answers: owned by a covered organization, or available at one or above one. */
  const sees = (scope: TenantScope, entry: { organizationId: string; availableOrganizationIds: readonly string[] }) => {
    const reach = new Set([...covered(scope)].flatMap(lineage));
    return covered(scope).has(entry.organizationId) || entry.availableOrganizationIds.some((id) => reach.has(id));
  };
  const providerStore = new Map(PROVIDERS.map((p) => [p.id, p]));
  const linkStore = new Map(LINKS.map((l) => [l.id, l]));
  const named = (l: LtiResourceLink) => ({ ...l, providerName: providerStore.get(l.providerId)?.name ?? '' });
  const links: jest.Mocked<LtiResourceLinkRepository> = {
    findById: jest.fn(async (id: string) => linkStore.get(id) ?? null),
    findByIds: jest.fn(),
    findVisible: jest.fn(async (scope: TenantScope, id: string) => {
      const l = linkStore.get(id);
      return l && sees(scope, l) ? named(l) : null;
    }),
    list: jest.fn(),
    listOwned: jest.fn(),
    create: jest.fn(async (_scope: TenantScope, record: ResourceLinkRecord) => ({
      ...record,
      lineItem: record.lineItem ?? null,
      id: 'new-link',
      createdAt: at,
      updatedAt: at,
    })),
    update: jest.fn(async (_scope: TenantScope, id: string, changes: ResourceLinkChanges) => ({
      ...linkStore.get(id)!,
      ...Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)),
    })),
    delete: jest.fn(),
    countForProvider: jest.fn(async (_providerId: string) => 0),
  };
  const providers: jest.Mocked<LtiProviderRepository> = {
    findById: jest.fn(async (id: string) => providerStore.get(id) ?? null),
    findByIds: jest.fn(),
    findVisible: jest.fn(async (scope: TenantScope, id: string) => {
      const p = providerStore.get(id);
      return p && sees(scope, p) ? p : null;
    }),
    findOwned: jest.fn(),
    list: jest.fn(),
    listOwned: jest.fn(),
    create: jest.fn(),
    update: jest.fn(),
    delete: jest.fn(),
    findSealedSecret: jest.fn(),
    findByConsumerKey: jest.fn(),
    recordKeyCheck: jest.fn(),
  };
  const usage: jest.Mocked<CatalogUsageRepository> = {
    countActivitiesOfLink: jest.fn(async (_resourceLinkId: string) => 0),
    countActivitiesOfProvider: jest.fn(async (_providerId: string) => 0),
  };
  const audit: jest.Mocked<AuditLog> = { record: jest.fn(async (_entry: AuditEntry) => undefined), list: jest.fn() };
  const uow: UnitOfWork = { run: (work) => work(), attempt: (work) => work() };
  const catalog = new CatalogAccess(access, organizations as never);
  const service = new LtiResourceLinksService(links, providers, usage, catalog, uow, audit);
  return { service, links, audit, catalog };
}

const adminA = { userId: 'admin-a' };
const adminRoot = { userId: 'admin-root' };

const valid: ResourceLinkInput = {
  name: 'Chapter 1 quiz',
  organizationId: 'a',
  providerId: 'for-a',
  url: 'https://tool.example/quiz/1',
};

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

describe('LtiResourceLinksService.create', () => {
  it('should write the link and one create audit entry when the input is valid', async () => {
    const { service, links, audit } = setUp();
    const view = await service.create(adminA, { ...valid, customParameters: 'chapter=1' });
    expect(links.create).toHaveBeenCalledWith(expect.objectContaining({ userId: 'admin-a' }), {
      organizationId: 'a',
      providerId: 'for-a',
      name: 'Chapter 1 quiz',
      url: 'https://tool.example/quiz/1',
      customParameters: [{ name: 'chapter', value: '1' }],
      requiresScoreForCompletion: false,
      passingScore: null,
      status: 'active',
      availableOrganizationIds: ['a'],
    });
    expect(view).toMatchObject({ managed: true, providerName: 'for-a' });
    expect(audit.record).toHaveBeenCalledTimes(1);
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({
        entityType: 'lti_resource_link',
        entityId: 'new-link',
        action: 'create',
        before: null,
      }),
    );
  });

  it('should answer a field error on providerId and write nothing when the provider is not available to the link organization', async () => {
    const { service, links, audit } = setUp();
    const error = await rejection(service.create(adminA, { ...valid, providerId: 'for-a1-only' }));
    expect(error.code).toBe('validation_failed');
    expect(fieldsOf(error)).toEqual(['providerId']);
    expect(links.create).not.toHaveBeenCalled();
    expect(audit.record).not.toHaveBeenCalled();
  });

  it('should answer a field error on providerId and write nothing when the provider is outside the admin scope', async () => {
    const { service, links, audit } = setUp();
    for (const providerId of ['owned-by-b', 'missing', undefined]) {
      const error = await rejection(service.create(adminA, { ...valid, providerId }));
      expect(fieldsOf(error)).toEqual(['providerId']);
    }
    expect(links.create).not.toHaveBeenCalled();
    expect(audit.record).not.toHaveBeenCalled();
  });

  it('should accept a provider available at an ancestor when the link lives below it', async () => {
    const { service, links } = setUp();
    await service.create(adminA, { ...valid, organizationId: 'a1', providerId: 'for-everyone' });
    expect(links.create).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({ organizationId: 'a1', providerId: 'for-everyone' }),
    );
  });

  it('should make a link available in a usable in a1 and not in b when its availability is a', async () => {
    const { service, links, catalog } = setUp();
    await service.create(adminA, { ...valid, availableOrganizationIds: ['a'] });
    const { availableOrganizationIds } = links.create.mock.calls[0][1];
    expect(availableOrganizationIds).toEqual(['a']);
    expect(isAvailableIn(availableOrganizationIds, await catalog.lineageOf('a1'))).toBe(true);
    expect(isAvailableIn(availableOrganizationIds, await catalog.lineageOf('a'))).toBe(true);
    expect(isAvailableIn(availableOrganizationIds, await catalog.lineageOf('b'))).toBe(false);
    expect(isAvailableIn(availableOrganizationIds, await catalog.lineageOf('root'))).toBe(false);
  });

  it('should answer a field error on passingScore and write nothing when a passing score is set without requiring a score', async () => {
    const { service, links } = setUp();
    const error = await rejection(service.create(adminA, { ...valid, passingScore: 70 }));
    expect(fieldsOf(error)).toEqual(['passingScore']);
    expect(links.create).not.toHaveBeenCalled();
  });

  it.each([101, -1, Number.NaN])(
    'should answer a field error on passingScore and write nothing when the passing score is %p',
    async (passingScore) => {
      const { service, links } = setUp();
      const error = await rejection(
        service.create(adminA, { ...valid, requiresScoreForCompletion: true, passingScore }),
      );
      expect(fieldsOf(error)).toEqual(['passingScore']);
      expect(links.create).not.toHaveBeenCalled();
    },
  );

  it.each([0, 100, null])('should accept a passing score of %p when a score is required', async (passingScore) => {
    const { service, links } = setUp();
    await service.create(adminA, { ...valid, requiresScoreForCompletion: true, passingScore });
    expect(links.create).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({ requiresScoreForCompletion: true, passingScore }),
    );
  });

  it.each(['http://example.com', 'https://tool.example/quiz#1', 'quiz/1', ''])(
    'should answer a field error on url and write nothing when the url is %p',
    async (url) => {
      const { service, links } = setUp();
      const error = await rejection(service.create(adminA, { ...valid, url }));
      expect(fieldsOf(error)).toEqual(['url']);
      expect(links.create).not.toHaveBeenCalled();
    },
  );

  it('should answer a field error on customParameters and write nothing when a line is malformed', async () => {
    const { service, links } = setUp();
    const error = await rejection(service.create(adminA, { ...valid, customParameters: 'ok=1\nbroken' }));
    expect(error.fields).toEqual([{ field: 'customParameters', message: expect.stringContaining('Line 2') }]);
    expect(links.create).not.toHaveBeenCalled();
  });

  it('should answer a field error on availableOrganizationIds and write nothing when the provider is not available there', async () => {
    const { service, links, audit } = setUp();
    const error = await rejection(
      service.create(adminA, {
        ...valid,
        organizationId: 'a1',
        providerId: 'for-a1-only',
        availableOrganizationIds: ['a'],
      }),
    );
    expect(fieldsOf(error)).toEqual(['availableOrganizationIds']);
    expect(links.create).not.toHaveBeenCalled();
    expect(audit.record).not.toHaveBeenCalled();
  });

  it('should answer a field error on availableOrganizationIds when a root admin offers the link where the provider is not available', async () => {
    const { service, links } = setUp();
    const error = await rejection(service.create(adminRoot, { ...valid, availableOrganizationIds: ['a', 'b'] }));
    expect(fieldsOf(error)).toEqual(['availableOrganizationIds']);
    expect(links.create).not.toHaveBeenCalled();
  });

  it('should answer a field error on availableOrganizationIds when an organization is not managed', async () => {
    const { service, links } = setUp();
    const error = await rejection(
      service.create(adminA, { ...valid, providerId: 'for-everyone', availableOrganizationIds: ['b'] }),
    );
    expect(fieldsOf(error)).toEqual(['availableOrganizationIds']);
    expect(links.create).not.toHaveBeenCalled();
  });
});

describe('LtiResourceLinksService.update', () => {
  it('should answer forbidden and write nothing when the admin sees the link only through availability', async () => {
    const { service, links, audit } = setUp();
    await expect(service.update(adminA, 'root-link-for-a', { name: 'x' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(service.delete(adminA, 'root-link-for-a')).rejects.toMatchObject({ code: 'forbidden' });
    expect(links.update).not.toHaveBeenCalled();
    expect(links.delete).not.toHaveBeenCalled();
    expect(audit.record).not.toHaveBeenCalled();
  });

  it('should refuse a provider change and write nothing when the link already has a provider', async () => {
    const { service, links } = setUp();
    const error = await rejection(service.update(adminA, 'link-in-a', { providerId: 'for-everyone' }));
    expect(fieldsOf(error)).toEqual(['providerId']);
    expect(links.update).not.toHaveBeenCalled();
  });

  it('should answer a field error on availableOrganizationIds and write nothing when the provider is not available in the new one', async () => {
    const { service, links } = setUp();
    const error = await rejection(service.update(adminA, 'link-in-a1', { availableOrganizationIds: ['a'] }));
    expect(fieldsOf(error)).toEqual(['availableOrganizationIds']);
    expect(links.update).not.toHaveBeenCalled();
  });

  it('should keep the availability outside the admin scope when the admin changes the availability', async () => {
    const { service, links } = setUp();
    const view = await service.update(adminA, 'link-shared-with-b', { availableOrganizationIds: ['a1'] });
    expect(links.update.mock.calls[0][2].availableOrganizationIds?.slice().sort()).toEqual(['a1', 'b']);
    expect(view.availableOrganizationIds).toEqual(['a1']);
  });

  it('should drop the passing score when the score requirement is turned off', async () => {
    const { service, links, audit } = setUp();
    await service.update(adminA, 'scored-link-in-a', { requiresScoreForCompletion: false });
    expect(links.update).toHaveBeenCalledWith(
      expect.anything(),
      'scored-link-in-a',
      expect.objectContaining({ requiresScoreForCompletion: false, passingScore: null }),
    );
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({
        entityType: 'lti_resource_link',
        action: 'update',
        before: { requiresScoreForCompletion: true, passingScore: 80 },
        after: { requiresScoreForCompletion: false, passingScore: null },
      }),
    );
  });

  it('should answer a field error on passingScore and write nothing when it is set on a link without a score requirement', async () => {
    const { service, links } = setUp();
    const error = await rejection(service.update(adminA, 'link-in-a', { passingScore: 50 }));
    expect(fieldsOf(error)).toEqual(['passingScore']);
    expect(links.update).not.toHaveBeenCalled();
  });

  it('should record a disable audit entry when the link is disabled', async () => {
    const { service, audit } = setUp();
    await service.update(adminA, 'link-in-a', { status: 'disabled' });
    expect(audit.record).toHaveBeenCalledTimes(1);
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({ entityType: 'lti_resource_link', entityId: 'link-in-a', action: 'disable' }),
    );
  });
});
