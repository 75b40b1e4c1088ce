import { randomBytes } from 'node:crypto';
import type { UserIdSource } from '../../catalog/lti-provider';
import { DomainError } from '../../errors/domain-error';
import { ToolFacingPerson, User } from '../../identity/user';
import { UserRepository } from '../../identity/user.repository';
import { ContextMembership, EnrollmentRepository, MembershipSelection } from '../../learning/enrollment.repository';
import { ltiContextOf } from '../../learning/lti-context';
import { ChangedMember, MembershipChangeRepository, RosterContext } from '../../learning/membership-change.repository';
import { lti1p3Provider } from '../../testing/catalog.factories';
import { user } from '../../testing/identity.factories';
import { course, courseClass } from '../../testing/learning.factories';
import { ServiceContexts } from '../service-contexts';
import { DifferencesTokens } from './differences-tokens';
import { MembershipsService } from './memberships.service';

const WINDOW_SECONDS = 3600;
const tool = lti1p3Provider({ id: 'tool-1', privacy: { level: 'name_only', userIdSource: 'internal' } });
const ada = user({ id: 'user-ada', name: 'Ada' });
const bob = user({ id: 'user-bob', name: 'Bob', givenName: null, familyName: null, email: 'bob@example.com' });

function membership(person: User, overrides: Partial<Omit<ContextMembership, 'person'>> = {}): ContextMembership {
  return { role: 'learner', status: 'active', person, ...overrides };
}

/** What the repository's roster stretch keeps: people with the identifier the tool knows people by. */
function identified(person: ToolFacingPerson, by: UserIdSource): boolean {
  return by === 'internal' || Boolean(by === 'sis_id' ? person.sisId : person.loginId);
}

function setUp(options: { roster?: ContextMembership[]; changed?: ChangedMember[]; people?: User[] } = {}) {
  const roster = options.roster ?? [membership(ada), membership(bob)];
  const contexts = {
    resolve: jest.fn(async () => ({
      course: course(),
      courseClass: courseClass(),
      context: ltiContextOf(course(), courseClass()),
      placements: [],
    })),
  } as unknown as ServiceContexts;
  const enrollments = {
    contextMemberships: jest.fn(async (_context: unknown, selection: MembershipSelection) =>
      'people' in selection
        ? roster.filter((m) => selection.people.includes(m.person.id))
        : roster
            .filter((m) => selection.roles.includes(m.role) && identified(m.person, selection.identifiedBy))
            .slice(selection.offset, selection.offset + selection.limit),
    ),
  } as unknown as jest.Mocked<EnrollmentRepository>;
  const users = {
    findByIds: jest.fn(async (ids: readonly string[]) =>
      (options.people ?? [ada, bob]).filter((u) => ids.includes(u.id)),
    ),
  } as unknown as jest.Mocked<UserRepository>;
  const changes: jest.Mocked<MembershipChangeRepository> = {
    currentPosition: jest.fn(async () => '100:100:'),
    isPosition: jest.fn((_value: string) => true),
    changedSince: jest.fn(async (_context: RosterContext, _position: string) => options.changed ?? []),
    deleteOlderThan: jest.fn(),
  };
  const tokens = new DifferencesTokens(randomBytes(32), WINDOW_SECONDS);
  const service = new MembershipsService(contexts, enrollments, users, changes, tokens);
  const since = (issuedAt = new Date()) =>
    tokens.sign({ providerId: tool.id, contextId: 'class-1', position: '90:90:', issuedAt });
  return { service, changes, enrollments, users, tokens, since };
}

