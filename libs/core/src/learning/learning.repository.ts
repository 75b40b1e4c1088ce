import type { TenantScope } from '../access/tenant-scope';
import { Page, PageRequest } from '../shared/page';
import type { UserIdSource } from '../catalog/lti-provider';
import {
  ActivityProgress,
  Course,
  CourseActivity,
  CourseClass,
  CourseWithActivities,
  Enrollment,
  EnrollmentKind,
  EnrollmentRole,
  EnrollmentStatus,
} from './learning';

export interface CourseListQuery extends PageRequest {
  /** Only this organization's courses (checked to be in scope). */
  readonly organizationId?: string;
  readonly search?: string;
}

export type CourseInput = Pick<Course, 'organizationId' | 'title' | 'code' | 'description'>;

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
  abstract addActivity(scope: TenantScope, input: Omit<CourseActivity, 'id' | 'position'>): Promise<CourseActivity>;
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

export interface ClassListQuery extends PageRequest {
  readonly courseId?: string;
  readonly search?: string;
}

export type ClassInput = Pick<CourseClass, 'courseId' | 'organizationId' | 'title' | 'code' | 'startsOn' | 'endsOn'>;

/** Port: classes. Writes need a class (or target organization) the scope covers (`not_found` otherwise). */
export abstract class ClassRepository {
  /** Unscoped: the class of an enrollment, a launch or a tool's context already in hand. */
  abstract findById(id: string): Promise<CourseClass | null>;
  abstract findInScope(scope: TenantScope, id: string): Promise<CourseClass | null>;
  abstract list(scope: TenantScope, query: ClassListQuery): Promise<Page<CourseClass>>;
  abstract create(scope: TenantScope, input: ClassInput): Promise<CourseClass>;
  abstract update(scope: TenantScope, id: string, changes: Partial<Omit<ClassInput, 'courseId'>>): Promise<CourseClass>;
}

export interface NewEnrollment {
  readonly kind: EnrollmentKind;
  readonly courseId: string;
  readonly classId: string | null;
  readonly userId: string;
  readonly role: EnrollmentRole;
  readonly dueAt: Date | null;
}

/** An enrollment with the person's name, for rosters. */
export interface RosterEntry extends Enrollment {
  readonly userName: string;
  readonly userEmail: string;
}

/**
 * Port: enrollments. An enrollment is in a scope when the scope covers its class's or its course's
 * organization; writes need that (`not_found` otherwise).
 */
export abstract class EnrollmentRepository {
  /** Unscoped: the signed-in learner's own enrollment (launch), or one a tool's score names. */
  abstract findById(id: string): Promise<Enrollment | null>;
  abstract findInScope(scope: TenantScope, id: string): Promise<Enrollment | null>;
  /** Throws `conflict` when the person already has a live enrollment there. */
  abstract create(scope: TenantScope, input: NewEnrollment): Promise<Enrollment>;
  abstract end(scope: TenantScope, id: string, status: Exclude<EnrollmentStatus, 'active'>): Promise<void>;
  /** Every enrollment of a class the scope covers, ended ones included (history), by name. */
  abstract classRoster(scope: TenantScope, classId: string): Promise<RosterEntry[]>;
  /** Every enrollment in a course the scope covers (classes and self-paced), ended ones included. */
  abstract courseRoster(scope: TenantScope, courseId: string): Promise<RosterEntry[]>;
  /** Unscoped: the roster of a context a tool is authorized for (NRPS). */
  abstract listForClass(classId: string): Promise<RosterEntry[]>;
  /** Unscoped: the roster of a course's self-paced context a tool is authorized for (NRPS). */
  abstract listForCourse(courseId: string): Promise<RosterEntry[]>;
  /** The signed-in person's own enrollments. */
  abstract listForUser(userId: string): Promise<Enrollment[]>;
  abstract findActiveSelfPaced(scope: TenantScope, courseId: string, userId: string): Promise<Enrollment | null>;
  /**
   * Live enrollments in one LTI context (a class; null: the course's self-paced offering) of the
   * people a tool knows by `ltiUserId` under its user id source (SIS and login ids need not be unique).
   */
  abstract findActiveByLtiUserId(
    context: { courseId: string; classId: string | null },
    source: UserIdSource,
    ltiUserId: string,
  ): Promise<Enrollment[]>;
  abstract listSelfPaced(
    scope: TenantScope,
    query: PageRequest & { courseId?: string; userId?: string },
  ): Promise<Page<RosterEntry>>;
}

export abstract class ProgressRepository {
  abstract listForEnrollments(enrollmentIds: readonly string[]): Promise<ActivityProgress[]>;
  /**
   * Locks the enrollment row for the rest of the transaction: every progress write of an enrollment
   * takes this lock first, so concurrent scores and launches of one learner apply one after another
   * and course completion is computed from what is really stored.
   */
  abstract lockEnrollment(enrollmentId: string): Promise<Enrollment | null>;
  abstract find(enrollmentId: string, activityId: string): Promise<ActivityProgress | null>;
  /** Inserts or replaces the row of (enrollment, activity). */
  abstract save(progress: ActivityProgress): Promise<void>;
  /** Null clears a completion that no longer holds (a score deleted or lowered). */
  abstract setCourseCompletedAt(enrollmentId: string, at: Date | null): Promise<void>;
}
