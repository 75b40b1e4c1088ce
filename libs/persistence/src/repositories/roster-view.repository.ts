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
import { ROSTER_ORDER, rosterCondition } from './roster-rows.sql';

/**
 * A timestamptz as `Date#toISOString` writes it (UTC, the microseconds truncated to milliseconds as
 * a Date truncates them), so that no Date is made for a value only shown: parsing them was the
 * largest single cost of a 1,000-row page.
 */
function isoTime(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

type Row = RosterRowView['enrollment'];

interface PageRow {
  readonly id: string;
  readonly kind: Row['kind'];
  readonly course_id: string;
  readonly class_id: string | null;
  readonly user_id: string;
  readonly role: Row['role'];
  readonly status: Row['status'];
  readonly due_at: string | null;
  readonly completed_at: string | null;
  readonly ended_at: string | null;
  readonly created_at: string;
  readonly user_name: string;
  readonly user_email: string;
  readonly course_title: string;
  readonly course_code: string | null;
  readonly class_title: string | null;
}

interface ActivityRow {
  readonly course_id: string;
  readonly id: string;
  readonly title: string;
  readonly required: boolean;
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
 * Roster and report pages read into their view: the page's enrollments with their person, course and
 * class in roster order; the activities of their courses; the progress of those enrollments. The
 * course, class and activity parts are made once per page and shared by the rows that show them.
 */
@Injectable()
export class SqlRosterViewRepository extends RosterViewRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  async page(scope: TenantScope, of: RosterOf, page: PageRequest): Promise<Page<RosterRowView>> {
    const condition = rosterCondition(scope, of);
    // Counted on its own, as EnrollmentRepository.rosterPage counts (see there).
    const [counted] = await this.tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM enrollments e WHERE ${condition.sql}`,
      condition.values,
    );
    const rows = await this.tx.query<PageRow>(
      `SELECT e.id, e.kind, e.course_id, e.class_id, e.user_id, e.role, e.status, ${isoTime('e.due_at')} AS due_at,
              ${isoTime('e.completed_at')} AS completed_at, ${isoTime('e.ended_at')} AS ended_at,
              ${isoTime('e.created_at')} AS created_at, u.name AS user_name, u.email AS user_email,
              c.title AS course_title, c.code AS course_code, k.title AS class_title
         FROM enrollments e JOIN users u ON u.id = e.user_id JOIN courses c ON c.id = e.course_id
         LEFT JOIN classes k ON k.id = e.class_id
        WHERE ${condition.sql} ORDER BY ${ROSTER_ORDER} OFFSET $4 LIMIT $5`,
      [...condition.values, pageOffset(page), page.limit],
    );
    const items = rows.length === 0 ? [] : await this.views(rows);
    return { items, total: counted.n, page: page.page, limit: page.limit };
  }

  private async views(rows: readonly PageRow[]): Promise<RosterRowView[]> {
    const activities = await this.activitiesOf([...new Set(rows.map((row) => row.course_id))]);
    const progress = await this.progressOf(rows.map((row) => row.id));
    const courses = new Map<string, RosterRowView['course']>();
    const classes = new Map<string, RosterRowView['class']>();
    return rows.map((row) => {
      const course = courses.get(row.course_id) ?? {
        id: row.course_id,
        title: row.course_title,
        code: row.course_code,
      };
      courses.set(course.id, course);
      let courseClass: RosterRowView['class'] = null;
      if (row.class_id !== null) {
        courseClass = classes.get(row.class_id) ?? { id: row.class_id, title: row.class_title! };
        classes.set(row.class_id, courseClass);
      }
      const courseActivities = activities.get(row.course_id) ?? [];
      const stored = progress.get(row.id) ?? NO_PROGRESS;
      return {
        enrollment: enrollmentOf(row),
        course,
        class: courseClass,
        courseComplete: isCourseComplete(courseActivities, stored),
        activities: courseActivities.map((activity) => showProgress(activity, stored.get(activity.id))),
        learner: { id: row.user_id, name: row.user_name, email: row.user_email },
      };
    });
  }

  /** The courses' activities in course order, by course. */
  private async activitiesOf(courseIds: readonly string[]): Promise<Map<string, ActivityRow[]>> {
    const rows = await this.tx.query<ActivityRow>(
      `SELECT a.course_id, a.id, a.title, a.required FROM course_activities a
        WHERE a.course_id = ANY($1::uuid[]) ORDER BY a.course_id, a.position`,
      [courseIds],
    );
    const byCourse = new Map<string, ActivityRow[]>();
    for (const row of rows) {
      const own = byCourse.get(row.course_id) ?? [];
      byCourse.set(row.course_id, own);
      own.push(row);
    }
    return byCourse;
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

function enrollmentOf(row: PageRow): Row {
  return {
    id: row.id,
    kind: row.kind,
    courseId: row.course_id,
    classId: row.class_id,
    userId: row.user_id,
    role: row.role,
    status: row.status,
    dueAt: row.due_at,
    completedAt: row.completed_at,
    endedAt: row.ended_at,
    createdAt: row.created_at,
    userName: row.user_name,
    userEmail: row.user_email,
  };
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
