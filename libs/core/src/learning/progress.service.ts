import { Injectable } from '@nestjs/common';
import { AccessService } from '../access/access.service';
import { Principal } from '../access/principal';
import { DomainError } from '../errors/domain-error';
import { ActivityProgress, Enrollment, EnrollmentProgress, isCourseComplete, notStarted } from './learning';
import { ClassRepository } from './class.repository';
import { CourseRepository } from './course.repository';
import { EnrollmentRepository, RosterEntry } from './enrollment.repository';
import { ProgressRepository } from './progress.repository';

export type RosterProgress = EnrollmentProgress & { readonly entry: RosterEntry };

/** Progress of enrollments: a learner's own, and what instructors, authors and admins may see of others'. */
@Injectable()
export class ProgressService {
  constructor(
    private readonly enrollments: EnrollmentRepository,
    private readonly courses: CourseRepository,
    private readonly classes: ClassRepository,
    private readonly progress: ProgressRepository,
    private readonly access: AccessService,
  ) {}

  /** "My learning": every enrollment of the signed-in person, live ones first, then history. */
  async myLearning(principal: Principal): Promise<EnrollmentProgress[]> {
    const own = await this.enrollments.listForUser(principal.userId);
    const all = await this.build(own);
    const rank = (p: EnrollmentProgress) => (p.enrollment.status === 'active' ? 0 : 1);
    return all.sort((a, b) => rank(a) - rank(b) || b.enrollment.createdAt.getTime() - a.enrollment.createdAt.getTime());
  }

  /**
   * One enrollment: its learner, or staff of the course's or class's organization. Learners reach
   * this route for their own enrollments, so someone else's answers "not found", not 403.
   */
  async ofEnrollment(principal: Principal, enrollmentId: string): Promise<EnrollmentProgress> {
    const own = await this.enrollments.findById(enrollmentId);
    const enrollment =
      own?.userId === principal.userId
        ? own
        : await this.enrollments.findInScope(
            await this.access.lookupScope(principal, ['instructor', 'course_author']),
            enrollmentId,
          );
    if (!enrollment) throw DomainError.notFound('Enrollment');
    const [built] = await this.build([enrollment]);
    if (!built) throw DomainError.notFound('Enrollment');
    return built;
  }

  /** A class roster with each person's progress; removed and closed enrollments included as history. */
  async classRoster(principal: Principal, classId: string): Promise<RosterProgress[]> {
    const scope = await this.access.scope(principal, ['instructor']);
    if (!(await this.classes.findInScope(scope, classId))) throw DomainError.notFound('Class');
    return this.ofEnrollments(await this.enrollments.classRoster(scope, classId));
  }

  /** Every enrollment in a course (classes and self-paced, history included), for authors and instructors. */
  async courseReport(principal: Principal, courseId: string): Promise<RosterProgress[]> {
    const scope = await this.access.scope(principal, ['instructor', 'course_author']);
    if (!(await this.courses.findInScope(scope, courseId))) throw DomainError.notFound('Course');
    return this.ofEnrollments(await this.enrollments.courseRoster(scope, courseId));
  }

  /** Progress of many enrollments (a roster), in the given order. */
  private async ofEnrollments(entries: readonly RosterEntry[]): Promise<RosterProgress[]> {
    const built = await this.build(entries);
    return built.map((progress, index) => ({ ...progress, entry: entries[index] }));
  }

  private async build(enrollments: readonly Enrollment[]): Promise<EnrollmentProgress[]> {
    const rows = await this.progress.listForEnrollments(enrollments.map((e) => e.id));
    const byEnrollment = new Map<string, Map<string, ActivityProgress>>();
    for (const row of rows) {
      if (!byEnrollment.has(row.enrollmentId)) byEnrollment.set(row.enrollmentId, new Map());
      byEnrollment.get(row.enrollmentId)!.set(row.activityId, row);
    }
    // A roster shares one course and a few classes: each is read once, not once per row.
    const courses = new Map<string, Awaited<ReturnType<CourseRepository['findById']>>>();
    const classes = new Map<string, Awaited<ReturnType<ClassRepository['findById']>>>();
    const out: EnrollmentProgress[] = [];
    for (const enrollment of enrollments) {
      if (!courses.has(enrollment.courseId))
        courses.set(enrollment.courseId, await this.courses.findById(enrollment.courseId));
      const course = courses.get(enrollment.courseId)!;
      if (!course) continue;
      if (enrollment.classId && !classes.has(enrollment.classId))
        classes.set(enrollment.classId, await this.classes.findById(enrollment.classId));
      const progress = byEnrollment.get(enrollment.id) ?? new Map<string, ActivityProgress>();
      out.push({
        enrollment,
        course,
        courseClass: enrollment.classId ? classes.get(enrollment.classId)! : null,
        activities: course.activities.map((activity) => ({
          activity,
          progress: progress.get(activity.id) ?? notStarted(enrollment.id, activity.id),
        })),
        courseComplete: isCourseComplete(course.activities, progress),
      });
    }
    return out;
  }
}
