import { Injectable } from '@nestjs/common';
import {
  ActivityProgress,
  DomainError,
  Enrollment,
  EnrollmentRepository,
  EnrollmentStatus,
  NewEnrollment,
  Page,
  pageOffset,
  PageRequest,
  ProgressRepository,
  RosterEntry,
  UserIdSource,
} from '@tms/core';
import { TransactionContext } from '../database/transaction-context';
import { ActivityProgressEntity, EnrollmentEntity } from '../entities';
import { isUniqueViolation } from './postgres-errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toEnrollment(entity: EnrollmentEntity): Enrollment {
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

  async create(input: NewEnrollment): Promise<Enrollment> {
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
  }

  async end(id: string, status: Exclude<EnrollmentStatus, 'active'>): Promise<void> {
    await this.repo.update({ id, status: 'active' }, { status, endedAt: new Date() });
  }

  listForClass(classId: string): Promise<RosterEntry[]> {
    return this.roster('e.class_id = :classId', { classId });
  }

  listForCourse(courseId: string): Promise<RosterEntry[]> {
    return this.roster('e.course_id = :courseId', { courseId });
  }

  async listForUser(userId: string): Promise<Enrollment[]> {
    return (await this.repo.find({ where: { userId }, order: { createdAt: 'DESC' } })).map(toEnrollment);
  }

  async findActiveSelfPaced(courseId: string, userId: string): Promise<Enrollment | null> {
    const entity = await this.repo.findOneBy({ courseId, userId, kind: 'self_paced', status: 'active' });
    return entity && toEnrollment(entity);
  }

  async findActiveByLtiUserId(
    context: { courseId: string; classId: string | null },
    source: UserIdSource,
    ltiUserId: string,
  ): Promise<Enrollment[]> {
    if (source === 'internal' && !UUID.test(ltiUserId)) return [];
    const column = { internal: 'u.id', sis_id: 'u.sis_id', login_id: 'u.login_id' }[source];
    const qb = this.repo
      .createQueryBuilder('e')
      .innerJoin('e.user', 'u')
      .where(`e.status = 'active'`)
      .andWhere(`${column} = :ltiUserId`, { ltiUserId })
      .andWhere('e.course_id = :courseId', { courseId: context.courseId });
    if (context.classId) qb.andWhere('e.class_id = :classId', { classId: context.classId });
    else qb.andWhere(`e.kind = 'self_paced'`);
    return (await qb.getMany()).map(toEnrollment);
  }

  async listSelfPaced(
    query: PageRequest & { organizationIds: readonly string[]; courseId?: string; userId?: string },
  ): Promise<Page<RosterEntry>> {
    const qb = this.rosterQuery()
      .where(`e.kind = 'self_paced'`)
      .andWhere('c.organization_id = ANY(:organizationIds)', { organizationIds: query.organizationIds })
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

function toProgress({
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
