import { Injectable } from '@nestjs/common';
import {
  ActivityProgress,
  ContextMembership,
  DomainError,
  Enrollment,
  EnrollmentRepository,
  EnrollmentRole,
  EnrollmentStatus,
  isUuid,
  MembershipSelection,
  NewEnrollment,
  Page,
  pageOffset,
  PageRequest,
  ProgressRepository,
  RosterContext,
  RosterEntry,
  RosterOf,
  TenantScope,
  UserIdSource,
  UserStatus,
} from '@tms/core';
import { TransactionContext } from '../database/transaction-context';
import { ActivityProgressEntity, EnrollmentEntity } from '../entities';
import { isUniqueViolation } from './postgres-errors';
import {
  PROGRESS_COLUMNS,
  countRoster,
  ProgressRow,
  ROSTER_COLUMNS,
  ROSTER_ORDER,
  rosterCondition,
  rosterKeyAfter,
  RosterRow,
  toActivityProgress,
  toRosterEntry,
} from './roster-rows.sql';
import { inScope, listScope, requireCovered, scopeParameters } from './tenant-scope.sql';

/** An enrollment (aliased `alias`) is in a scope that covers its course's or its class's organization. */
function enrollmentInScope(alias: string): string {
  return `(EXISTS (SELECT 1 FROM courses sc WHERE sc.id = ${alias}.course_id AND ${inScope('sc.organization_id')})
   OR EXISTS (SELECT 1 FROM classes sk WHERE sk.id = ${alias}.class_id AND ${inScope('sk.organization_id')}))`;
}

/**
 * A person's enrollments in one context, the one that stands for them first: a live one, then a
 * removed one (they left: NRPS says Deleted), then a closed one; of those, the newest (to the
 * millisecond a roster's order compares), then the first in roster order.
 */
const LATEST_ENROLLMENT_FIRST = `CASE e.status WHEN 'active' THEN 2 WHEN 'removed' THEN 1 ELSE 0 END DESC,
  date_trunc('milliseconds', e.created_at) DESC, e.id`;

/** People who have the identifier a tool knows people by (`ltiUserIdOf`: an empty one is none), as a condition on `u`. */
const IDENTIFIED: Readonly<Record<Exclude<UserIdSource, 'internal'>, string>> = {
  sis_id: "u.sis_id <> ''",
  login_id: "u.login_id <> ''",
};

interface ContextMembershipRow {
  readonly role: EnrollmentRole;
  readonly status: EnrollmentStatus;
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly given_name: string | null;
  readonly family_name: string | null;
  readonly sis_id: string | null;
  readonly login_id: string | null;
  readonly person_status: UserStatus;
}

/** A member's columns: the chosen membership (`e`) and its person (`u`, from PERSON_OF_MEMBER). */
const MEMBER_COLUMNS = `e.role, e.status, u.id, u.email, u.name, u.given_name, u.family_name, u.sis_id, u.login_id,
  u.person_status`;

/** The person of each membership `e`, probed by id (OFFSET 0 keeps the probe: no plan that reads the whole people table). */
const PERSON_OF_MEMBER = `CROSS JOIN LATERAL (
  SELECT p.id, p.email, p.name, p.given_name, p.family_name, p.sis_id, p.login_id, p.status AS person_status
    FROM users p WHERE p.id = e.user_id OFFSET 0) u`;

function toContextMembership(row: ContextMembershipRow): ContextMembership {
  return {
    role: row.role,
    status: row.status,
    person: {
      id: row.id,
      email: row.email,
      name: row.name,
      givenName: row.given_name,
      familyName: row.family_name,
      sisId: row.sis_id,
      loginId: row.login_id,
      status: row.person_status,
    },
  };
}

export function toEnrollment(entity: EnrollmentEntity): Enrollment {
  return {
    id: entity.id,
    kind: entity.kind,
    courseId: entity.courseId,
    classId: entity.classId,
    userId: entity.userId,
    role: entity.role,
    status: entity.status,
    dueAt: entity.dueAt,
    completedAt: entity.completedAt,
    endedAt: entity.endedAt,
    createdAt: entity.createdAt,
  };
}

