import { fakeAuditTrail } from '../audit/audit-trail.fake';
import { AccessService } from '../access/access.service';
import { OrganizationRepository } from '../organizations/organization.repository';
import { SessionRepository } from './session.repository';
import { User } from './user';
import { MembershipRepository, UserRepository } from './user.repository';
import { UsersService } from './users.service';

const at = new Date('2026-01-01T00:00:00Z');
const user = (id: string, organizationId: string): User => ({
  id,
  email: `${id}@example.com`,
  name: id,
  givenName: null,
  familyName: null,
  sisId: null,
  loginId: null,
  status: 'active',
  organizationId,
  createdAt: at,
  updatedAt: at,
});

function setUp() {
  const users = {
    findById: jest.fn(
      async (id: string) =>
        ({ me: user('me', 'a'), other: user('other', 'a'), foreign: user('foreign', 'z') })[id] ?? null,
    ),
    update: jest.fn(async (id: string) => user(id, 'a')),
  } as unknown as jest.Mocked<UserRepository>;
  const memberships = {
    listForUser: jest.fn(async () => []),
    add: jest.fn(),
    remove: jest.fn(),
  } as unknown as jest.Mocked<MembershipRepository>;
  const sessions = { revokeAllForUser: jest.fn() } as unknown as jest.Mocked<SessionRepository>;
  const organizations = {
    findManaged: jest.fn(async () => [{ id: 'a', parentId: null }]),
  } as unknown as OrganizationRepository;
  const service = new UsersService(users, memberships, sessions, new AccessService(organizations), fakeAuditTrail());
  return { service, users, memberships, sessions };
}

describe('UsersService', () => {
  it('should end every session of a suspended user', async () => {
    const { service, sessions, users } = setUp();
    await service.update({ userId: 'me' }, 'other', { status: 'suspended' });
    expect(users.update).toHaveBeenCalledWith('other', expect.objectContaining({ status: 'suspended' }));
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
});
