import { Logger } from '@nestjs/common';
import { fakeAccess } from '../access/access.fake';
import { TenantScope } from '../access/tenant-scope';
import { UNAVAILABLE_MESSAGE } from '../catalog/catalog-access';
import { LtiProvider } from '../catalog/lti-provider';
import { LtiProviderRepository } from '../catalog/lti-provider.repository';
import { LtiResourceLink } from '../catalog/lti-resource-link';
import { LtiResourceLinkRepository } from '../catalog/lti-resource-link.repository';
import { DomainError } from '../errors/domain-error';
import { ClassRepository } from '../learning/class.repository';
import { CourseRepository } from '../learning/course.repository';
import { CourseClass, CourseWithActivities, Enrollment } from '../learning/learning';
import { OrganizationRepository } from '../organizations/organization.repository';
import { lti1p1Provider, resourceLink } from '../testing/catalog.factories';
import { activity, course, courseClass, enrollment } from '../testing/learning.factories';
import { LaunchContextService } from './launch-context.service';
import { LaunchPlacementRepository } from './launch-placement.repository';
import { user } from '../testing/identity.factories';

/** root ─ org-1 (where the course and its classes are); an author and a teacher of org-1. */
const tenancy = {
  organizations: [
    { id: 'root', parentId: null },
    { id: 'org-1', parentId: 'root' },
    { id: 'org-2', parentId: 'root' },
  ],
  memberships: [
    { userId: 'author-1', organizationId: 'org-1', role: 'course_author' as const },
    { userId: 'teacher-1', organizationId: 'org-1', role: 'instructor' as const },
  ],
};
const MONDAY = new Date('2026-03-02T12:00:00Z');

interface World {
  readonly enrollment?: Enrollment | null;
  readonly course?: CourseWithActivities | null;
  readonly courseClass?: CourseClass | null;
  readonly link?: LtiResourceLink | null;
  readonly provider?: LtiProvider | null;
}

function setUp(world: World = {}) {
  const found = {
    enrollment: world.enrollment === undefined ? enrollment({ userId: 'learner-1' }) : world.enrollment,
    course: world.course === undefined ? course() : world.course,
    courseClass: world.courseClass === undefined ? courseClass() : world.courseClass,
    link: world.link === undefined ? resourceLink({ providerId: 'provider-1' }) : world.link,
    provider:
      world.provider === undefined
        ? lti1p1Provider({ id: 'provider-1', organizationId: 'org-1', availableOrganizationIds: ['org-1'] })
        : world.provider,
  };
  const { access, covered, organizations: scopes } = fakeAccess(tenancy);
  const sees = (scope: TenantScope, owned: { organizationId: string } | null) =>
    owned !== null && covered(scope).has(owned.organizationId);
  // The enrollment's placement as its one statement reads it.
  const placements = {
    findByEnrollment: jest.fn(async (_enrollmentId: string, activityId: string) => {
      const { enrollment: found_, course: course_, courseClass: class_ } = found;
      if (!found_ || !course_) return null;
      const activity_ = course_.activities.find((a) => a.id === activityId) ?? null;
      const lineage = await scopes.findLineageIds([class_?.organizationId ?? course_.organizationId]);
      return {
        enrollment: found_,
        person: user({ id: found_.userId }),
        course: course_,
        courseClass: class_,
        activity: activity_,
        link: activity_ && found.link,
        provider: activity_ && found.link && found.provider,
        lineage,
        progress: null,
      };
    }),
  };
  const courses = {
    findById: jest.fn(async (_id: string) => found.course),
    findInScope: jest.fn(async (scope: TenantScope, id: string) =>
      id === found.course?.id && sees(scope, found.course) ? found.course : null,
    ),
  };
  const classes = {
    findById: jest.fn(async (_id: string) => found.courseClass),
    findInScope: jest.fn(async (scope: TenantScope, id: string) =>
      id === found.courseClass?.id && sees(scope, found.courseClass) ? found.courseClass : null,
    ),
  };
  const links = { findById: jest.fn(async (_id: string) => found.link) };
  const providers = { findById: jest.fn(async (_id: string) => found.provider) };
  const organizations = { findLineageIds: scopes.findLineageIds };
  const service = new LaunchContextService(
    placements as unknown as LaunchPlacementRepository,
    courses as unknown as CourseRepository,
    classes as unknown as ClassRepository,
    links as unknown as LtiResourceLinkRepository,
    providers as unknown as LtiProviderRepository,
    organizations as unknown as OrganizationRepository,
    access,
  );
  return { service, placements, courses, classes, links, providers };
}