@Injectable()
export class TypeOrmEnrollmentRepository extends EnrollmentRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  private get repo() {
    return this.tx.repository(EnrollmentEntity);
  }

  async findById(id: string): Promise<Enrollment | null> {
    const entity = await this.repo.findOneBy({ id });
    return entity && toEnrollment(entity);
  }

  async findInScope(scope: TenantScope, id: string): Promise<Enrollment | null> {
    if (!isUuid(id)) return null;
    const entity = await this.repo
      .createQueryBuilder('e')
      .where('e.id = :id', { id })
      .andWhere(enrollmentInScope('e'), scopeParameters(scope))
      .getOne();
    return entity && toEnrollment(entity);
  }

  async create(scope: TenantScope, input: NewEnrollment): Promise<Enrollment> {
    return this.tx.run(async () => {
      // A class enrollment belongs to the class's organization, a self-paced one to the course's.
      const [owner] = await this.tx.query<{ organization_id: string }>(
        input.classId
          ? 'SELECT organization_id FROM classes WHERE id = $1'
          : 'SELECT organization_id FROM courses WHERE id = $1',
        [input.classId ?? input.courseId],
      );
      await requireCovered(this.tx, scope, owner?.organization_id ?? '', input.classId ? 'Class' : 'Course');
      try {
        return toEnrollment(await this.repo.save(this.repo.create({ ...input, status: 'active' })));
      } catch (error) {
        if (
          isUniqueViolation(error, 'enrollments_active_class_uq') ||
          isUniqueViolation(error, 'enrollments_active_self_paced_uq')
        ) {
          throw DomainError.conflictOn('userId', 'This person is already enrolled');
        }
        throw error;
      }
    });
  }

  async end(scope: TenantScope, id: string, status: Exclude<EnrollmentStatus, 'active'>): Promise<void> {
    await this.repo
      .createQueryBuilder()
      .update()
      .set({ status, endedAt: new Date() })
      .where(`id = :id AND status = 'active'`, { id })
      .andWhere(enrollmentInScope('enrollments'), scopeParameters(scope))
      .execute();
  }

  classRoster(scope: TenantScope, classId: string): Promise<RosterEntry[]> {
    const condition = rosterCondition(scope, { classId });
    return this.roster(condition.sql, condition.values);
  }

  async rosterPage(scope: TenantScope, of: RosterOf, page: PageRequest): Promise<Page<RosterEntry>> {
    const condition = rosterCondition(scope, of);
    const total = await countRoster(this.tx, condition);
    const rows = await this.tx.query<RosterRow>(
      `SELECT ${ROSTER_COLUMNS} FROM enrollments e JOIN users u ON u.id = e.user_id
        WHERE ${condition.sql} ORDER BY ${ROSTER_ORDER} OFFSET $4 LIMIT $5`,
      [...condition.values, pageOffset(page), page.limit],
    );
    return { items: rows.map(toRosterEntry), total, page: page.page, limit: page.limit };
  }

  async rosterAfter(
    scope: TenantScope,
    of: RosterOf,
    after: RosterEntry | null,
    limit: number,
  ): Promise<RosterEntry[]> {
    const condition = rosterCondition(scope, of);
    // The same key as the order; the time compared to the millisecond the cursor carries (a Date).
    const rows = await this.tx.query<RosterRow>(
      `SELECT ${ROSTER_COLUMNS} FROM enrollments e JOIN users u ON u.id = e.user_id
        WHERE ${condition.sql} ${after ? `AND ${rosterKeyAfter(5)}` : ''} ORDER BY ${ROSTER_ORDER} LIMIT $4`,
      after ? [...condition.values, limit, after.userName, after.createdAt, after.id] : [...condition.values, limit],
    );
    return rows.map(toRosterEntry);
  }

  async contextMemberships(context: RosterContext, selection: MembershipSelection): Promise<ContextMembership[]> {
    if ('people' in selection && selection.people.length === 0) return [];
    const [where, values] = context.classId
      ? ['e.class_id = $1', [context.classId]]
      : [`e.course_id = $1 AND e.kind = 'self_paced'`, [context.courseId]];
    const chosen = (also: string) =>
      `SELECT DISTINCT ON (e.user_id) e.id, e.user_id, e.user_name, e.role, e.status, e.created_at
         FROM enrollments e WHERE ${where} ${also} ORDER BY e.user_id, ${LATEST_ENROLLMENT_FIRST}`;
    if ('people' in selection) {
      const sql = `SELECT ${MEMBER_COLUMNS} FROM (${chosen('AND e.user_id = ANY($2::uuid[])')}) e ${PERSON_OF_MEMBER}
                    ORDER BY ${ROSTER_ORDER}`;
      return (await this.tx.query<ContextMembershipRow>(sql, [...values, selection.people])).map(toContextMembership);
    }
    // A stretch: the chosen memberships in roster order (an ordered subquery is not merged into the
    // outer query), their people read only as far as the stretch reaches, so a page of 100 of a class
    // of 1,000 reads about 100 people, not 1,000.
    const inOrder = `SELECT * FROM (${chosen('')}) e WHERE e.role = ANY(CAST($2 AS varchar[])) ORDER BY ${ROSTER_ORDER}`;
    const sql =
      selection.identifiedBy === 'internal'
        ? // Everyone has the platform's own id: the stretch is cut before its people are read.
          `SELECT ${MEMBER_COLUMNS} FROM (${inOrder} OFFSET $3 LIMIT $4) e ${PERSON_OF_MEMBER} ORDER BY ${ROSTER_ORDER}`
        : // Only people with the identifier count: probed in roster order until the stretch is full.
          `SELECT ${MEMBER_COLUMNS} FROM (${inOrder}) e ${PERSON_OF_MEMBER}
            WHERE ${IDENTIFIED[selection.identifiedBy]} ORDER BY ${ROSTER_ORDER} OFFSET $3 LIMIT $4`;
    const rows = await this.tx.query<ContextMembershipRow>(sql, [
      ...values,
      [...selection.roles],
      selection.offset,
      selection.limit,
    ]);
    return rows.map(toContextMembership);
  }

  async listForUser(userId: string): Promise<Enrollment[]> {
    return (await this.repo.find({ where: { userId }, order: { createdAt: 'DESC' } })).map(toEnrollment);
  }

  async findActiveSelfPaced(scope: TenantScope, courseId: string, userId: string): Promise<Enrollment | null> {
    const entity = await this.repo
      .createQueryBuilder('e')
      .where(`e.course_id = :courseId AND e.user_id = :userId AND e.kind = 'self_paced' AND e.status = 'active'`, {
        courseId,
        userId,
      })
      .andWhere(enrollmentInScope('e'), scopeParameters(scope))
      .getOne();
    return entity && toEnrollment(entity);
  }

  async listSelfPaced(
    scope: TenantScope,
    query: PageRequest & { courseId?: string; userId?: string },
  ): Promise<Page<RosterEntry>> {
    const covered = await listScope(this.tx, scope);
    const qb = this.rosterQuery()
      .where(`e.kind = 'self_paced'`)
      .andWhere(covered('c.organization_id'), scopeParameters(scope))
      .orderBy('e.created_at', 'DESC')
      .addOrderBy('e.id', 'ASC')
      .offset(pageOffset(query))
      .limit(query.limit);
    if (query.courseId) qb.andWhere('e.course_id = :courseId', { courseId: query.courseId });
    if (query.userId) qb.andWhere('e.user_id = :userId', { userId: query.userId });
    const total = await qb.clone().offset(undefined).limit(undefined).orderBy().getCount();
    return { items: toRoster(await qb.getRawAndEntities()), total, page: query.page, limit: query.limit };
  }

  private rosterQuery() {
    return this.repo
      .createQueryBuilder('e')
      .innerJoin('e.user', 'u')
      .innerJoin('e.course', 'c')
      .addSelect(['u.name AS user_name', 'u.email AS user_email']);
  }

  /** Every enrollment matching `where` (positional parameters), by name then enrollment time. */
  private async roster(where: string, values: unknown[]): Promise<RosterEntry[]> {
    const rows = await this.tx.query<RosterRow>(
      `SELECT ${ROSTER_COLUMNS} FROM enrollments e JOIN users u ON u.id = e.user_id
        WHERE ${where} ORDER BY ${ROSTER_ORDER}`,
      values,
    );
    return rows.map(toRosterEntry);
  }
}

