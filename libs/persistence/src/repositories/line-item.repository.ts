import { Injectable } from '@nestjs/common';
import {
  DomainError,
  isUuid,
  LineItem,
  LineItemQuery,
  LineItemRepository,
  LineItemResult,
  LineItemScope,
  NewLineItem,
} from '@tms/core';
import { FindOptionsWhere, IsNull } from 'typeorm';
import { TransactionContext } from '../database/transaction-context';
import { LineItemEntity, LineItemResultEntity } from '../entities';

@Injectable()
export class TypeOrmLineItemRepository extends LineItemRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  async ensureDeclarative(items: readonly NewLineItem[]): Promise<void> {
    if (items.length === 0) return;
    await this.tx
      .repository(LineItemEntity)
      .createQueryBuilder()
      .insert()
      .values(items.map((item) => ({ ...item, declarative: true })))
      .orIgnore() // ON CONFLICT DO NOTHING: the unique index keeps one per placement and context
      .execute();
  }

  async listDeclarative(scope: LineItemScope): Promise<LineItem[]> {
    const rows = await this.tx.repository(LineItemEntity).findBy({ ...where(scope), declarative: true });
    return rows.map(toLineItem);
  }

  async list(query: LineItemQuery): Promise<LineItem[]> {
    // Oldest first; the platform's own, made together, in the order of their activities in the course.
    const qb = this.tx
      .repository(LineItemEntity)
      .createQueryBuilder('li')
      .leftJoin('li.activity', 'a')
      .where('li.provider_id = :providerId AND li.course_id = :courseId', query)
      .andWhere(query.classId ? 'li.class_id = :classId' : 'li.class_id IS NULL', { classId: query.classId })
      .orderBy('li.created_at', 'ASC')
      .addOrderBy('a.position', 'ASC', 'NULLS LAST')
      .addOrderBy('li.id', 'ASC')
      .offset(query.offset)
      .limit(query.limit + 1);
    if (query.resourceLinkId !== undefined) qb.andWhere('li.resource_link_id = :rl', { rl: query.resourceLinkId });
    if (query.resourceId !== undefined) qb.andWhere('li.resource_id = :rid', { rid: query.resourceId });
    if (query.tag !== undefined) qb.andWhere('li.tag = :tag', { tag: query.tag });
    return (await qb.getMany()).map(toLineItem);
  }

  async find(scope: LineItemScope, id: string): Promise<LineItem | null> {
    if (!isUuid(id)) return null;
    const row = await this.tx.repository(LineItemEntity).findOneBy({ ...where(scope), id });
    return row && toLineItem(row);
  }

  async create(item: NewLineItem): Promise<LineItem> {
    const repository = this.tx.repository(LineItemEntity);
    return toLineItem(await repository.save(repository.create({ ...item })));
  }

  async update(id: string, changes: Partial<NewLineItem>): Promise<LineItem> {
    const repository = this.tx.repository(LineItemEntity);
    await repository.update({ id }, changes);
    const row = await repository.findOneBy({ id });
    if (!row) throw DomainError.notFound('Line item');
    return toLineItem(row);
  }

  async delete(id: string): Promise<void> {
    await this.tx.repository(LineItemEntity).delete({ id });
  }

  async findResult(lineItemId: string, enrollmentId: string): Promise<LineItemResult | null> {
    const row = await this.tx.repository(LineItemResultEntity).findOneBy({ lineItemId, enrollmentId });
    return row && toResult(row);
  }

  async saveResult(result: LineItemResult): Promise<void> {
    await this.tx.repository(LineItemResultEntity).upsert({ ...result }, ['lineItemId', 'enrollmentId']);
  }

  async listResults(query: {
    lineItemId: string;
    ltiUserId?: string;
    offset: number;
    limit: number;
  }): Promise<LineItemResult[]> {
    const qb = this.tx
      .repository(LineItemResultEntity)
      .createQueryBuilder('r')
      .innerJoin('r.enrollment', 'e', `e.status = 'active'`)
      .where('r.line_item_id = :lineItemId', { lineItemId: query.lineItemId })
      .orderBy('r.scored_at', 'ASC')
      .addOrderBy('r.enrollment_id', 'ASC')
      .offset(query.offset)
      .limit(query.limit + 1);
    if (query.ltiUserId !== undefined) qb.andWhere('r.lti_user_id = :userId', { userId: query.ltiUserId });
    return (await qb.getMany()).map(toResult);
  }
}

function where(scope: LineItemScope): FindOptionsWhere<LineItemEntity> {
  return { providerId: scope.providerId, courseId: scope.courseId, classId: scope.classId ?? IsNull() };
}

function toLineItem(row: LineItemEntity): LineItem {
  return {
    id: row.id,
    providerId: row.providerId,
    courseId: row.courseId,
    classId: row.classId,
    activityId: row.activityId,
    declarative: row.declarative,
    label: row.label,
    scoreMaximum: row.scoreMaximum,
    resourceLinkId: row.resourceLinkId,
    resourceId: row.resourceId,
    tag: row.tag,
    startDateTime: row.startDateTime,
    endDateTime: row.endDateTime,
    gradesReleased: row.gradesReleased,
    submissionReview: row.submissionReview,
  };
}

function toResult(row: LineItemResultEntity): LineItemResult {
  return {
    lineItemId: row.lineItemId,
    enrollmentId: row.enrollmentId,
    ltiUserId: row.ltiUserId,
    scoreGiven: row.scoreGiven,
    scoreMaximum: row.scoreMaximum,
    comment: row.comment,
    activityProgress: row.activityProgress,
    gradingProgress: row.gradingProgress,
    scoredAt: row.scoredAt,
  };
}