describe('MembershipsService differences', () => {
  it('should answer only the changed members, as they are now, when a differences link is followed', async () => {
    const { service, changes, since } = setUp({ changed: [{ userId: bob.id, changed: ['enrollment'] }] });
    const page = await service.list(tool, 'class-1', { since: since() });
    expect(page.answered).toBe('differences');
    expect(page.members).toEqual([
      { status: 'Active', user_id: bob.id, roles: [expect.stringContaining('Learner')], name: 'Bob' },
    ]);
    expect(changes.changedSince).toHaveBeenCalledWith({ courseId: 'course-1', classId: 'class-1' }, '90:90:');
  });

  it('should leave out an email change when the privacy setting hides email, and report it when it shows it', async () => {
    const { service, since } = setUp({ changed: [{ userId: bob.id, changed: ['email'] }] });
    expect((await service.list(tool, 'class-1', { since: since() })).members).toEqual([]);
    const publicTool = { ...tool, privacy: { level: 'public' as const, userIdSource: 'internal' as const } };
    const shown = setUp({ changed: [{ userId: bob.id, changed: ['email'] }] });
    const link = shown.tokens.sign({
      providerId: tool.id,
      contextId: 'class-1',
      position: '9:9:',
      issuedAt: new Date(),
    });
    const page = await shown.service.list(publicTool, 'class-1', { since: link });
    expect(page.members).toEqual([expect.objectContaining({ user_id: bob.id, email: 'bob@example.com' })]);
  });

  it('should mark a removed learner Deleted, a closed enrollment and a suspended person Inactive when the roster is read', async () => {
    const carol = user({ id: 'user-carol', name: 'Carol' });
    const suspended = { ...bob, status: 'suspended' as const };
    const { service } = setUp({
      roster: [membership(ada, { status: 'removed' }), membership(suspended), membership(carol, { status: 'closed' })],
    });
    const page = await service.list(tool, 'class-1', {});
    expect(Object.fromEntries(page.members.map((m) => [m.user_id, m.status]))).toEqual({
      [ada.id]: 'Deleted',
      [bob.id]: 'Inactive',
      [carol.id]: 'Inactive',
    });
  });

  it('should mark Deleted a changed person with no enrollment left there, reading only that person', async () => {
    const { service, users, since } = setUp({
      roster: [membership(bob)],
      changed: [
        { userId: ada.id, changed: ['enrollment'] },
        { userId: bob.id, changed: ['name'] },
      ],
    });
    const page = await service.list(tool, 'class-1', { since: since() });
    expect(page.members).toEqual([
      { status: 'Deleted', user_id: ada.id, roles: [] },
      expect.objectContaining({ status: 'Active', user_id: bob.id, name: 'Bob' }),
    ]);
    expect(users.findByIds.mock.calls).toEqual([[[ada.id]]]);
  });

  it('should answer the whole roster and say so when the differences link is older than the window', async () => {
    const { service, changes, since } = setUp({ changed: [{ userId: bob.id, changed: ['enrollment'] }] });
    const old = since(new Date(Date.now() - (WINDOW_SECONDS + 60) * 1000));
    const page = await service.list(tool, 'class-1', { since: old });
    expect(page.answered).toBe('roster_for_expired_differences');
    expect(page.members).toHaveLength(2);
    expect(changes.changedSince).not.toHaveBeenCalled();
  });

  it('should refuse a link signed for another tool or context, naming since, and read no changes', async () => {
    const { service, changes, tokens } = setUp();
    const otherTool = tokens.sign({
      providerId: 'tool-2',
      contextId: 'class-1',
      position: '1:1:',
      issuedAt: new Date(),
    });
    const otherContext = tokens.sign({
      providerId: tool.id,
      contextId: 'class-2',
      position: '1:1:',
      issuedAt: new Date(),
    });
    for (const since of [otherTool, otherContext, `${otherTool}x`, 'garbage']) {
      const refusal = await service.list(tool, 'class-1', { since }).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(DomainError);
      expect((refusal as DomainError).message).toContain('since');
    }
    expect(changes.changedSince).not.toHaveBeenCalled();
  });

  it('should reuse the first page’s differences token on later pages when an anchor is given', async () => {
    const { service, changes, since } = setUp();
    const anchor = since();
    const page = await service.list(tool, 'class-1', { anchor, offset: 1, limit: 1 });
    expect(page.differences).toBe(anchor);
    expect(changes.currentPosition).not.toHaveBeenCalled();
  });

  describe('a page of a long roster', () => {
    const people = ['p0', 'p1', 'p2', 'p3', 'p4'].map((id) => user({ id, name: id, sisId: `sis-${id}` }));
    const roster = people.map((person) => membership(person));

    it('should answer the first members and link the next page when the roster is longer', async () => {
      const { service } = setUp({ roster });

      const page = await service.list(tool, 'class-1', { limit: 2 });

      expect(page.members.map((m) => m.user_id)).toEqual(['p0', 'p1']);
      expect(page.next).toBe(2);
    });

    it('should read no more of the roster than the page and one member past it', async () => {
      const { service, enrollments } = setUp({ roster });

      const page = await service.list(tool, 'class-1', { offset: 1, limit: 2 });

      expect(page.members.map((m) => m.user_id)).toEqual(['p1', 'p2']);
      expect(page.next).toBe(3);
      expect(enrollments.contextMemberships.mock.calls.map(([, selection]) => selection)).toEqual([
        { offset: 1, limit: 3, roles: ['learner', 'instructor'], identifiedBy: 'internal' },
      ]);
    });

    it('should filter by role in the read, and read nothing for a role no enrollment gives', async () => {
      const teacher = membership(user({ id: 'p-teacher', name: 'Teacher' }), { role: 'instructor' });
      const { service, enrollments } = setUp({ roster: [...roster, teacher] });

      const instructors = await service.list(tool, 'class-1', { role: 'Instructor' });
      const mentors = await service.list(tool, 'class-1', { role: 'Mentor' });

      expect(instructors.members.map((m) => m.user_id)).toEqual(['p-teacher']);
      expect(mentors.members).toEqual([]);
      expect(enrollments.contextMemberships.mock.calls.map(([, selection]) => selection)).toEqual([
        { offset: 0, limit: 101, roles: ['instructor'], identifiedBy: 'internal' },
      ]);
    });

    it('should fill the page from further members when some have no id the tool knows people by', async () => {
      const bySisId = { ...tool, privacy: { level: 'name_only' as const, userIdSource: 'sis_id' as const } };
      const unknown = roster.map((m) => (m.person.id === 'p1' ? { ...m, person: { ...m.person, sisId: null } } : m));
      const { service, enrollments } = setUp({ roster: unknown });

      const page = await service.list(bySisId, 'class-1', { limit: 2 });

      expect(page.members.map((m) => m.user_id)).toEqual(['sis-p0', 'sis-p2']);
      expect(page.next).toBe(2);
      expect(enrollments.contextMemberships.mock.calls.map(([, selection]) => selection)).toEqual([
        { offset: 0, limit: 3, roles: ['learner', 'instructor'], identifiedBy: 'sis_id' },
      ]);
    });

    it('should answer the last members without a next page when the page reaches the end of the roster', async () => {
      const { service } = setUp({ roster });

      const page = await service.list(tool, 'class-1', { offset: 3, limit: 2 });

      expect(page.members.map((m) => m.user_id)).toEqual(['p3', 'p4']);
      expect(page.next).toBeNull();
    });
  });
});
