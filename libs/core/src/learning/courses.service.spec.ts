import { fakeAccess } from '../access/access.fake';
import { TenantScope } from '../access/tenant-scope';
import { LtiProviderRepository } from '../catalog/lti-provider.repository';
import { LtiResourceLinkRepository } from '../catalog/lti-resource-link.repository';
import { LtiProvider } from '../catalog/lti-provider';
import { LtiResourceLink } from '../catalog/lti-resource-link';
import { CoursesService } from './courses.service';
import { CourseWithActivities } from './learning';
import { CourseRepository } from './course.repository';

/** root ─ a ─ a1 ; root ─ b. The author writes courses in `a` (and so `a1`). */
const PARENT: Record<string, string | null> = { root: null, a: 'root', a1: 'a', b: 'root' };
const lineage = (id: string): string[] => (id ? [id, ...(PARENT[id] ? lineage(PARENT[id]!) : [])] : []);
const at = new Date('2026-01-01T00:00:00Z');

const course = (id: string, organizationId: string): CourseWithActivities => ({
  id,
  organizationId,
  title: id,
  code: null,
  description: null,
  sourceCourseId: null,
  contextIdHistory: [],
  createdAt: at,
  updatedAt: at,
  activities: [],
});
const link = (id: string, availableOrganizationIds: string[], status: 'active' | 'disabled' = 'active') =>
  ({ id, name: id, providerId: 'p', status, availableOrganizationIds }) as unknown as LtiResourceLink;

function setUp() {
  const { access, covered, organizations } = fakeAccess({
    organizations: Object.entries(PARENT).map(([id, parentId]) => ({ id, parentId })),
    memberships: [{ userId: 'author', organizationId: 'a', role: 'course_author' }],
  });
  /** What the scope sees of a catalog entry: owned or available in a covered organization or above one. */
  const sees = (scope: TenantScope, entry: { availableOrganizationIds: readonly string[] }) => {
    const reach = new Set([...covered(scope)].flatMap(lineage));
    return entry.availableOrganizationIds.some((id) => reach.has(id));
  };
  const courses = { a1Course: course('a1Course', 'a1'), bCourse: course('bCourse', 'b') };
  const links: Record<string, LtiResourceLink> = {
    forA: link('forA', ['a']),
    forB: link('forB', ['b']),
    disabled: link('disabled', ['root'], 'disabled'),
  };
  const courseRepository = {
    findInScope: jest.fn(async (scope: TenantScope, id: string) => {
      const found = courses[id as keyof typeof courses];
      return found && covered(scope).has(found.organizationId) ? found : null;
    }),
    addActivity: jest.fn(async (_scope, input) => ({ ...input, id: 'new', position: 1 })),
  } as unknown as jest.Mocked<CourseRepository>;
  const linkRepository = {
    findVisible: jest.fn(async (scope: TenantScope, id: string) =>
      links[id] && sees(scope, links[id]) ? links[id] : null,
    ),
  } as unknown as LtiResourceLinkRepository;
  const provider = { id: 'p', status: 'active', availableOrganizationIds: ['root'] } as unknown as LtiProvider;
  const providerRepository = {
    findVisible: jest.fn(async (scope: TenantScope) => (sees(scope, provider) ? provider : null)),
  } as unknown as LtiProviderRepository;
  const service = new CoursesService(
    courseRepository,
    linkRepository,
    providerRepository,
    organizations as never,
    access,
  );
  return { service, courseRepository };
}

const author = { userId: 'author' };

describe('CoursesService', () => {
  it('should place a link available to an ancestor of the course’s organization, with a fresh LTI resource_link_id', async () => {
    const { service, courseRepository } = setUp();
    const first = await service.addActivity(author, 'a1Course', { resourceLinkId: 'forA' });
    const second = await service.addActivity(author, 'a1Course', { resourceLinkId: 'forA' });
    expect(courseRepository.addActivity).toHaveBeenCalledTimes(2);
    expect(first.ltiResourceLinkId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.ltiResourceLinkId).not.toBe(second.ltiResourceLinkId);
    expect(first).toMatchObject({ title: 'forA', required: true, resourceLinkId: 'forA' });
  });

  it.each(['forB', 'disabled', 'missing'])(
    'should refuse link %s and write nothing when it cannot be used there',
    async (id) => {
      const { service, courseRepository } = setUp();
      await expect(service.addActivity(author, 'a1Course', { resourceLinkId: id })).rejects.toMatchObject({
        code: 'validation_failed',
        fields: [{ field: 'resourceLinkId', message: expect.any(String) }],
      });
      expect(courseRepository.addActivity).not.toHaveBeenCalled();
    },
  );

  it('should answer not_found for a course of an organization the author does not write in', async () => {
    const { service, courseRepository } = setUp();
    await expect(service.get(author, 'bCourse')).rejects.toMatchObject({ code: 'not_found' });
    await expect(service.addActivity(author, 'bCourse', { resourceLinkId: 'forB' })).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(courseRepository.addActivity).not.toHaveBeenCalled();
  });

  it('should answer forbidden to a person who authors nowhere, before reading any course', async () => {
    const { service, courseRepository } = setUp();
    await expect(service.get({ userId: 'learner' }, 'a1Course')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(service.list({ userId: 'learner' }, { page: 1, limit: 20 })).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(courseRepository.findInScope).not.toHaveBeenCalled();
  });

  it('should hand the repository the scope it issued for the caller, resolved for course authors', async () => {
    const { service, courseRepository } = setUp();
    await service.addActivity(author, 'a1Course', { resourceLinkId: 'forA' });
    const [scope] = courseRepository.addActivity.mock.calls[0];
    expect(scope).toMatchObject({ userId: 'author', platformAdmin: false });
    expect([...scope.roles].sort()).toEqual(['course_author', 'site_admin']);
  });
});
