import { ActivityProgress, RosterEntry, RosterOf, TenantScope } from '@tms/core';
import { TransactionContext } from '../database/transaction-context';
import { inScopeRaw, scopeValues } from './tenant-scope.sql';

/**
 * Rosters in plain SQL: a page of 1,000 enrollments (or their progress) read as plain rows and
 * mapped by hand, without the ORM's entity hydration, which cost more than the query itself.
 */

/** An enrollment (`e`) with its person (`u`): the columns of a RosterEntry. */
export const ROSTER_COLUMNS = `e.id, e.kind, e.course_id, e.class_id, e.user_id, e.role, e.status, e.due_at,
       e.completed_at, e.ended_at, e.created_at, e.user_name, u.email AS user_email`;

/** A timestamptz as roster order compares it: UTC, to the millisecond (the indexed expression). */
function rosterTime(timestamptz: string): string {
  return `date_trunc('milliseconds', ${timestamptz} AT TIME ZONE 'UTC')`;
}

/**
 * Roster order: by the person's name, then enrollment time (UTC, to the millisecond a Date holds),
 * then id: a total order for keysets. Every term is the enrollment's own (`user_name` is its
 * person's name, kept by triggers), so the roster indexes of migration RosterByName hold the order
 * and a page is the first rows of an index walk, however many people the platform has.
 */
export const ROSTER_ORDER = `e.user_name, ${rosterTime('e.created_at')}, e.id`;

/** Rows after a keyset cursor in roster order: its values as parameters `$n` to `$n+2` (name, time as a Date, id). */
export function rosterKeyAfter(n: number): string {
  return `(${ROSTER_ORDER}) > ($${n}, ${rosterTime(`$${n + 1}::timestamptz`)}, $${n + 2}::uuid)`;
}

export interface RosterRow {
  readonly id: string;
  readonly kind: RosterEntry['kind'];
  readonly course_id: string;
  readonly class_id: string | null;
  readonly user_id: string;
  readonly role: RosterEntry['role'];
  readonly status: RosterEntry['status'];
  readonly due_at: Date | null;
  readonly completed_at: Date | null;
  readonly ended_at: Date | null;
  readonly created_at: Date;
  readonly user_name: string;
  readonly user_email: string;
}

export function toRosterEntry(row: RosterRow): RosterEntry {
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

/**
 * The enrollments (`e`) of a class the scope covers, or of a course the scope covers, as a
 * condition on positional parameters `$1` (the class or course) to `$3`, with their values.
 */
export function rosterCondition(scope: TenantScope, of: RosterOf): { sql: string; values: unknown[] } {
  const sql =
    'classId' in of
      ? `e.class_id = $1 AND EXISTS (SELECT 1 FROM classes sk WHERE sk.id = e.class_id AND ${inScopeRaw('sk.organization_id', '$2', '$3')})`
      : `e.course_id = $1 AND EXISTS (SELECT 1 FROM courses sc WHERE sc.id = e.course_id AND ${inScopeRaw('sc.organization_id', '$2', '$3')})`;
  return { sql, values: ['classId' in of ? of.classId : of.courseId, ...scopeValues(scope)] };
}

/**
 * How many enrollments a roster condition matches, counted on its own: a count over the page's
 * ordered rows (a window) let the planner walk the people by name for a small page, which grows with
 * everyone on the platform. Enrollments join exactly one person: the count needs neither the join
 * nor DISTINCT.
 */
export async function countRoster(
  tx: TransactionContext,
  condition: { sql: string; values: unknown[] },
): Promise<number> {
  const [counted] = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM enrollments e WHERE ${condition.sql}`,
    condition.values,
  );
  return counted.n;
}

/** The columns of an ActivityProgress, from `activity_progress` aliased `p`. */
export const PROGRESS_COLUMNS = `p.enrollment_id, p.activity_id, p.status, p.score_percent, p.score_given, p.score_maximum,
       p.scored_at, p.first_launched_at, p.completed_at`;

export interface ProgressRow {
  readonly enrollment_id: string;
  readonly activity_id: string;
  readonly status: ActivityProgress['status'];
  /** numeric: a string from pg. */
  readonly score_percent: string | null;
  readonly score_given: string | null;
  readonly score_maximum: string | null;
  readonly scored_at: Date | null;
  readonly first_launched_at: Date | null;
  readonly completed_at: Date | null;
}

export function toActivityProgress(row: ProgressRow): ActivityProgress {
  return {
    enrollmentId: row.enrollment_id,
    activityId: row.activity_id,
    status: row.status,
    scorePercent: row.score_percent === null ? null : Number(row.score_percent),
    scoreGiven: row.score_given,
    scoreMaximum: row.score_maximum,
    scoredAt: row.scored_at,
    firstLaunchedAt: row.first_launched_at,
    completedAt: row.completed_at,
  };
}
