import { Injectable } from '@nestjs/common';
import { ContentSelectionRequest, ContentSelectionRequestRepository, isUuid } from '@tms/core';
import { TransactionContext } from '../database/transaction-context';
import { ContentSelectionRequestEntity } from '../entities';

@Injectable()
export class TypeOrmContentSelectionRequestRepository extends ContentSelectionRequestRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  async create(input: Omit<ContentSelectionRequest, 'id'>): Promise<ContentSelectionRequest> {
    const row = await this.tx.repository(ContentSelectionRequestEntity).save({ ...input, consumedAt: null });
    return {
      id: row.id,
      userId: row.userId,
      courseId: row.courseId,
      providerId: row.providerId,
      acceptMultiple: row.acceptMultiple,
      expiresAt: row.expiresAt,
    };
  }

  /** One UPDATE decides: a second return of the same selection finds the row already consumed. */
  async consume(id: string, providerId: string, now: Date): Promise<ContentSelectionRequest | null> {
    if (!isUuid(id)) return null;
    const rows = await this.tx.query<{
      id: string;
      user_id: string;
      course_id: string;
      provider_id: string;
      accept_multiple: boolean;
      expires_at: Date;
    }>(
      `UPDATE content_item_requests SET consumed_at = $3
        WHERE id = $1 AND provider_id = $2 AND consumed_at IS NULL AND expires_at > $3
        RETURNING id, user_id, course_id, provider_id, accept_multiple, expires_at`,
      [id, providerId, now],
    );
    const row = Array.isArray(rows[0]) ? (rows[0] as unknown as typeof rows)[0] : rows[0];
    return row
      ? {
          id: row.id,
          userId: row.user_id,
          courseId: row.course_id,
          providerId: row.provider_id,
          acceptMultiple: row.accept_multiple,
          expiresAt: row.expires_at,
        }
      : null;
  }
}
