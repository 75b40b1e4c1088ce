import { fakeAuditTrail } from '../audit/audit-trail.fake';
import { AccessService } from '../access/access.service';
import { DomainError } from '../errors/domain-error';
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

/** root ─ a ─ a1 ; root ─ b. The admin administers `a` and `b`. */
const ORGS = [org('root', null), org('a', 'root'), org('a1', 'a'), org('b', 'root')];

function setUp(managed = ['a', 'a1', 'b']) {
  const repository: jest.Mocked<OrganizationRepository> = {
    findById: jest.fn(async (id: string) => ORGS.find((o) => o.id === id) ?? null),
    listByIds: jest.fn(async (ids: readonly string[]) => ORGS.filter((o) => ids.includes(o.id))),
    findManaged: jest.fn(async (_userId: string) =>
      ORGS.filter((o) => managed.includes(o.id)).map((o) => ({ id: o.id, parentId: o.parentId })),
    ),
    findSubtreeIds: jest.fn(async (id: string) => (id === 'a' ? ['a', 'a1'] : [id])),
    findLineageIds: jest.fn(async (ids: readonly string[]) => [...ids]),
    findInRoleScope: jest.fn(),
    create: jest.fn(async (input) => org('new', input.parentId, input.name)),
    update: jest.fn(async (id, changes) => ({ ...org(id, changes.parentId, changes.name) })),
  };
  const service = new OrganizationsService(repository, new AccessService(repository), fakeAuditTrail());
  return { service, repository };
}

const principal = { userId: 'u1' };

describe('OrganizationsService', () => {
  it('should answer not_found for an organization outside the scope', async () => {
    const { service } = setUp();
    await expect(service.get(principal, 'root')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('should refuse a move under the organization itself or its descendants and write nothing', async () => {
    const { service, repository } = setUp(['a', 'a1', 'b', 'x']);
    repository.findManaged.mockResolvedValue([
      { id: 'top', parentId: null },
      { id: 'a', parentId: 'top' },
      { id: 'a1', parentId: 'a' },
    ]);
    repository.findById.mockImplementation(async (id) => ({ a: org('a', 'top'), a1: org('a1', 'a') })[id] ?? null);
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
    expect(repository.update).toHaveBeenCalledWith('a1', { name: 'Moved', parentId: 'b' });
  });

  it('should require parentId on create when the admin has several top organizations', async () => {
    const { service, repository } = setUp();
    await expect(service.create(principal, { name: 'X' })).rejects.toMatchObject({
      fields: [{ field: 'parentId', message: expect.any(String) }],
    });
    expect(repository.create).not.toHaveBeenCalled();
    await service.create(principal, { name: 'X', parentId: 'a1' });
    expect(repository.create).toHaveBeenCalledWith({ name: 'X', parentId: 'a1' });
  });
});

describe('toTree', () => {
  it('should order depth-first with siblings by name, treating orphans of the set as roots', () => {
    const tree = toTree([org('c', 'x', 'Zeta'), org('d', 'c', 'Child'), org('e', 'x', 'Alpha')]);
    expect(tree.map((o) => `${o.depth}:${o.name}`)).toEqual(['0:Alpha', '0:Zeta', '1:Child']);
  });
});
