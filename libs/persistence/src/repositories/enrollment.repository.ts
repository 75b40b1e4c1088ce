import { Injectable } from '@nestjs/common';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import {
  ActivityProgress,
  DomainError,
  Enrollment,
  EnrollmentRepository,
  EnrollmentStatus,
  isUuid,
  NewEnrollment,
  Page,
  pageOffset,
  PageRequest,
  ProgressRepository,
  RosterContext,
  RosterEntry,
  RosterOf,
  TenantScope,
} from '@tms/core';
import { TransactionContext } from '../database/transaction-context';
import { ActivityProgressEntity, EnrollmentEntity } from '../entities';
import { isUniqueViolation } from './postgres-errors';
import { inScope, listScope, requireCovered, scopeParameters } from './tenant-scope.sql';

/** An enrollment (aliased `alias`) is in a scope that covers its course's or its class's organization. */
function enrollmentInScope(alias: string): string {
  return `(EXISTS (SELECT 1 FROM courses sc WHERE sc.id = ${alias}.course_id AND ${inScope('sc.organization_id')})
   OR EXISTS (SELECT 1 FROM classes sk WHERE sk.id = ${alias}.class_id AND ${inScope('sk.organization_id')}))`;
}

/** Roster order: by name, then enrollment time (to the millisecond a Date holds), then id: a total order for keysets. */
const ENROLLED_MS = `date_trunc('milliseconds', e.created_at)`;

function inRosterOrder<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
  return qb.orderBy('u.name', 'ASC').addOrderBy(ENROLLED_MS, 'ASC').addOrderBy('e.id', 'ASC');
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
    return this.roster(
      `e.class_id = :classId AND EXISTS (SELECT 1 FROM classes sk WHERE sk.id = e.class_id AND ${inScope('sk.organization_id')})`,
      { classId, ...scopeParameters(scope) },
    );
  }

  async rosterPage(scope: TenantScope, of: RosterOf, page: PageRequest): Promise<Page<RosterEntry>> {
    const qb = this.rosterOf(scope, of);
    const total = await qb.clone().getCount();
    const items = toRoster(await inRosterOrder(qb).offset(pageOffset(page)).limit(page.limit).getRawAndEntities());
    return { items, total, page: page.page, limit: page.limit };
  }

  async rosterAfter(
    scope: TenantScope,
    of: RosterOf,
    after: RosterEntry | null,
    limit: number,
  ): Promise<RosterEntry[]> {
    const qb = inRosterOrder(this.rosterOf(scope, of)).limit(limit);
    // The same key as the order; the time compared to the millisecond the cursor carries (a Date).
    if (after)
      qb.andWhere(`(u.name, ${ENROLLED_MS}, e.id) > (:afterName, :afterCreatedAt, :afterId)`, {
        afterName: after.userName,
        afterCreatedAt: after.createdAt,
        afterId: after.id,
      });
    return toRoster(await qb.getRawAndEntities());
  }

  /** A class's enrollments when the scope covers the class; a course's when it covers the course. */
  private rosterOf(scope: TenantScope, of: RosterOf) {
    return 'classId' in of
      ? this.rosterQuery().where(
          `e.class_id = :classId AND EXISTS (SELECT 1 FROM classes sk WHERE sk.id = e.class_id AND ${inScope('sk.organization_id')})`,
          { classId: of.classId, ...scopeParameters(scope) },
        )
      : this.rosterQuery().where(`e.course_id = :courseId AND ${inScope('c.organization_id')}`, {
          courseId: of.courseId,
          ...scopeParameters(scope),
        });
  }

  listForClass(classId: string): Promise<RosterEntry[]> {
    return this.roster('e.class_id = :classId', { classId });
  }

  listForCourse(courseId: string): Promise<RosterEntry[]> {
    return this.roster('e.course_id = :courseId', { courseId });
  }

  async listInContextFor(context: RosterContext, userIds: readonly string[]): Promise<RosterEntry[]> {
    if (userIds.length === 0) return [];
    return context.classId
      ? this.roster('e.class_id = :classId AND e.user_id = ANY(:userIds)', { classId: context.classId, userIds })
      : this.roster(`e.course_id = :courseId AND e.kind = 'self_paced' AND e.user_id = ANY(:userIds)`, {
          courseId: context.courseId,
          userIds,
        });
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

  private async roster(where: string, parameters: Record<string, unknown>): Promise<RosterEntry[]> {
    const qb = this.rosterQuery().where(where, parameters).orderBy('u.name', 'ASC').addOrderBy('e.created_at', 'ASC');
    return toRoster(await qb.getRawAndEntities());
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
    const rows = await this.tx
      .repository(ActivityProgressEntity)
      .createQueryBuilder('p')
      .where('p.enrollment_id = ANY(:enrollmentIds)', { enrollmentIds })
      .getMany();
    return rows.map(toProgress);
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
