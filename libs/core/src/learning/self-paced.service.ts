import { Injectable } from '@nestjs/common';
import { AccessService } from '../access/access.service';
import { AdminScope, Principal } from '../access/admin-scope';
import { DomainError } from '../errors/domain-error';
import { UserRepository } from '../identity/user.repository';
import { Page, PageRequest } from '../shared/page';
import { UnitOfWork } from '../shared/unit-of-work';
import { Enrollment } from './learning';
import { CourseRepository, EnrollmentRepository, RosterEntry } from './learning.repository';
import { ProgressService } from './progress.service';

/** Self-paced assignments: a course assigned to a learner, optionally due by a date. */
@Injectable()
export class SelfPacedService {
  constructor(
    private readonly enrollments: EnrollmentRepository,
    private readonly courses: CourseRepository,
    private readonly users: UserRepository,
    private readonly progress: ProgressService,
    private readonly uow: UnitOfWork,
    private readonly access: AccessService,
  ) {}

  async list(
    principal: Principal,
    query: PageRequest & { courseId?: string; userId?: string },
  ): Promise<Page<RosterEntry>> {
    const scope = await this.scope(principal);
    return this.enrollments.listSelfPaced({ ...query, organizationIds: scope.organizationIds });
  }

  /**
   * Assigns the course. A learner who completed an earlier assignment of it gets a new one (a retake
   * or recertification, starting clean) and the earlier one is closed as history; one still in
   * progress is a conflict.
   */
  async assign(
    principal: Principal,
    input: { courseId: string; userId: string; dueAt?: Date | null },
  ): Promise<Enrollment> {
    const scope = await this.scope(principal);
    const course = await this.courses.findById(input.courseId);
    if (!course || !scope.manages(course.organizationId))
      throw DomainError.invalidField('courseId', 'No such course in your organizations');
    const user = await this.users.findById(input.userId);
    if (!user || !scope.manages(user.organizationId))
      throw DomainError.invalidField('userId', 'No such person in your organizations');
    const live = await this.enrollments.findActiveSelfPaced(course.id, user.id);
    if (live && !(await this.progress.ofEnrollment(principal, live.id)).courseComplete) {
      throw DomainError.conflictOn('userId', 'This person already has this course assigned and has not completed it');
    }
    return this.uow.run(async () => {
      if (live) await this.enrollments.end(live.id, 'closed');
      return this.enrollments.create({
        kind: 'self_paced',
        courseId: course.id,
        classId: null,
        userId: user.id,
        role: 'learner',
        dueAt: input.dueAt ?? null,
      });
    });
  }

  /** Withdraws an assignment; it stays as history. */
  async remove(principal: Principal, enrollmentId: string): Promise<void> {
    const scope = await this.scope(principal);
    const enrollment = await this.enrollments.findById(enrollmentId);
    const course = enrollment?.kind === 'self_paced' ? await this.courses.findById(enrollment.courseId) : null;
    if (!enrollment || !course || !scope.manages(course.organizationId))
      throw DomainError.notFound('Self-paced assignment');
    if (enrollment.status === 'active') await this.enrollments.end(enrollmentId, 'removed');
  }

  private scope(principal: Principal): Promise<AdminScope> {
    return this.access.roleScope(principal, ['instructor']);
  }
}