beforeEach(() => {
  jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('LaunchContextService', () => {
  describe('resolve (the launch route)', () => {
    it('should resolve the learner’s own enrollment, its class and the activity’s link and tool when all is live', async () => {
      const { service } = setUp();

      const context = await service.resolve({ userId: 'learner-1' }, 'enrollment-1', 'activity-1', MONDAY);

      expect(context).toMatchObject({
        kind: 'learner',
        userId: 'learner-1',
        enrollment: { id: 'enrollment-1' },
        courseClass: { id: 'class-1' },
        activity: { id: 'activity-1' },
        link: { id: 'link-1' },
        provider: { id: 'provider-1' },
        documentTarget: 'iframe',
      });
    });

    it('should answer not found, and look no further, when the enrollment is someone else’s', async () => {
      const { service, courses } = setUp();

      await expect(service.resolve({ userId: 'intruder' }, 'enrollment-1', 'activity-1')).rejects.toEqual(
        DomainError.notFound('Enrollment'),
      );
      expect(courses.findById).not.toHaveBeenCalled();
    });

    it('should answer not found when the activity is not in the enrollment’s course', async () => {
      const { service, links } = setUp();

      await expect(service.resolve({ userId: 'learner-1' }, 'enrollment-1', 'activity-elsewhere')).rejects.toEqual(
        DomainError.notFound('Activity'),
      );
      expect(links.findById).not.toHaveBeenCalled();
    });

    it('should refuse as unavailable when the enrollment has ended', async () => {
      const { service, links } = setUp({ enrollment: enrollment({ userId: 'learner-1', status: 'closed' }) });

      await expect(service.resolve({ userId: 'learner-1' }, 'enrollment-1', 'activity-1')).rejects.toMatchObject({
        code: 'unavailable',
        message: expect.stringMatching(/enrollment has ended/),
      });
      expect(links.findById).not.toHaveBeenCalled();
    });

    it('should refuse a learner, and let the class’s instructor in, when the class is over', async () => {
      const ended = courseClass({ endsOn: '2026-02-27' });
      const learner = setUp({ courseClass: ended });
      await expect(
        learner.service.resolve({ userId: 'learner-1' }, 'enrollment-1', 'activity-1', MONDAY),
      ).rejects.toMatchObject({
        code: 'unavailable',
        message: expect.stringContaining('ended on 2026-02-27'),
      });

      const teacher = setUp({
        courseClass: ended,
        enrollment: enrollment({ userId: 'teacher-1', role: 'instructor' }),
      });
      const context = await teacher.service.resolve({ userId: 'teacher-1' }, 'enrollment-1', 'activity-1', MONDAY);
      expect(context.kind).toBe('instructor');
    });

    it.each([
      ['the link is disabled', { link: resourceLink({ status: 'disabled' }) }],
      [
        'the link is withdrawn from the class’s organization',
        { link: resourceLink({ availableOrganizationIds: ['org-2'] }) },
      ],
      [
        'the tool is disabled',
        { provider: lti1p1Provider({ id: 'provider-1', status: 'disabled', availableOrganizationIds: ['root'] }) },
      ],
    ])('should refuse as no longer available when %s', async (_, world: World) => {
      const { service } = setUp(world);

      await expect(service.resolve({ userId: 'learner-1' }, 'enrollment-1', 'activity-1', MONDAY)).rejects.toEqual(
        new DomainError('unavailable', UNAVAILABLE_MESSAGE),
      );
    });
  });

  describe('resolvePreview and resolveForClass', () => {
    it('should preview in the course’s own context as the author when the author’s scope covers the course', async () => {
      const { service } = setUp();

      const context = await service.resolvePreview({ userId: 'author-1' }, 'course-1', 'activity-1');

      expect(context).toMatchObject({ kind: 'preview', userId: 'author-1', enrollment: null, courseClass: null });
    });

    it('should answer forbidden to someone who authors nowhere, and not found outside the author’s organizations', async () => {
      const { service, links } = setUp({ course: course({ organizationId: 'org-2' }) });

      await expect(service.resolvePreview({ userId: 'learner-1' }, 'course-1', 'activity-1')).rejects.toMatchObject({
        code: 'forbidden',
      });
      await expect(service.resolvePreview({ userId: 'author-1' }, 'course-1', 'activity-1')).rejects.toEqual(
        DomainError.notFound('Course'),
      );
      expect(links.findById).not.toHaveBeenCalled();
    });

    it('should open a class’s activity as its instructor, never graded, from the class they teach', async () => {
      const { service } = setUp();

      const context = await service.resolveForClass({ userId: 'teacher-1' }, 'class-1', activity().id);

      expect(context).toMatchObject({ kind: 'instructor', enrollment: null, courseClass: { id: 'class-1' } });
    });
  });
});
