import { Injectable } from '@nestjs/common';
import {
  Course,
  CourseActivity,
  CourseCopyInput,
  CourseInput,
  CourseListQuery,
  CourseRepository,
  CourseWithActivities,
  DomainError,
  isUuid,
  NewCourseActivity,
  Page,
  pageOffset,
  TenantScope,
} from '@tms/core';
import { TransactionContext } from '../database/transaction-context';
import { CourseActivityEntity, CourseEntity } from '../entities';
import { isUniqueViolation, likeContains } from './postgres-errors';
import { inScope, inScopeRaw, listScope, requireCovered, scopeParameters, scopeValues } from './tenant-scope.sql';

const CODE_TAKEN = () => DomainError.conflictOn('code', 'A course with this code already exists in the organization');

export function toCourse(entity: CourseEntity): Course {
  const { organization: _, sourceCourse: __, ...course } = entity;
  return course;
}

export function toActivity(entity: CourseActivityEntity): CourseActivity {
  return {
    id: entity.id,
    courseId: entity.courseId,
    resourceLinkId: entity.resourceLinkId,
    ltiResourceLinkId: entity.ltiResourceLinkId,
    title: entity.title,
    position: entity.position,
    required: entity.required,
    sourceActivityId: entity.sourceActivityId,
    resourceLinkIdHistory: entity.resourceLinkIdHistory,
  };
}

@Injectable()
export class TypeOrmCourseRepository extends CourseRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  private get courses() {
    return this.tx.repository(CourseEntity);
  }

  private get activities() {
    return this.tx.repository(CourseActivityEntity);
  }

  async findById(id: string): Promise<CourseWithActivities | null> {
    // One statement with its activities: every launch and score reads the course.
    const course: (CourseEntity & { activities?: CourseActivityEntity[] }) | null = await this.courses
      .createQueryBuilder('c')
      .leftJoinAndMapMany('c.activities', CourseActivityEntity, 'a', 'a.course_id = c.id')
      .where('c.id = :id', { id })
      .orderBy('a.position', 'ASC')
      .getOne();
    if (!course) return null;
    return { ...toCourse(course), activities: (course.activities ?? []).map(toActivity) };
  }

  async findByActivityId(activityId: string): Promise<CourseWithActivities | null> {
    const activity = await this.activities.findOneBy({ id: activityId });
    return activity ? this.findById(activity.courseId) : null;
  }

  async findInScope(scope: TenantScope, id: string): Promise<CourseWithActivities | null> {
    return (await this.covers(scope, id)) ? this.findById(id) : null;
  }

  async list(scope: TenantScope, query: CourseListQuery): Promise<Page<Course>> {
    const covered = await listScope(this.tx, scope);
    const qb = this.courses
      .createQueryBuilder('c')
      .where(covered('c.organization_id'), scopeParameters(scope))
      .orderBy('lower(c.title)', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .skip(pageOffset(query))
      .take(query.limit);
    if (query.organizationId)
      qb.andWhere('c.organization_id = :organizationId', { organizationId: query.organizationId });
    if (query.search) {
      qb.andWhere(`(c.title ILIKE :search ESCAPE '\\' OR c.code ILIKE :search ESCAPE '\\')`, {
        search: likeContains(query.search),
      });
    }
    const [entities, total] = await qb.getManyAndCount();
    return { items: entities.map(toCourse), total, page: query.page, limit: query.limit };
  }

  async create(scope: TenantScope, input: CourseInput & Partial<Pick<Course, 'sourceCourseId' | 'contextIdHistory'>>) {
    return this.tx.run(async () => {
      await requireCovered(this.tx, scope, input.organizationId, 'Organization');
      try {
        const entity = this.courses.create({ ...input, contextIdHistory: [...(input.contextIdHistory ?? [])] });
        return toCourse(await this.courses.save(entity));
      } catch (error) {
        if (isUniqueViolation(error, 'courses_code_uq')) throw CODE_TAKEN();
        throw error;
      }
    });
  }

  async update(scope: TenantScope, id: string, changes: Partial<CourseInput>): Promise<Course> {
    const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    return this.tx.run(async () => {
      await this.requireCovered(scope, id);
      if (changes.organizationId) await requireCovered(this.tx, scope, changes.organizationId, 'Organization');
      try {
        if (Object.keys(defined).length > 0) await this.courses.update({ id }, defined);
      } catch (error) {
        if (isUniqueViolation(error, 'courses_code_uq')) throw CODE_TAKEN();
        throw error;
      }
      return toCourse(await this.courses.findOneByOrFail({ id }));
    });
  }

  async createCopy(scope: TenantScope, input: CourseCopyInput): Promise<CourseWithActivities> {
    return this.tx.run(async () => {
      const course = await this.create(scope, input.course);
      const activities = await this.activities.save(
        input.activities.map((activity, index) =>
          this.activities.create({
            ...activity,
            resourceLinkIdHistory: [...(activity.resourceLinkIdHistory ?? [])],
            courseId: course.id,
            position: index + 1,
          }),
        ),
      );
      return { ...course, activities: activities.map(toActivity) };
    });
  }

  async addActivity(
    scope: TenantScope,
    { resourceLinkIdHistory, ...input }: NewCourseActivity,
  ): Promise<CourseActivity> {
    return this.tx.run(async () => {
      await this.requireCovered(scope, input.courseId);
      // The course row lock serializes concurrent additions, so positions stay distinct.
      await this.tx.query('SELECT 1 FROM courses WHERE id = $1 FOR UPDATE', [input.courseId]);
      const [{ next }] = await this.tx.query<{ next: number }>(
        'SELECT COALESCE(max(position), 0) + 1 AS next FROM course_activities WHERE course_id = $1',
        [input.courseId],
      );
      const entity = this.activities.create({
        ...input,
        resourceLinkIdHistory: [...(resourceLinkIdHistory ?? [])],
        position: next,
      });
      return toActivity(await this.activities.save(entity));
    });
  }

  async updateActivity(
    scope: TenantScope,
    courseId: string,
    activityId: string,
    changes: { title?: string; required?: boolean },
  ) {
    const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    if (Object.keys(defined).length === 0) return;
    await this.tx.run(async () => {
      await this.requireCovered(scope, courseId);
      await this.activities.update({ id: activityId, courseId }, defined);
    });
  }

  async reorderActivities(scope: TenantScope, courseId: string, activityIds: readonly string[]): Promise<void> {
    await this.tx.query(
      `UPDATE course_activities a SET position = o.position, updated_at = now()
         FROM unnest($2::uuid[]) WITH ORDINALITY AS o(id, position)
        WHERE a.id = o.id AND a.course_id = $1
          AND EXISTS (SELECT 1 FROM courses c WHERE c.id = $1 AND ${inScopeRaw('c.organization_id', '$3', '$4')})`,
      [courseId, activityIds, ...scopeValues(scope)],
    );
  }

  async removeActivity(scope: TenantScope, courseId: string, activityId: string): Promise<void> {
    await this.tx.run(async () => {
      await this.requireCovered(scope, courseId);
      await this.activities.delete({ id: activityId, courseId });
    });
  }

  private async covers(scope: TenantScope, courseId: string): Promise<boolean> {
    if (!isUuid(courseId)) return false;
    return this.courses
      .createQueryBuilder('c')
      .where('c.id = :courseId', { courseId })
      .andWhere(inScope('c.organization_id'), scopeParameters(scope))
      .getExists();
  }

  private async requireCovered(scope: TenantScope, courseId: string): Promise<void> {
    if (!(await this.covers(scope, courseId))) throw DomainError.notFound('Course');
  }
}
