import { Injectable } from '@nestjs/common';
import {
  ContentItemRequest,
  ContentItemRequestRepository,
  LaunchRecord,
  LaunchRepository,
  NewLaunchRecord,
  NewScoreLedgerEntry,
  OAuthNonceRepository,
  Page,
  pageOffset,
  ScoreLedgerQuery,
  ScoreLedgerRepository,
  ScoreLedgerView,
  TenantScope,
} from '@tms/core';
import { LessThan } from 'typeorm';
import { TransactionContext } from '../database/transaction-context';
import { ContentItemRequestEntity, LtiLaunchEntity, OAuthNonceEntity, ScoreLedgerEntity } from '../entities';
import { inScope, platformWide, scopeParameters } from './tenant-scope.sql';

@Injectable()
export class TypeOrmLaunchRepository extends LaunchRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  async record(launch: NewLaunchRecord): Promise<void> {
    await this.tx
      .repository(LtiLaunchEntity)
      .insert({ ...launch, roles: [...launch.roles], piiSent: [...launch.piiSent] });
  }

  async findById(id: string): Promise<LaunchRecord | null> {
    const row = await this.tx.repository(LtiLaunchEntity).findOneBy({ id });
    if (!row) return null;
    const { user: _u, enrollment: _e, activity: _a, resourceLink: _r, provider: _p, ...launch } = row;
    return launch;
  }
}

@Injectable()
export class TypeOrmOAuthNonceRepository extends OAuthNonceRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  /** The primary key decides, atomically across processes: a second insert of the pair inserts nothing. */
  async consume(providerId: string, nonce: string, expiresAt: Date): Promise<boolean> {
    const rows = await this.tx.query<{ nonce: string }>(
      `INSERT INTO oauth_nonces (provider_id, nonce, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (provider_id, nonce) DO NOTHING RETURNING nonce`,
      [providerId, nonce.slice(0, 255), expiresAt],
    );
    return rows.length === 1;
  }

  async deleteExpired(now: Date): Promise<number> {
    const result = await this.tx.repository(OAuthNonceEntity).delete({ expiresAt: LessThan(now) });
    return result.affected ?? 0;
  }
}

@Injectable()
export class TypeOrmScoreLedgerRepository extends ScoreLedgerRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  async record(entry: NewScoreLedgerEntry): Promise<void> {
    await this.tx.repository(ScoreLedgerEntity).insert(entry);
  }

  async list(scope: TenantScope, query: ScoreLedgerQuery): Promise<Page<ScoreLedgerView>> {
    const qb = this.tx
      .repository(ScoreLedgerEntity)
      .createQueryBuilder('s')
      .where(
        query.organizationId
          ? `s.organization_id = :organizationId AND ${inScope('s.organization_id')}`
          : `(${inScope('s.organization_id')} OR ${platformWide('s.organization_id')})`,
        { ...scopeParameters(scope), organizationId: query.organizationId },
      )
      .leftJoinAndSelect('s.provider', 'p')
      .leftJoinAndSelect('s.user', 'u')
      .leftJoinAndSelect('s.activity', 'a')
      .orderBy('s.received_at', 'DESC')
      .addOrderBy('s.id', 'DESC')
      .skip(pageOffset(query))
      .take(query.limit);
    if (query.providerId) qb.andWhere('s.provider_id = :providerId', { providerId: query.providerId });
    if (query.decision) qb.andWhere('s.decision = :decision', { decision: query.decision });
    const [rows, total] = await qb.getManyAndCount();
    const items = rows.map(({ provider, organization: _o, enrollment: _e, activity, user, ...entry }) => ({
      ...entry,
      providerName: provider?.name ?? null,
      userName: user?.name ?? null,
      activityTitle: activity?.title ?? null,
    }));
    return { items, total, page: query.page, limit: query.limit };
  }
}

@Injectable()
export class TypeOrmContentItemRequestRepository extends ContentItemRequestRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  async create(input: Omit<ContentItemRequest, 'id'>): Promise<ContentItemRequest> {
    const row = await this.tx.repository(ContentItemRequestEntity).save({ ...input, consumedAt: null });
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
  async consume(id: string, providerId: string, now: Date): Promise<ContentItemRequest | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
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
