import { Injectable } from '@nestjs/common';
import { AccessService } from '../access/access.service';
import { AdminScope, Principal } from '../access/admin-scope';
import { DomainError } from '../errors/domain-error';
import { User } from '../identity/user';
import { UserRepository } from '../identity/user.repository';
import { Page, PageRequest } from '../shared/page';
import { CourseClass, Enrollment, EnrollmentRole } from './learning';
import {
  ClassInput,
  ClassRepository,
  CourseRepository,
  EnrollmentRepository,
  RosterEntry,
} from './learning.repository';

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
    const scope = await this.scope(principal);
    return this.classes.list({ ...query, organizationIds: scope.organizationIds });
  }

  async get(principal: Principal, id: string): Promise<CourseClass> {
    return this.getIn(await this.scope(principal), id);
  }

  async create(principal: Principal, input: ClassCreateInput): Promise<CourseClass> {
    const scope = await this.scope(principal);
    const course = await this.courses.findById(input.courseId);
    if (!course || !scope.manages(course.organizationId)) {
      throw DomainError.invalidField('courseId', 'Choose a course of an organization where you teach');
    }
    const organizationId = input.organizationId ?? course.organizationId;
    if (!scope.manages(organizationId))
      throw DomainError.invalidField('organizationId', 'Choose an organization where you teach');
    checkDates(input.startsOn ?? null, input.endsOn ?? null);
    return this.classes.create({
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
    if (changes.organizationId !== undefined) scope.chooseOrganization(changes.organizationId, 'organizationId');
    checkDates(
      changes.startsOn !== undefined ? changes.startsOn : current.startsOn,
      changes.endsOn !== undefined ? changes.endsOn : current.endsOn,
    );
    return this.classes.update(id, changes);
  }

  /** Everyone ever enrolled, ended enrollments included (they are history). */
  async roster(principal: Principal, classId: string): Promise<RosterEntry[]> {
    await this.getIn(await this.scope(principal), classId);
    return this.enrollments.listForClass(classId);
  }

  async enroll(
    principal: Principal,
    classId: string,
    input: { userId: string; role?: EnrollmentRole },
  ): Promise<Enrollment> {
    const scope = await this.scope(principal);
    const courseClass = await this.getIn(scope, classId);
    const user = await this.users.findById(input.userId);
    if (!user || !scope.manages(user.organizationId))
      throw DomainError.invalidField('userId', 'No such person in your organizations');
    return this.enrollIn(courseClass, user, input.role ?? 'learner');
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
      const user = (await this.users.findCredentialsByEmail(email))?.user;
      if (!user || !scope.manages(user.organizationId) || user.status !== 'active') {
        result.notFound.push(email);
        continue;
      }
      try {
        await this.enrollIn(courseClass, user, 'learner');
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
    await this.getIn(await this.scope(principal), classId);
    const enrollment = await this.enrollments.findById(enrollmentId);
    if (!enrollment || enrollment.classId !== classId) throw DomainError.notFound('Enrollment');
    if (enrollment.status === 'active') await this.enrollments.end(enrollmentId, 'removed');
  }

  private enrollIn(courseClass: CourseClass, user: User, role: EnrollmentRole): Promise<Enrollment> {
    return this.enrollments.create({
      kind: 'class',
      courseId: courseClass.courseId,
      classId: courseClass.id,
      userId: user.id,
      role,
      dueAt: null,
    });
  }

  private scope(principal: Principal): Promise<AdminScope> {
    return this.access.roleScope(principal, ['instructor']);
  }

  private async getIn(scope: AdminScope, id: string): Promise<CourseClass> {
    const found = await this.classes.findById(id);
    if (!found || !scope.manages(found.organizationId)) throw DomainError.notFound('Class');
    return found;
  }
}

function checkDates(startsOn: string | null, endsOn: string | null): void {
  if (startsOn && endsOn && endsOn < startsOn)
    throw DomainError.invalidField('endsOn', 'The class cannot end before it starts');
}
