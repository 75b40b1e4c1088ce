import { AccessService } from '../access/access.service';
import { LtiProviderRepository, LtiResourceLinkRepository } from '../catalog/catalog.repository';
import { LtiProvider } from '../catalog/lti-provider';
import { LtiResourceLink } from '../catalog/lti-resource-link';
import { OrganizationRepository } from '../organizations/organization.repository';
import { CoursesService } from './courses.service';
import { CourseWithActivities } from './learning';
import { CourseRepository } from './learning.repository';

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
  createdAt: at,
  updatedAt: at,
  activities: [],
});
const link = (id: string, availableOrganizationIds: string[], status: 'active' | 'disabled' = 'active') =>
  ({ id, name: id, providerId: 'p', status, availableOrganizationIds }) as unknown as LtiResourceLink;

function setUp() {
  const courses = { a1Course: course('a1Course', 'a1'), bCourse: course('bCourse', 'b') };
  const links: Record<string, LtiResourceLink> = {
    forA: link('forA', ['a']),
    forB: link('forB', ['b']),
    disabled: link('disabled', ['root'], 'disabled'),
  };
  const courseRepository = {
    findById: jest.fn(async (id: string) => courses[id as keyof typeof courses] ?? null),
    addActivity: jest.fn(async (input) => ({ ...input, id: 'new', position: 1 })),
  } as unknown as jest.Mocked<CourseRepository>;
  const linkRepository = {
    findById: jest.fn(async (id: string) => links[id] ?? null),
  } as unknown as LtiResourceLinkRepository;
  const providerRepository = {
    findById: jest.fn(
      async () => ({ id: 'p', status: 'active', availableOrganizationIds: ['root'] }) as unknown as LtiProvider,
    ),
  } as unknown as LtiProviderRepository;
  const organizations = {
    findLineageIds: jest.fn(async (ids: readonly string[]) => [...new Set(ids.flatMap(lineage))]),
    findInRoleScope: jest.fn(async () => [
      { id: 'a', parentId: 'root' },
      { id: 'a1', parentId: 'a' },
    ]),
  } as unknown as OrganizationRepository;
  const service = new CoursesService(
    courseRepository,
    linkRepository,
    providerRepository,
    organizations,
    new AccessService(organizations),
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
});
