import { Injectable } from '@nestjs/common';
import { AccessService } from '../access/access.service';
import { Principal } from '../access/principal';
import { TenantScope } from '../access/tenant-scope';
import { DomainError } from '../errors/domain-error';
import { UserRepository } from '../identity/user.repository';
import { Page, PageRequest } from '../shared/page';
import { UnitOfWork } from '../shared/unit-of-work';
import { Enrollment } from './learning';
import { CourseRepository } from './course.repository';
import { EnrollmentRepository, RosterEntry } from './enrollment.repository';
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
    return this.enrollments.listSelfPaced(await this.scope(principal), query);
  }

  /**
   * Assigns the course. A learner who completed an earlier assignment of it gets a new one (a retake
   * or recertification, starting clean) and the earlier one is closed as history; one still in
   * progress is a conflict. The learner is named by id, or by email (the page's form).
   */
  async assign(
    principal: Principal,
    input: { courseId: string; userId?: string; email?: string; dueAt?: Date | null },
  ): Promise<Enrollment> {
    // A due date already past would make the assignment overdue the moment it is made: refused.
    if (input.dueAt && input.dueAt.getTime() < Date.now()) {
      throw DomainError.invalidField('dueAt', 'dueAt is in the past: choose a date and time still to come');
    }
    const scope = await this.scope(principal);
    const course = await this.courses.findInScope(scope, input.courseId);
    if (!course) throw DomainError.invalidField('courseId', 'No such course in your organizations');
    const user =
      input.email !== undefined
        ? await this.users.findByEmailInScope(scope, input.email)
        : await this.users.findInScope(scope, input.userId ?? '');
    if (!user)
      throw DomainError.invalidField(
        input.email !== undefined ? 'email' : 'userId',
        'No such person in your organizations',
      );
    const live = await this.enrollments.findActiveSelfPaced(scope, course.id, user.id);
    if (live && !(await this.progress.ofEnrollment(principal, live.id)).courseComplete) {
      throw DomainError.conflictOn('userId', 'This person already has this course assigned and has not completed it');
    }
    return this.uow.run(async () => {
      if (live) await this.enrollments.end(scope, live.id, 'closed');
      return this.enrollments.create(scope, {
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
    const enrollment = await this.enrollments.findInScope(scope, enrollmentId);
    if (!enrollment || enrollment.kind !== 'self_paced') throw DomainError.notFound('Self-paced assignment');
    if (enrollment.status === 'active') await this.enrollments.end(scope, enrollmentId, 'removed');
  }

  /** Assigning is teaching: instructors and site administrators; anyone else gets 403. */
  private scope(principal: Principal): Promise<TenantScope> {
    return this.access.scope(principal, ['instructor']);
  }
}
