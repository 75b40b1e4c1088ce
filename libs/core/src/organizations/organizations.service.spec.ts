import { fakeAccess } from '../access/access.fake';
import { TenantScope } from '../access/tenant-scope';
import { fakeAuditTrail } from '../audit/audit-trail.fake';
import { DomainError } from '../errors/domain-error';
import { MembershipRepository } from '../identity/membership.repository';
import { Organization } from './organization';
import { OrganizationRepository } from './organization.repository';
import { OrganizationsService, toTree } from './organizations.service';

const at = new Date('2026-01-01T00:00:00Z');
const org = (id: string, parentId: string | null, name = id): Organization => ({
  id,
  name,
  parentId,
  createdAt: at,
  updatedAt: at,
});

/** root ─ a ─ a1 ; root ─ b ; top ─ t1. */
const ORGS = [
  org('root', null),
  org('a', 'root'),
  org('a1', 'a'),
  org('b', 'root'),
  org('top', null),
  org('t1', 'top'),
];

/** `u1` administers `a` and `b`; `t` administers `top` and is a platform administrator. */
function setUp(
  memberships = [
    { userId: 'u1', organizationId: 'a' },
    { userId: 'u1', organizationId: 'b' },
  ],
) {
  const {
    access,
    covered,
    organizations: tree,
  } = fakeAccess({
    organizations: ORGS,
    memberships: [...memberships, { userId: 't', organizationId: 'top' }].map((m) => ({ ...m, role: 'site_admin' })),
    platformAdmins: ['t'],
  });
  const repository = {
    ...tree,
    findInScope: jest.fn(async (scope: TenantScope, id: string) =>
      covered(scope).has(id) ? (ORGS.find((o) => o.id === id) ?? null) : null,
    ),
    listInScope: jest.fn(async (scope: TenantScope) => ORGS.filter((o) => covered(scope).has(o.id))),
    create: jest.fn(async (_scope: TenantScope, input: { name: string; parentId: string | null }) =>
      org('new', input.parentId, input.name),
    ),
    update: jest.fn(async (_scope: TenantScope, id: string, changes: { name: string; parentId: string | null }) =>
      org(id, changes.parentId, changes.name),
    ),
  };
  const membershipRepository = {
    listForUserInScope: jest.fn(async () => [
      { id: 'm-new', userId: 't', organizationId: 'new', role: 'site_admin', createdAt: at },
    ]),
  } as unknown as MembershipRepository;
  const audit = fakeAuditTrail();
  const service = new OrganizationsService(
    repository as unknown as OrganizationRepository,
    membershipRepository,
    access,
    audit,
  );
  return { service, repository, audit };
}

const principal = { userId: 'u1' };

describe('OrganizationsService', () => {
  it('should answer not_found for an organization outside the scope', async () => {
    const { service } = setUp();
    await expect(service.get(principal, 'root')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('should refuse a move under the organization itself or its descendants and write nothing', async () => {
    const { service, repository } = setUp([{ userId: 'u1', organizationId: 'root' }]);
    await expect(service.update(principal, 'a', { parentId: 'a1', name: 'Renamed' })).rejects.toBeInstanceOf(
      DomainError,
    );
    expect(repository.update).not.toHaveBeenCalled();
  });

  it("should refuse to move the admin's own top organization", async () => {
    const { service, repository } = setUp();
    await expect(service.update(principal, 'a', { parentId: 'b' })).rejects.toMatchObject({
      code: 'validation_failed',
      fields: [expect.objectContaining({ field: 'parentId' })],
    });
    expect(repository.update).not.toHaveBeenCalled();
  });

  it('should move a descendant to another managed parent in one write', async () => {
    const { service, repository } = setUp();
    await service.update(principal, 'a1', { parentId: 'b', name: 'Moved' });
    expect(repository.update).toHaveBeenCalledTimes(1);
    expect(repository.update).toHaveBeenCalledWith(expect.objectContaining({ userId: 'u1' }), 'a1', {
      name: 'Moved',
      parentId: 'b',
    });
  });

  it('should require parentId on create when the admin has several top organizations', async () => {
    const { service, repository } = setUp();
    await expect(service.create(principal, { name: 'X' })).rejects.toMatchObject({
      fields: [{ field: 'parentId', message: expect.any(String) }],
    });
    expect(repository.create).not.toHaveBeenCalled();
    await service.create(principal, { name: 'X', parentId: 'a1' });
    expect(repository.create).toHaveBeenCalledWith(expect.objectContaining({ userId: 'u1' }), {
      name: 'X',
      parentId: 'a1',
    });
  });

  it('should refuse a top-level organization to an admin of a top-level organization who is not a platform administrator', async () => {
    const { service, repository } = setUp([{ userId: 'u1', organizationId: 'root' }]);
    await expect(service.create(principal, { name: 'Tenant', parentId: null })).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(repository.create).not.toHaveBeenCalled();
  });

  it('should create a top-level organization for a platform administrator and audit their first role there', async () => {
    const { service, repository, audit } = setUp();
    await service.create({ userId: 't' }, { name: 'Tenant', parentId: null });
    expect(repository.create).toHaveBeenCalledWith(expect.objectContaining({ userId: 't', platformAdmin: true }), {
      name: 'Tenant',
      parentId: null,
    });
    expect(audit.entries.map((e) => `${e.entityType}:${e.action}`)).toEqual([
      'membership:create',
      'organization:create',
    ]);
  });
});

describe('toTree', () => {
  it('should order depth-first with siblings by name, treating orphans of the set as roots', () => {
    const tree = toTree([org('c', 'x', 'Zeta'), org('d', 'c', 'Child'), org('e', 'x', 'Alpha')]);
    expect(tree.map((o) => `${o.depth}:${o.name}`)).toEqual(['0:Alpha', '0:Zeta', '1:Child']);
  });
});
