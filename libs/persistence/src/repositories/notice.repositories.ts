import { Injectable } from '@nestjs/common';
import {
  NewNoticeDelivery,
  NoticeDelivery,
  NoticeDeliveryRepository,
  NoticeHandler,
  NoticeHandlerRepository,
  Page,
  pageOffset,
  PageRequest,
} from '@tms/core';
import type { NoticeType } from '@tms/lti';
import { TransactionContext } from '../database/transaction-context';

@Injectable()
export class TypeOrmNoticeHandlerRepository extends NoticeHandlerRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  async list(providerId: string): Promise<NoticeHandler[]> {
    const rows = await this.tx.query<{ notice_type: NoticeType; handler: string }>(
      'SELECT notice_type, handler FROM notice_handlers WHERE provider_id = $1 ORDER BY notice_type',
      [providerId],
    );
    return rows.map((row) => ({ noticeType: row.notice_type, handler: row.handler }));
  }

  async put(providerId: string, noticeType: NoticeType, handler: string | null): Promise<void> {
    if (handler === null) {
      await this.tx.query('DELETE FROM notice_handlers WHERE provider_id = $1 AND notice_type = $2', [
        providerId,
        noticeType,
      ]);
      return;
    }
    await this.tx.query(
      `INSERT INTO notice_handlers (provider_id, notice_type, handler) VALUES ($1, $2, $3)
       ON CONFLICT (provider_id, notice_type) DO UPDATE SET handler = EXCLUDED.handler, updated_at = now()`,
      [providerId, noticeType, handler],
    );
  }

  async findFor(providerIds: readonly string[], noticeType: NoticeType): Promise<Map<string, string>> {
    if (providerIds.length === 0) return new Map();
    const rows = await this.tx.query<{ provider_id: string; handler: string }>(
      'SELECT provider_id, handler FROM notice_handlers WHERE provider_id = ANY($1) AND notice_type = $2',
      [providerIds, noticeType],
    );
    return new Map(rows.map((row) => [row.provider_id, row.handler]));
  }
}

interface DeliveryRow {
  id: string;
  provider_id: string;
  notice_type: NoticeType;
  handler: string;
  claims: Record<string, unknown>;
  status: NoticeDelivery['status'];
  attempts: number;
  next_attempt_at: Date | null;
  last_attempt_at: Date | null;
  last_error: string | null;
  sent_at: Date | null;
  created_at: Date;
}

function toDelivery(row: DeliveryRow): NoticeDelivery {
  return {
    id: row.id,
    providerId: row.provider_id,
    noticeType: row.notice_type,
    handler: row.handler,
    claims: row.claims,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastAttemptAt: row.last_attempt_at,
    lastError: row.last_error,
    sentAt: row.sent_at,
    createdAt: row.created_at,
  };
}

/** The notice queue: plain SQL, since claiming is one statement (FOR UPDATE SKIP LOCKED, then the lease). */
@Injectable()
export class TypeOrmNoticeDeliveryRepository extends NoticeDeliveryRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  async enqueue(delivery: NewNoticeDelivery): Promise<NoticeDelivery> {
    const [row] = await this.tx.query<DeliveryRow>(
      `INSERT INTO notice_deliveries (id, provider_id, notice_type, handler, claims, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5, now()) RETURNING *`,
      [delivery.id, delivery.providerId, delivery.noticeType, delivery.handler, JSON.stringify(delivery.claims)],
    );
    return toDelivery(row);
  }

  async claimDue(limit: number, leaseSeconds: number): Promise<NoticeDelivery[]> {
    const rows = await this.tx.query<DeliveryRow>(
      // In a CTE: TypeORM answers a bare UPDATE with [rows, count], a SELECT with the rows.
      `WITH claimed AS (
         UPDATE notice_deliveries d
            SET attempts = d.attempts + 1, last_attempt_at = now(),
                next_attempt_at = now() + make_interval(secs => $2)
          WHERE d.id IN (SELECT id FROM notice_deliveries
                          WHERE status = 'pending' AND next_attempt_at <= now()
                          ORDER BY next_attempt_at
                          LIMIT $1
                          FOR UPDATE SKIP LOCKED)
          RETURNING d.*)
       SELECT * FROM claimed`,
      [limit, leaseSeconds],
    );
    return rows.map(toDelivery);
  }

  async markSent(id: string): Promise<void> {
    await this.tx.query(
      `UPDATE notice_deliveries SET status = 'sent', sent_at = now(), next_attempt_at = NULL, last_error = NULL
        WHERE id = $1 AND status = 'pending'`,
      [id],
    );
  }

  async markAttemptFailed(id: string, error: string, retryAt: Date | null): Promise<void> {
    await this.tx.query(
      `UPDATE notice_deliveries
          SET status = CASE WHEN $3::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
              next_attempt_at = $3, last_error = left($2, 500)
        WHERE id = $1 AND status = 'pending'`,
      [id, error, retryAt],
    );
  }

  async listForProvider(providerId: string, page: PageRequest): Promise<Page<NoticeDelivery>> {
    const rows = await this.tx.query<DeliveryRow & { total: number }>(
      `SELECT *, count(*) OVER ()::int AS total FROM notice_deliveries WHERE provider_id = $1
        ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`,
      [providerId, page.limit, pageOffset(page)],
    );
    const total = rows[0]?.total ?? (await this.count(providerId));
    return { items: rows.map(toDelivery), total, page: page.page, limit: page.limit };
  }

  private async count(providerId: string): Promise<number> {
    const [row] = await this.tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM notice_deliveries WHERE provider_id = $1',
      [providerId],
    );
    return row.n;
  }
}
