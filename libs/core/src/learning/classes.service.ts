import { Injectable } from '@nestjs/common';
import { AccessService } from '../access/access.service';
import { Principal } from '../access/principal';
import { TenantScope } from '../access/tenant-scope';
import { DomainError } from '../errors/domain-error';
import { User } from '../identity/user';
import { UserRepository } from '../identity/user.repository';
import { MAX_PAGE_SIZE, Page, PageRequest } from '../shared/page';
import { Course, CourseClass, CourseWithActivities, Enrollment, EnrollmentRole } from './learning';
import { ClassInput, ClassRepository } from './class.repository';
import { CourseRepository } from './course.repository';
import { EnrollmentRepository, RosterEntry } from './enrollment.repository';

export type ClassCreateInput = Pick<ClassInput, 'courseId' | 'title'> & Partial<Omit<ClassInput, 'courseId' | 'title'>>;

export interface BulkEnrollmentResult {
  readonly enrolled: readonly string[];
  readonly alreadyEnrolled: readonly string[];
  /** Unknown emails, or people outside the organizations you manage. */
  readonly notFound: readonly string[];
}

/** Instructor-led classes and their enrollments, kept by instructors (and site admins) of the organization. */
@Injectable()
export class ClassesService {
  constructor(
    private readonly classes: ClassRepository,
    private readonly courses: CourseRepository,
    private readonly enrollments: EnrollmentRepository,
    private readonly users: UserRepository,
    private readonly access: AccessService,
  ) {}

  async list(
    principal: Principal,
    query: PageRequest & { courseId?: string; search?: string },
  ): Promise<Page<CourseClass>> {
    return this.classes.list(await this.scope(principal), query);
  }

  /** Courses of the organizations where this person teaches: a class is only created for one of them. */
  async teachableCourses(principal: Principal): Promise<Course[]> {
    const page = await this.courses.list(await this.scope(principal), { page: 1, limit: MAX_PAGE_SIZE });
    return [...page.items];
  }

  async get(principal: Principal, id: string): Promise<CourseClass> {
    return this.getIn(await this.scope(principal), id);
  }

  /** A class with its course (the class decides the access; the course comes with it). */
  async getWithCourse(
    principal: Principal,
    id: string,
  ): Promise<{ courseClass: CourseClass; course: CourseWithActivities | null }> {
    const courseClass = await this.getIn(await this.scope(principal), id);
    return { courseClass, course: await this.courses.findById(courseClass.courseId) };
  }

  async create(principal: Principal, input: ClassCreateInput): Promise<CourseClass> {
    const scope = await this.scope(principal);
    const course = await this.courses.findInScope(scope, input.courseId);
    if (!course) throw DomainError.invalidField('courseId', 'Choose a course of an organization where you teach');
    const organizationId = await this.access.choose(
      scope,
      input.organizationId ?? course.organizationId,
      'organizationId',
      'Choose an organization where you teach',
    );
    checkDates(input.startsOn ?? null, input.endsOn ?? null);
    return this.classes.create(scope, {
      courseId: course.id,
      organizationId,
      title: input.title,
      code: input.code ?? null,
      startsOn: input.startsOn ?? null,
      endsOn: input.endsOn ?? null,
    });
  }

  async update(principal: Principal, id: string, changes: Partial<Omit<ClassInput, 'courseId'>>): Promise<CourseClass> {
    const scope = await this.scope(principal);
    const current = await this.getIn(scope, id);
    if (changes.organizationId !== undefined) await this.access.choose(scope, changes.organizationId, 'organizationId');
    checkDates(
      changes.startsOn !== undefined ? changes.startsOn : current.startsOn,
      changes.endsOn !== undefined ? changes.endsOn : current.endsOn,
    );
    return this.classes.update(scope, id, changes);
  }

  /** Everyone ever enrolled, ended enrollments included (they are history). */
  async roster(principal: Principal, classId: string): Promise<RosterEntry[]> {
    const scope = await this.scope(principal);
    await this.getIn(scope, classId);
    return this.enrollments.classRoster(scope, classId);
  }

  async enroll(
    principal: Principal,
    classId: string,
    input: { userId: string; role?: EnrollmentRole },
  ): Promise<Enrollment> {
    const scope = await this.scope(principal);
    const courseClass = await this.getIn(scope, classId);
    const user = await this.users.findInScope(scope, input.userId);
    if (!user) throw DomainError.invalidField('userId', 'No such person in your organizations');
    return this.enrollIn(scope, courseClass, user, input.role ?? 'learner');
  }

  /** Adds many learners by email; each email is reported, and none blocks the others. */
  async enrollByEmails(
    principal: Principal,
    classId: string,
    emails: readonly string[],
  ): Promise<BulkEnrollmentResult> {
    const scope = await this.scope(principal);
    const courseClass = await this.getIn(scope, classId);
    const result = { enrolled: [] as string[], alreadyEnrolled: [] as string[], notFound: [] as string[] };
    for (const email of new Set(emails.map((e) => e.trim().toLowerCase()).filter(Boolean))) {
      const user = await this.users.findByEmailInScope(scope, email);
      if (!user || user.status !== 'active') {
        result.notFound.push(email);
        continue;
      }
      try {
        await this.enrollIn(scope, courseClass, user, 'learner');
        result.enrolled.push(email);
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'conflict')) throw error;
        result.alreadyEnrolled.push(email);
      }
    }
    return result;
  }

  /** Takes a person out of the class; their enrollment and progress stay as history. */
  async unenroll(principal: Principal, classId: string, enrollmentId: string): Promise<void> {
    const scope = await this.scope(principal);
    await this.getIn(scope, classId);
    const enrollment = await this.enrollments.findInScope(scope, enrollmentId);
    if (!enrollment || enrollment.classId !== classId) throw DomainError.notFound('Enrollment');
    if (enrollment.status === 'active') await this.enrollments.end(scope, enrollmentId, 'removed');
  }

  private enrollIn(scope: TenantScope, courseClass: CourseClass, user: User, role: EnrollmentRole) {
    return this.enrollments.create(scope, {
      kind: 'class',
      courseId: courseClass.courseId,
      classId: courseClass.id,
      userId: user.id,
      role,
      dueAt: null,
    });
  }

  /** Teaching is for instructors and site administrators; anyone else gets 403. */
  private scope(principal: Principal): Promise<TenantScope> {
    return this.access.scope(principal, ['instructor']);
  }

  private async getIn(scope: TenantScope, id: string): Promise<CourseClass> {
    const found = await this.classes.findInScope(scope, id);
    if (!found) throw DomainError.notFound('Class');
    return found;
  }
}

function checkDates(startsOn: string | null, endsOn: string | null): void {
  if (startsOn && endsOn && endsOn < startsOn)
    throw DomainError.invalidField('endsOn', 'The class cannot end before it starts');
}
