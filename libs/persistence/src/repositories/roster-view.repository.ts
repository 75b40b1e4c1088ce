import { Injectable } from '@nestjs/common';
import {
  ActivityProgressView,
  isCourseComplete,
  Page,
  pageOffset,
  PageRequest,
  RosterOf,
  RosterRowView,
  RosterViewRepository,
  TenantScope,
} from '@tms/core';
import { TransactionContext } from '../database/transaction-context';
import { countRoster, ROSTER_ORDER, rosterCondition } from './roster-rows.sql';

/**
 * A timestamptz as `Date#toISOString` writes it (UTC, the microseconds truncated to milliseconds as
 * a Date truncates them), so that no Date is made for a value only shown: parsing them was the
 * largest single cost of a 1,000-row page.
 */
function isoTime(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

type Row = RosterRowView['enrollment'];

/** The enrollment as shown (columns named as its fields, in its order), and its class's title. */
interface PageRow extends Row {
  readonly classTitle: string | null;
}

/** A course with one of its activities (none: the activity's columns are null). */
interface CourseActivityRow {
  readonly course_id: string;
  readonly course_title: string;
  readonly course_code: string | null;
  readonly id: string | null;
  readonly title: string | null;
  readonly required: boolean | null;
}

interface ActivityRow {
  readonly id: string;
  readonly title: string;
  readonly required: boolean;
}

/** What the rows of one course share: the course as shown, and its activities in course order. */
interface CoursePart {
  readonly course: RosterRowView['course'];
  readonly activities: ActivityRow[];
}

/** An enrollment without stored progress: every activity not started. */
const NO_PROGRESS: ReadonlyMap<string, ProgressRow> = new Map();

interface ProgressRow {
  readonly enrollment_id: string;
  readonly activity_id: string;
  readonly status: ActivityProgressView['status'];
  /** numeric(8, 3) as float8: the number `Number` makes of the numeric's text. */
  readonly score_percent: number | null;
  readonly first_launched_at: string | null;
  readonly completed_at: string | null;
}

/**
 * Roster and report pages read into their view: the page's enrollments with their person in roster
 * order (the statement and plan of EnrollmentRepository.rosterPage, with times as text, and the
 * class's title in the select list, looked up for the page's rows only: a join would give the
 * planner another order to walk); their courses with the courses' activities; the progress of those
 * enrollments. The course, class and activity parts are made once per page and shared by its rows.
 */
@Injectable()
export class SqlRosterViewRepository extends RosterViewRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  async page(scope: TenantScope, of: RosterOf, page: PageRequest): Promise<Page<RosterRowView>> {
    const condition = rosterCondition(scope, of);
    const total = await countRoster(this.tx, condition);
    const rows = await this.tx.query<PageRow>(
      `SELECT e.id, e.kind, e.course_id AS "courseId", e.class_id AS "classId", e.user_id AS "userId", e.role,
              e.status, ${isoTime('e.due_at')} AS "dueAt", ${isoTime('e.completed_at')} AS "completedAt",
              ${isoTime('e.ended_at')} AS "endedAt", ${isoTime('e.created_at')} AS "createdAt",
              e.user_name AS "userName", u.email AS "userEmail",
              (SELECT k.title FROM classes k WHERE k.id = e.class_id) AS "classTitle"
         FROM enrollments e JOIN users u ON u.id = e.user_id
        WHERE ${condition.sql} ORDER BY ${ROSTER_ORDER} OFFSET $4 LIMIT $5`,
      [...condition.values, pageOffset(page), page.limit],
    );
    const items = rows.length === 0 ? [] : await this.views(rows);
    return { items, total, page: page.page, limit: page.limit };
  }

  private async views(rows: readonly PageRow[]): Promise<RosterRowView[]> {
    const courses = await this.coursesOf([...new Set(rows.map((row) => row.courseId))]);
    const classes = new Map<string, RosterRowView['class']>();
    const progress = await this.progressOf(rows.map((row) => row.id));
    return rows.flatMap(({ classTitle, ...enrollment }) => {
      const part = courses.get(enrollment.courseId);
      if (!part) return [];
      const stored = progress.get(enrollment.id) ?? NO_PROGRESS;
      return {
        enrollment,
        course: part.course,
        class: enrollment.classId === null ? null : classOf(classes, enrollment.classId, classTitle!),
        courseComplete: isCourseComplete(part.activities, stored),
        activities: part.activities.map((activity) => showProgress(activity, stored.get(activity.id))),
        learner: { id: enrollment.userId, name: enrollment.userName, email: enrollment.userEmail },
      };
    });
  }

  /** The courses as shown, each with its activities in course order. */
  private async coursesOf(courseIds: readonly string[]): Promise<Map<string, CoursePart>> {
    const rows = await this.tx.query<CourseActivityRow>(
      `SELECT c.id AS course_id, c.title AS course_title, c.code AS course_code, a.id, a.title, a.required
         FROM courses c LEFT JOIN course_activities a ON a.course_id = c.id
        WHERE c.id = ANY($1::uuid[]) ORDER BY c.id, a.position`,
      [courseIds],
    );
    const parts = new Map<string, CoursePart>();
    for (const row of rows) {
      const part = parts.get(row.course_id) ?? {
        course: { id: row.course_id, title: row.course_title, code: row.course_code },
        activities: [],
      };
      parts.set(row.course_id, part);
      if (row.id !== null) part.activities.push({ id: row.id, title: row.title!, required: row.required! });
    }
    return parts;
  }

  /** The enrollments' stored progress, by enrollment, then activity. */
  private async progressOf(enrollmentIds: readonly string[]): Promise<Map<string, Map<string, ProgressRow>>> {
    const rows = await this.tx.query<ProgressRow>(
      `SELECT p.enrollment_id, p.activity_id, p.status, p.score_percent::float8 AS score_percent,
              ${isoTime('p.first_launched_at')} AS first_launched_at, ${isoTime('p.completed_at')} AS completed_at
         FROM activity_progress p WHERE p.enrollment_id = ANY($1::uuid[])`,
      [enrollmentIds],
    );
    const byEnrollment = new Map<string, Map<string, ProgressRow>>();
    for (const row of rows) {
      const own = byEnrollment.get(row.enrollment_id) ?? new Map<string, ProgressRow>();
      byEnrollment.set(row.enrollment_id, own.set(row.activity_id, row));
    }
    return byEnrollment;
  }
}

/** The class as shown, made once per page (`made`) and shared by its rows. */
function classOf(made: Map<string, RosterRowView['class']>, id: string, title: string): RosterRowView['class'] {
  const shown = made.get(id) ?? { id, title };
  made.set(id, shown);
  return shown;
}

function showProgress(activity: ActivityRow, stored: ProgressRow | undefined): ActivityProgressView {
  return {
    activityId: activity.id,
    title: activity.title,
    required: activity.required,
    status: stored?.status ?? 'not_started',
    scorePercent: stored?.score_percent ?? null,
    firstLaunchedAt: stored?.first_launched_at ?? null,
    completedAt: stored?.completed_at ?? null,
  };
}
