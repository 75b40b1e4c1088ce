import { Injectable } from '@nestjs/common';
import { LtiResourceLinkRepository } from '../catalog/lti-resource-link.repository';
import { LtiProvider } from '../catalog/lti-provider';
import { LtiResourceLink } from '../catalog/lti-resource-link';
import { DomainError } from '../errors/domain-error';
import { CourseActivity, CourseClass, CourseWithActivities } from '../learning/learning';
import { LtiContext, ltiContextOf, ltiResourceLinkIdIn, parseLtiContextId } from '../learning/lti-context';
import { ClassRepository } from '../learning/class.repository';
import { CourseRepository } from '../learning/course.repository';

/** One of the tool's links placed in the context, with the `resource_link_id` it has there. */
export interface Placement {
  readonly activity: CourseActivity;
  readonly link: LtiResourceLink;
  readonly resourceLinkId: string;
}

/** An LTI context as a tool's service call names it, with the tool's placements in it. */
export interface ServiceContext {
  readonly course: CourseWithActivities;
  /** Null: the course's self-paced offering. */
  readonly courseClass: CourseClass | null;
  readonly context: LtiContext;
  readonly placements: readonly Placement[];
}

/**
 * The contexts a tool's token reaches: a class (`<classId>`) or a self-paced offering
 * (`<courseId>:self-paced`) whose course has one of the tool's links placed. Anything else is not
 * found, whether it exists or not, so a tool learns nothing about other tools' contexts.
 */
@Injectable()
export class ServiceContexts {
  constructor(
    private readonly courses: CourseRepository,
    private readonly classes: ClassRepository,
    private readonly links: LtiResourceLinkRepository,
  ) {}

  async resolve(provider: LtiProvider, contextId: string): Promise<ServiceContext> {
    const ref = parseLtiContextId(contextId);
    const courseClass = ref && 'classId' in ref ? await this.classes.findById(ref.classId) : null;
    const course =
      ref && 'selfPacedCourseId' in ref
        ? await this.courses.findById(ref.selfPacedCourseId)
        : courseClass
          ? await this.courses.findById(courseClass.courseId)
          : null;
    if (!course) throw DomainError.notFound('Context');
    const found = await this.of(provider, course, courseClass);
    if (found.placements.length === 0) throw DomainError.notFound('Context');
    return found;
  }

  private async of(
    provider: LtiProvider,
    course: CourseWithActivities,
    courseClass: CourseClass | null,
  ): Promise<ServiceContext> {
    const context = ltiContextOf(course, courseClass);
    const links = new Map(
      (await this.links.findByIds([...new Set(course.activities.map((a) => a.resourceLinkId))])).map((l) => [l.id, l]),
    );
    const placements = course.activities.flatMap((activity) => {
      const link = links.get(activity.resourceLinkId);
      return link?.providerId === provider.id
        ? [{ activity, link, resourceLinkId: ltiResourceLinkIdIn(activity, context) }]
        : [];
    });
    return { course, courseClass, context, placements };
  }
}