function toRoster(result: { entities: EnrollmentEntity[]; raw: Array<{ user_name: string; user_email: string }> }) {
  return result.entities.map((entity, index) => ({
    ...toEnrollment(entity),
    userName: result.raw[index].user_name,
    userEmail: result.raw[index].user_email,
  }));
}

export function toProgress({
  enrollment: _e,
  activity: _a,
  updatedAt: _u,
  ...progress
}: ActivityProgressEntity): ActivityProgress {
  return progress;
}

@Injectable()
export class TypeOrmProgressRepository extends ProgressRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  async listForEnrollments(enrollmentIds: readonly string[]): Promise<ActivityProgress[]> {
    if (enrollmentIds.length === 0) return [];
    const rows = await this.tx.query<ProgressRow>(
      `SELECT ${PROGRESS_COLUMNS} FROM activity_progress p WHERE p.enrollment_id = ANY($1::uuid[])`,
      [enrollmentIds],
    );
    return rows.map(toActivityProgress);
  }

  async lockEnrollment(enrollmentId: string): Promise<Enrollment | null> {
    // FOR NO KEY UPDATE, not FOR UPDATE: it serializes writers of the enrollment just the same, but
    // does not conflict with the KEY SHARE lock PostgreSQL takes for a foreign key check. A launch
    // inserts its record (referencing the enrollment) before it takes this lock; with FOR UPDATE two
    // concurrent launches of one learner each held KEY SHARE and waited for the other: a deadlock.
    const entity = await this.tx
      .repository(EnrollmentEntity)
      .createQueryBuilder('e')
      .setLock('for_no_key_update')
      .where('e.id = :enrollmentId', { enrollmentId })
      .getOne();
    return entity ? toEnrollment(entity) : null;
  }

  async find(enrollmentId: string, activityId: string): Promise<ActivityProgress | null> {
    const row = await this.tx.repository(ActivityProgressEntity).findOneBy({ enrollmentId, activityId });
    return row ? toProgress(row) : null;
  }

  async save(progress: ActivityProgress): Promise<void> {
    await this.tx.repository(ActivityProgressEntity).upsert({ ...progress }, ['enrollmentId', 'activityId']);
  }

  async setCourseCompletedAt(enrollmentId: string, at: Date | null): Promise<void> {
    await this.tx.repository(EnrollmentEntity).update({ id: enrollmentId }, { completedAt: at });
  }
}
