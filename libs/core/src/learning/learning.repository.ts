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
  readonly organizationIds: readonly string[];
  readonly search?: string;
}

export type CourseInput = Pick<Course, 'organizationId' | 'title' | 'code' | 'description'>;

/** Port: courses and their activities. Codes are unique per organization (`conflict` on `code`). */
export abstract class CourseRepository {
  abstract findById(id: string): Promise<CourseWithActivities | null>;
  abstract findByActivityId(activityId: string): Promise<CourseWithActivities | null>;
  abstract list(query: CourseListQuery): Promise<Page<Course>>;
  abstract create(input: CourseInput): Promise<Course>;
  abstract update(id: string, changes: Partial<CourseInput>): Promise<Course>;
  /** Appends the activity at the end. */
  abstract addActivity(input: Omit<CourseActivity, 'id' | 'position'>): Promise<CourseActivity>;
  abstract updateActivity(
    courseId: string,
    activityId: string,
    changes: { title?: string; required?: boolean },
  ): Promise<void>;
  /** `activityIds` is the complete new order. */
  abstract reorderActivities(courseId: string, activityIds: readonly string[]): Promise<void>;
  abstract removeActivity(courseId: string, activityId: string): Promise<void>;
}

export interface ClassListQuery extends PageRequest {
  readonly organizationIds: readonly string[];
  readonly courseId?: string;
  readonly search?: string;
}

export type ClassInput = Pick<CourseClass, 'courseId' | 'organizationId' | 'title' | 'code' | 'startsOn' | 'endsOn'>;

export abstract class ClassRepository {
  abstract findById(id: string): Promise<CourseClass | null>;
  abstract list(query: ClassListQuery): Promise<Page<CourseClass>>;
  abstract create(input: ClassInput): Promise<CourseClass>;
  abstract update(id: string, changes: Partial<Omit<ClassInput, 'courseId'>>): Promise<CourseClass>;
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

export abstract class EnrollmentRepository {
  abstract findById(id: string): Promise<Enrollment | null>;
  /** Throws `conflict` when the person already has a live enrollment there. */
  abstract create(input: NewEnrollment): Promise<Enrollment>;
  abstract end(id: string, status: Exclude<EnrollmentStatus, 'active'>): Promise<void>;
  /** Every enrollment of a class, ended ones included (history), oldest first. */
  abstract listForClass(classId: string): Promise<RosterEntry[]>;
  /** Every enrollment in a course (classes and self-paced), ended ones included. */
  abstract listForCourse(courseId: string): Promise<RosterEntry[]>;
  abstract listForUser(userId: string): Promise<Enrollment[]>;
  abstract findActiveSelfPaced(courseId: string, userId: string): Promise<Enrollment | null>;
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
    query: PageRequest & { organizationIds: readonly string[]; courseId?: string; userId?: string },
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
