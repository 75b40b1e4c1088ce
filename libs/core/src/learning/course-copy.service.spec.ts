import { fakeAccess } from '../access/access.fake';
import { TenantScope } from '../access/tenant-scope';
import { LtiProvider } from '../catalog/lti-provider';
import { LtiProviderRepository } from '../catalog/lti-provider.repository';
import { LtiResourceLink } from '../catalog/lti-resource-link';
import { LtiResourceLinkRepository } from '../catalog/lti-resource-link.repository';
import { activity, course } from '../testing/learning.factories';
import { CourseCopyListener } from './course-copy-listener';
import { CourseCopyService } from './course-copy.service';
import { CourseCopyInput, CourseRepository } from './course.repository';
import { UnitOfWork } from '../shared/unit-of-work';

/** root ─ a ─ a1 ; root ─ b. The author writes courses in `a` and `b`; the source course is in `a1`. */
const PARENT: Record<string, string | null> = { root: null, a: 'root', a1: 'a', b: 'root', c: 'root' };
const link = (id: string, availableOrganizationIds: string[], status: 'active' | 'disabled' = 'active') =>
  ({ id, name: id, providerId: 'p', status, availableOrganizationIds }) as unknown as LtiResourceLink;

const source = course({
  id: 'src',
  organizationId: 'a1',
  title: 'Biology',
  contextIdHistory: ['older:self-paced'],
  activities: [
    activity({ id: 'x1', resourceLinkId: 'everywhere', ltiResourceLinkId: 'rl-x1', resourceLinkIdHistory: ['rl-0'] }),
    activity({ id: 'x2', resourceLinkId: 'onlyA', ltiResourceLinkId: 'rl-x2', title: 'A-only lab' }),
    activity({ id: 'x3', resourceLinkId: 'gone', ltiResourceLinkId: 'rl-x3', title: 'Deleted link' }),
    activity({ id: 'x4', resourceLinkId: 'everywhere', ltiResourceLinkId: 'rl-x4', required: false }),
  ],
});

function setUp(listenerFails = false) {
  const { access, covered, organizations } = fakeAccess({
    organizations: Object.entries(PARENT).map(([id, parentId]) => ({ id, parentId })),
    memberships: [
      { userId: 'author', organizationId: 'a', role: 'course_author' },
      { userId: 'author', organizationId: 'b', role: 'course_author' },
    ],
  });
  const links: Record<string, LtiResourceLink> = {
    everywhere: link('everywhere', ['root']),
    onlyA: link('onlyA', ['a']),
  };
  const courses = {
    findInScope: jest.fn(async (scope: TenantScope, id: string) =>
      id === source.id && covered(scope).has(source.organizationId) ? source : null,
    ),
    createCopy: jest.fn(async (_scope: TenantScope, input: CourseCopyInput) =>
      course({
        ...input.course,
        id: 'copy',
        activities: input.activities.map((a, index) =>
          activity({ ...a, id: `copy-${index}`, courseId: 'copy', position: index + 1 }),
        ),
      }),
    ),
  } as unknown as jest.Mocked<CourseRepository>;
  const linkRepository = {
    findByIds: jest.fn(async (ids: string[]) => ids.flatMap((id) => (links[id] ? [links[id]] : []))),
  } as unknown as LtiResourceLinkRepository;
  const provider = { id: 'p', status: 'active', availableOrganizationIds: ['root'] } as unknown as LtiProvider;
  const providers = { findById: jest.fn(async () => provider) } as unknown as LtiProviderRepository;
  const listener = {
    courseCopied: jest.fn(async () => {
      if (listenerFails) throw new Error('notification service down');
    }),
  } as unknown as jest.Mocked<CourseCopyListener>;
  const order: string[] = [];
  const uow = {
    run: jest.fn(async <T>(work: () => Promise<T>) => {
      order.push('begin');
      try {
        const result = await work();
        order.push('commit');
        return result;
      } catch (error) {
        order.push('rollback');
        throw error;
      }
    }),
  } as unknown as UnitOfWork;
  const service = new CourseCopyService(
    courses,
    linkRepository,
    providers,
    organizations as never,
    access,
    listener,
    uow,
  );
  return { service, courses, listener, order };
}

const author = { userId: 'author' };

describe('CourseCopyService', () => {
  it('should copy the usable activities in order with new resource_link_ids and their history when copying to another organization', async () => {
    const { service, courses } = setUp();

    const result = await service.copy(author, 'src', { organizationId: 'b', title: 'Biology 2027' });

    const input = courses.createCopy.mock.calls[0][1];
    expect(input.course).toEqual({
      organizationId: 'b',
      title: 'Biology 2027',
      code: null,
      description: null,
      sourceCourseId: 'src',
      contextIdHistory: ['src:self-paced', 'older:self-paced'],
    });
    expect(input.activities.map((a) => [a.sourceActivityId, a.resourceLinkIdHistory, a.required])).toEqual([
      ['x1', ['rl-x1', 'rl-0'], true],
      ['x4', ['rl-x4'], false],
    ]);
    const newIds = input.activities.map((a) => a.ltiResourceLinkId);
    expect(new Set([...newIds, 'rl-x1', 'rl-x4']).size).toBe(4);
    expect(result.skipped).toEqual([
      { activityId: 'x2', title: 'A-only lab', reason: 'link_withdrawn', message: expect.any(String) },
      { activityId: 'x3', title: 'Deleted link', reason: 'link_deleted', message: expect.any(String) },
    ]);
  });

  it('should tell the listener of the new context inside the copy’s transaction when a copy is made', async () => {
    const { service, listener, order } = setUp();

    const result = await service.copy(author, 'src', { organizationId: 'a' });

    expect(result.course.id).toBe('copy');
    expect(result.course.title).toBe('Biology');
    expect(listener.courseCopied).toHaveBeenCalledWith(
      expect.objectContaining({ contexts: [{ contextId: 'copy:self-paced', sourceContextId: 'src:self-paced' }] }),
    );
    expect(order).toEqual(['begin', 'commit']);
  });

  it('should roll the copy back when its notices cannot be queued', async () => {
    const { service, courses, order } = setUp(true);

    await expect(service.copy(author, 'src', { organizationId: 'a' })).rejects.toThrow('notification service down');

    expect(courses.createCopy).toHaveBeenCalledTimes(1);
    expect(order).toEqual(['begin', 'rollback']);
  });

  it('should refuse and write nothing when the target organization is outside the author’s organizations', async () => {
    const { service, courses, listener } = setUp();

    await expect(service.copy(author, 'src', { organizationId: 'c' })).rejects.toMatchObject({
      code: 'validation_failed',
      fields: [expect.objectContaining({ field: 'organizationId' })],
    });
    expect(courses.createCopy).not.toHaveBeenCalled();
    expect(listener.courseCopied).not.toHaveBeenCalled();
  });

  it('should answer not found and write nothing when the source course is outside the author’s organizations', async () => {
    const { service, courses } = setUp();

    await expect(service.copy({ userId: 'stranger' }, 'src', { organizationId: 'b' })).rejects.toMatchObject({
      code: expect.stringMatching(/forbidden|not_found/),
    });
    await expect(service.copy(author, 'other', { organizationId: 'b' })).rejects.toMatchObject({ code: 'not_found' });
    expect(courses.createCopy).not.toHaveBeenCalled();
  });
});
