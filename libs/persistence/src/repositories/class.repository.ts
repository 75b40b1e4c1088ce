import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import {
  ClassInput,
  ClassListQuery,
  ClassRepository,
  CourseClass,
  DomainError,
  isUuid,
  Page,
  pageOffset,
  TenantScope,
} from '@tms/core';
import { TransactionContext } from '../database/transaction-context';
import { ClassEntity } from '../entities';
import { likeContains } from './postgres-errors';
import { inScope, listScope, requireCovered, scopeParameters } from './tenant-scope.sql';

export function toClass(entity: ClassEntity): CourseClass {
  const { course: _c, organization: _o, ...rest } = entity;
  return rest;
}

@Injectable()
export class TypeOrmClassRepository extends ClassRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  private get repo() {
    return this.tx.repository(ClassEntity);
  }

  async findById(id: string): Promise<CourseClass | null> {
    const entity = await this.repo.findOneBy({ id });
    return entity && toClass(entity);
  }

  async findByIds(ids: readonly string[]): Promise<CourseClass[]> {
    return (await this.repo.findBy({ id: In([...ids]) })).map(toClass);
  }

  async findInScope(scope: TenantScope, id: string): Promise<CourseClass | null> {
    if (!isUuid(id)) return null;
    const entity = await this.repo
      .createQueryBuilder('k')
      .where('k.id = :id', { id })
      .andWhere(inScope('k.organization_id'), scopeParameters(scope))
      .getOne();
    return entity && toClass(entity);
  }

  async list(scope: TenantScope, query: ClassListQuery): Promise<Page<CourseClass>> {
    const covered = await listScope(this.tx, scope);
    const qb = this.repo
      .createQueryBuilder('k')
      .where(covered('k.organization_id'), scopeParameters(scope))
      .orderBy('k.starts_on', 'DESC', 'NULLS LAST')
      .addOrderBy('lower(k.title)', 'ASC')
      .addOrderBy('k.id', 'ASC')
      .skip(pageOffset(query))
      .take(query.limit);
    if (query.courseId) qb.andWhere('k.course_id = :courseId', { courseId: query.courseId });
    if (query.search) qb.andWhere(`k.title ILIKE :search ESCAPE '\\'`, { search: likeContains(query.search) });
    const [entities, total] = await qb.getManyAndCount();
    return { items: entities.map(toClass), total, page: query.page, limit: query.limit };
  }

  async create(scope: TenantScope, input: ClassInput): Promise<CourseClass> {
    return this.tx.run(async () => {
      await requireCovered(this.tx, scope, input.organizationId, 'Organization');
      return toClass(await this.repo.save(this.repo.create(input)));
    });
  }

  async update(scope: TenantScope, id: string, changes: Partial<Omit<ClassInput, 'courseId'>>): Promise<CourseClass> {
    const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    return this.tx.run(async () => {
      if (!(await this.findInScope(scope, id))) throw DomainError.notFound('Class');
      if (changes.organizationId) await requireCovered(this.tx, scope, changes.organizationId, 'Organization');
      if (Object.keys(defined).length > 0) await this.repo.update({ id }, defined);
      return toClass(await this.repo.findOneByOrFail({ id }));
    });
  }
}
