import { createHash } from 'node:crypto';
import { isUuid } from '../shared/uuid';
import { Course, CourseActivity, CourseClass } from './learning';

/** The LTI context of an enrollment (LTI 1.1 `context_*`; LTI Core 1.3 §5.4.2 context claim). */
export interface LtiContext {
  readonly id: string;
  readonly label: string;
  readonly title: string;
  readonly type: 'CourseSection' | 'CourseOffering';
  /**
   * The contexts of the courses this one was copied from, most recent first (`$Context.id.history`).
   * A copy's classes and offering all descend from the source course's own offering: classes are never
   * copied, so that is the context a copy can name.
   */
  readonly idHistory: readonly string[];
}

/** What a context id names: a class, or a course's self-paced offering. */
export type LtiContextRef = { readonly classId: string } | { readonly selfPacedCourseId: string };

const SELF_PACED_SUFFIX = ':self-paced';

/**
 * A class is a course section; a self-paced course is its own offering, one context for all of its
 * learners (so rosters of self-paced learners are the course's). Ids are stable: a class keeps its id,
 * a course keeps its id, whatever is renamed.
 */
export function ltiContextOf(course: Course, courseClass: CourseClass | null): LtiContext {
  if (courseClass) {
    return {
      id: courseClass.id,
      label: courseClass.code ?? course.code ?? courseClass.title.slice(0, 50),
      title: `${course.title} — ${courseClass.title}`,
      type: 'CourseSection',
      idHistory: course.contextIdHistory,
    };
  }
  return {
    id: `${course.id}${SELF_PACED_SUFFIX}`,
    label: course.code ?? course.title.slice(0, 50),
    title: `${course.title} (self-paced)`,
    type: 'CourseOffering',
    idHistory: course.contextIdHistory,
  };
}

/** What a context id a tool sends back names (`<classId>` or `<courseId>:self-paced`); null for anything else. */
export function parseLtiContextId(contextId: string): LtiContextRef | null {
  if (contextId.endsWith(SELF_PACED_SUFFIX)) {
    const courseId = contextId.slice(0, -SELF_PACED_SUFFIX.length);
    return isUuid(courseId) ? { selfPacedCourseId: courseId } : null;
  }
  return isUuid(contextId) ? { classId: contextId } : null;
}

/** The context id a parsed one stands for, as we write it (PostgreSQL writes UUIDs in lower case). */
export function ltiContextIdOf(ref: LtiContextRef): string {
  return 'classId' in ref ? ref.classId.toLowerCase() : `${ref.selfPacedCourseId.toLowerCase()}${SELF_PACED_SUFFIX}`;
}

/**
 * The LTI `resource_link_id` of a placement in one context. A placement is one activity of a course,
 * but a course runs in several contexts (each class, and the self-paced offering), and a
 * resource_link_id is never shared between contexts (LTI 1.1.1 §3: it "will also change if the item
 * is ... imported into another ... context"; LTI Core 1.3 §5.4.1). The course's own offering keeps the
 * placement's id; each class gets one derived from the placement and the class: stable, opaque, and
 * distinct per class.
 */
export function ltiResourceLinkIdIn(activity: CourseActivity, context: LtiContext): string {
  if (context.type === 'CourseOffering') return activity.ltiResourceLinkId;
  return createHash('sha256')
    .update(`resource_link|${activity.ltiResourceLinkId}|${context.id}`)
    .digest('hex')
    .slice(0, 40);
}

/** A placement as a launch in `context` names it, with the ids of the placements it was copied from. */
export function ltiResourceLinkOf(
  activity: CourseActivity,
  context: LtiContext,
): { id: string; title: string; description: null; idHistory: readonly string[] } {
  return {
    id: ltiResourceLinkIdIn(activity, context),
    title: activity.title,
    description: null,
    idHistory: activity.resourceLinkIdHistory,
  };
}
