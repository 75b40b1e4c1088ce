import { fakeAccess } from '../access/access.fake';
import { TenantScope } from '../access/tenant-scope';
import { fakeAuditTrail } from '../audit/audit-trail.fake';
import { SessionRepository } from './session.repository';
import { User } from './user';
import { MembershipRepository } from './membership.repository';
import { UserRepository } from './user.repository';
import { UsersService } from './users.service';

const at = new Date('2026-01-01T00:00:00Z');
const user = (id: string, organizationId: string, platformAdmin = false): User => ({
  id,
  email: `${id}@example.com`,
  name: id,
  givenName: null,
  familyName: null,
  sisId: null,
  loginId: null,
  status: 'active',
  organizationId,
  platformAdmin,
  createdAt: at,
  updatedAt: at,
});

/** `me` administers `a` and is a platform administrator; `peer` administers `a` only; `foreign` lives in `z`. */
function setUp() {
  const { access, covered } = fakeAccess({
    organizations: [
      { id: 'a', parentId: null },
      { id: 'z', parentId: null },
    ],
    memberships: [
      { userId: 'me', organizationId: 'a', role: 'site_admin' },
      { userId: 'peer', organizationId: 'a', role: 'site_admin' },
    ],
    platformAdmins: ['me'],
  });
  const people: Record<string, User> = {
    me: user('me', 'a', true),
    peer: user('peer', 'a'),
    other: user('other', 'a'),
    foreign: user('foreign', 'z'),
  };
  const users = {
    findInScope: jest.fn(async (scope: TenantScope, id: string) =>
      people[id] && covered(scope).has(people[id].organizationId) ? people[id] : null,
    ),
    update: jest.fn(async (_scope: TenantScope, id: string) => user(id, 'a')),
    setPlatformAdmin: jest.fn(async (_scope: TenantScope, id: string, value: boolean) => user(id, 'a', value)),
  } as unknown as jest.Mocked<UserRepository>;
  const memberships = {
    listForUserInScope: jest.fn(async () => []),
    add: jest.fn(),
    remove: jest.fn(),
  } as unknown as jest.Mocked<MembershipRepository>;
  const sessions = { revokeAllForUser: jest.fn() } as unknown as jest.Mocked<SessionRepository>;
  const audit = fakeAuditTrail();
  const service = new UsersService(users, memberships, sessions, access, audit);
  return { service, users, memberships, sessions, audit };
}

describe('UsersService', () => {
  it('should end every session of a suspended user', async () => {
    const { service, sessions, users } = setUp();
    await service.update({ userId: 'me' }, 'other', { status: 'suspended' });
    expect(users.update).toHaveBeenCalledWith(
      expect.objectContaining({ userId: 'me' }),
      'other',
      expect.objectContaining({ status: 'suspended' }),
    );
    expect(sessions.revokeAllForUser).toHaveBeenCalledWith('other');
  });

  it('should refuse self-suspension and write nothing', async () => {
    const { service, sessions, users } = setUp();
    await expect(service.update({ userId: 'me' }, 'me', { status: 'suspended', name: 'x' })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    expect(users.update).not.toHaveBeenCalled();
    expect(sessions.revokeAllForUser).not.toHaveBeenCalled();
  });

  it('should answer not_found for a user of another organization, and write nothing', async () => {
    const { service, users, memberships } = setUp();
    await expect(service.update({ userId: 'me' }, 'foreign', { name: 'x' })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(
      service.addMembership({ userId: 'me' }, 'foreign', { organizationId: 'a', role: 'learner' }),
    ).rejects.toMatchObject({ code: 'not_found' });
    expect(users.update).not.toHaveBeenCalled();
    expect(memberships.add).not.toHaveBeenCalled();
  });

  it('should refuse a role in an organization the admin does not manage', async () => {
    const { service, memberships } = setUp();
    await expect(
      service.addMembership({ userId: 'me' }, 'other', { organizationId: 'z', role: 'site_admin' }),
    ).rejects.toMatchObject({
      fields: [expect.objectContaining({ field: 'organizationId' })],
    });
    expect(memberships.add).not.toHaveBeenCalled();
  });

  it('should let a platform administrator grant the role to a person they manage, audited as platform-wide', async () => {
    const { service, users, audit } = setUp();
    const granted = await service.setPlatformAdmin({ userId: 'me' }, 'other', true);
    expect(granted.platformAdmin).toBe(true);
    expect(users.setPlatformAdmin).toHaveBeenCalledWith(
      expect.objectContaining({ platformAdmin: true }),
      'other',
      true,
    );
    expect(audit.entries).toEqual([
      expect.objectContaining({
        entityType: 'user',
        entityId: 'other',
        organizationId: null,
        before: { platformAdmin: false },
        after: { platformAdmin: true },
      }),
    ]);
  });

  it('should refuse the platform administrator role to be granted by a site admin who is not one, writing nothing', async () => {
    const { service, users, audit } = setUp();
    await expect(service.setPlatformAdmin({ userId: 'peer' }, 'other', true)).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(users.setPlatformAdmin).not.toHaveBeenCalled();
    expect(audit.entries).toEqual([]);
  });

  it('should refuse revoking one’s own platform administrator role, and a person outside the scope', async () => {
    const { service, users } = setUp();
    await expect(service.setPlatformAdmin({ userId: 'me' }, 'me', false)).rejects.toMatchObject({
      fields: [expect.objectContaining({ field: 'platformAdmin' })],
    });
    await expect(service.setPlatformAdmin({ userId: 'me' }, 'foreign', true)).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(users.setPlatformAdmin).not.toHaveBeenCalled();
  });
});
