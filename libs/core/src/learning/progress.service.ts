import { Injectable } from '@nestjs/common';
import { AccessService } from '../access/access.service';
import { Principal } from '../access/principal';
import { DomainError } from '../errors/domain-error';
import {
  ActivityProgress,
  CourseWithActivities,
  Enrollment,
  EnrollmentProgress,
  isCourseComplete,
  notStarted,
} from './learning';
import { ClassRepository } from './class.repository';
import { CourseRepository } from './course.repository';
import { TenantScope } from '../access/tenant-scope';
import { Page, PageRequest } from '../shared/page';
import { EnrollmentRepository, RosterEntry, RosterOf } from './enrollment.repository';
import { ProgressRepository } from './progress.repository';
import { ProgressSummary, SCORE_BAND_STARTS, summaryFromCounts } from './progress-summary';
import { ProgressSummaryRepository } from './progress-summary.repository';
import { RosterRowView, RosterViewRepository } from './roster-view.repository';

export type RosterProgress = EnrollmentProgress & { readonly entry: RosterEntry };

/** Rows an export or a summary reads at a time: a keyset batch. */
export const ROSTER_BATCH = 500;

type CourseCache = Map<string, CourseWithActivities | null>;

/** Progress of enrollments: a learner's own, and what instructors, authors and admins may see of others'. */
@Injectable()
export class ProgressService {
  constructor(
    private readonly enrollments: EnrollmentRepository,
    private readonly courses: CourseRepository,
    private readonly classes: ClassRepository,
    private readonly progress: ProgressRepository,
    private readonly access: AccessService,
    private readonly summaries: ProgressSummaryRepository,
    private readonly rosterViews: RosterViewRepository,
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

  /** A page of a class roster with each person's progress; removed and closed enrollments included as history. */
  async classRoster(principal: Principal, classId: string, page: PageRequest): Promise<Page<RosterProgress>> {
    return this.pageOf(await this.classScope(principal, classId), { classId }, page);
  }

  /** A page of every enrollment in a course (classes and self-paced, history included), for authors and instructors. */
  async courseReport(principal: Principal, courseId: string, page: PageRequest): Promise<Page<RosterProgress>> {
    const { scope, courses } = await this.courseScope(principal, courseId);
    return this.pageOf(scope, { courseId }, page, courses);
  }

  /** `classRoster` read straight into the shape it is shown in (`RosterViewRepository`): what the API answers. */
  async classRosterView(principal: Principal, classId: string, page: PageRequest): Promise<Page<RosterRowView>> {
    return this.rosterViews.page(await this.classScope(principal, classId), { classId }, page);
  }

  /** `courseReport` read straight into the shape it is shown in, like `classRosterView`. */
  async courseReportView(principal: Principal, courseId: string, page: PageRequest): Promise<Page<RosterRowView>> {
    const { scope } = await this.courseScope(principal, courseId);
    return this.rosterViews.page(scope, { courseId }, page);
  }

  /**
   * A whole class roster in batches (exports, the summary): access is checked before this answers,
   * so a refusal comes before the first row; memory holds one batch whatever the roster's size.
   */
  async classRosterBatches(
    principal: Principal,
    classId: string,
    batchSize = ROSTER_BATCH,
  ): Promise<AsyncIterable<RosterProgress[]>> {
    return this.batchesOf(await this.classScope(principal, classId), { classId }, batchSize);
  }

  /** A whole course report in batches, like `classRosterBatches`. */
  async courseReportBatches(
    principal: Principal,
    courseId: string,
    batchSize = ROSTER_BATCH,
  ): Promise<AsyncIterable<RosterProgress[]>> {
    const { scope, courses } = await this.courseScope(principal, courseId);
    return this.batchesOf(scope, { courseId }, batchSize, courses);
  }

  /** What a class report shows at a glance, counted over the whole class where it is stored. */
  async classSummary(principal: Principal, classId: string, now: Date): Promise<ProgressSummary> {
    const scope = await this.access.scope(principal, ['instructor']);
    const courseClass = await this.classes.findInScope(scope, classId);
    if (!courseClass) throw DomainError.notFound('Class');
    const activities = (await this.courses.findById(courseClass.courseId))?.activities ?? [];
    const counts = await this.summaries.count(scope, { classId }, activities, SCORE_BAND_STARTS, now);
    return summaryFromCounts(counts, activities);
  }

  /** What a course report shows at a glance, like `classSummary`. */
  async courseSummary(principal: Principal, courseId: string, now: Date): Promise<ProgressSummary> {
    const scope = await this.access.scope(principal, ['instructor', 'course_author']);
    const course = await this.courses.findInScope(scope, courseId);
    if (!course) throw DomainError.notFound('Course');
    const counts = await this.summaries.count(scope, { courseId }, course.activities, SCORE_BAND_STARTS, now);
    return summaryFromCounts(counts, course.activities);
  }

  private async classScope(principal: Principal, classId: string): Promise<TenantScope> {
    const scope = await this.access.scope(principal, ['instructor']);
    if (!(await this.classes.findInScope(scope, classId))) throw DomainError.notFound('Class');
    return scope;
  }

  /** The scope, and the course it covers (already read: its rows need not read it again). */
  private async courseScope(
    principal: Principal,
    courseId: string,
  ): Promise<{ scope: TenantScope; courses: CourseCache }> {
    const scope = await this.access.scope(principal, ['instructor', 'course_author']);
    const course = await this.courses.findInScope(scope, courseId);
    if (!course) throw DomainError.notFound('Course');
    return { scope, courses: new Map([[course.id, course]]) };
  }

  private async pageOf(
    scope: TenantScope,
    of: RosterOf,
    page: PageRequest,
    courses: CourseCache = new Map(),
  ): Promise<Page<RosterProgress>> {
    const entries = await this.enrollments.rosterPage(scope, of, page);
    return { ...entries, items: await this.ofEnrollments(entries.items, courses) };
  }

  private async *batchesOf(
    scope: TenantScope,
    of: RosterOf,
    batchSize: number,
    courses: CourseCache = new Map(),
  ): AsyncGenerator<RosterProgress[]> {
    let after: RosterEntry | null = null;
    for (;;) {
      const entries = await this.enrollments.rosterAfter(scope, of, after, batchSize);
      if (entries.length > 0) yield await this.ofEnrollments(entries, courses);
      if (entries.length < batchSize) return;
      after = entries[entries.length - 1];
    }
  }

  /** Progress of many enrollments (a roster), in the given order. */
  private async ofEnrollments(entries: readonly RosterEntry[], courses?: CourseCache): Promise<RosterProgress[]> {
    const built = await this.build(entries, courses);
    return built.map((progress, index) => ({ ...progress, entry: entries[index] }));
  }

  /**
   * Progress of some enrollments with their course and class: one read of progress, one of the
   * classes, one per course (a roster has one), whatever the number of rows.
   */
  private async build(
    enrollments: readonly Enrollment[],
    courses: CourseCache = new Map(),
  ): Promise<EnrollmentProgress[]> {
    const rows = await this.progress.listForEnrollments(enrollments.map((e) => e.id));
    const byEnrollment = new Map<string, Map<string, ActivityProgress>>();
    for (const row of rows) {
      if (!byEnrollment.has(row.enrollmentId)) byEnrollment.set(row.enrollmentId, new Map());
      byEnrollment.get(row.enrollmentId)!.set(row.activityId, row);
    }
    const classIds = [...new Set(enrollments.flatMap((e) => (e.classId ? [e.classId] : [])))];
    const classes = new Map((classIds.length > 0 ? await this.classes.findByIds(classIds) : []).map((k) => [k.id, k]));
    const out: EnrollmentProgress[] = [];
    for (const enrollment of enrollments) {
      if (!courses.has(enrollment.courseId))
        courses.set(enrollment.courseId, await this.courses.findById(enrollment.courseId));
      const course = courses.get(enrollment.courseId);
      if (!course) continue;
      const progress = byEnrollment.get(enrollment.id) ?? new Map<string, ActivityProgress>();
      out.push({
        enrollment,
        course,
        courseClass: enrollment.classId ? (classes.get(enrollment.classId) ?? null) : null,
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
