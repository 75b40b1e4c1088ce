import type { TenantScope } from '../access/tenant-scope';
import { Page, PageRequest } from '../shared/page';
import { Course, CourseActivity, CourseWithActivities, NewCourseActivity } from './learning';

export interface CourseListQuery extends PageRequest {
  /** Only this organization's courses (checked to be in scope). */
  readonly organizationId?: string;
  readonly search?: string;
}

export type CourseInput = Pick<Course, 'organizationId' | 'title' | 'code' | 'description'>;

/** A copy of a course: the course with its source and history, its activities in order. */
export interface CourseCopyInput {
  readonly course: CourseInput & Pick<Course, 'sourceCourseId' | 'contextIdHistory'>;
  readonly activities: readonly Omit<NewCourseActivity, 'courseId'>[];
}

/**
 * Port: courses and their activities. Codes are unique per organization (`conflict` on `code`).
 * Writes need a course (or target organization) the scope covers (`not_found` otherwise). The
 * unscoped finders serve launches, tool services and the learner's own enrollments.
 */
export abstract class CourseRepository {
  /** Unscoped: the course of an enrollment, a launch or a tool's context already in hand. */
  abstract findById(id: string): Promise<CourseWithActivities | null>;
  /** Unscoped: the course of a launch record or a score's activity. */
  abstract findByActivityId(activityId: string): Promise<CourseWithActivities | null>;
  abstract findInScope(scope: TenantScope, id: string): Promise<CourseWithActivities | null>;
  abstract list(scope: TenantScope, query: CourseListQuery): Promise<Page<Course>>;
  abstract create(scope: TenantScope, input: CourseInput): Promise<Course>;
  abstract update(scope: TenantScope, id: string, changes: Partial<CourseInput>): Promise<Course>;
  /** Appends the activity at the end. */
  abstract addActivity(scope: TenantScope, input: NewCourseActivity): Promise<CourseActivity>;
  /** The course and all its activities (positions 1…n in the order given) in one transaction, or nothing. */
  abstract createCopy(scope: TenantScope, input: CourseCopyInput): Promise<CourseWithActivities>;
  abstract updateActivity(
    scope: TenantScope,
    courseId: string,
    activityId: string,
    changes: { title?: string; required?: boolean },
  ): Promise<void>;
  /** `activityIds` is the complete new order. */
  abstract reorderActivities(scope: TenantScope, courseId: string, activityIds: readonly string[]): Promise<void>;
  abstract removeActivity(scope: TenantScope, courseId: string, activityId: string): Promise<void>;
}
