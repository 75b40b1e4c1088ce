import { Injectable } from '@nestjs/common';
import {
  NewRefusedAuthorization,
  Page,
  PageRequest,
  pageOffset,
  RefusedAuthorization,
  RefusedAuthorizationRepository,
} from '@tms/core';
import { IsNull } from 'typeorm';
import { TransactionContext } from '../database/transaction-context';
import { RefusedAuthorizationEntity } from '../entities';

function toRefusal(entity: RefusedAuthorizationEntity): RefusedAuthorization {
  const { provider: _p, ...refusal } = entity;
  return refusal;
}

@Injectable()
export class TypeOrmRefusedAuthorizationRepository extends RefusedAuthorizationRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  /**
   * Kept only while fewer than `perMinute` of the same provider (or of no provider) were kept this
   * minute. A transaction-scoped advisory lock per source makes concurrent refusals count one after
   * another, so a flood keeps exactly the bound, in every process at once.
   */
  record(refusal: NewRefusedAuthorization, perMinute: number): Promise<boolean> {
    return this.tx.run(async () => {
      await this.tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `lti1p3_refused_authorizations:${refusal.providerId ?? 'unknown client'}`,
      ]);
      return this.insertWithin(refusal, perMinute);
    });
  }

  private async insertWithin(refusal: NewRefusedAuthorization, perMinute: number): Promise<boolean> {
    const sameSource = refusal.providerId === null ? 'provider_id IS NULL' : 'provider_id = $1';
    const rows: unknown[] = await this.tx.query(
      `INSERT INTO lti1p3_refused_authorizations
         (provider_id, client_id, error, description, parameters, redirect_uri, registered_redirect_uris)
       SELECT $1::uuid, $2, $3, $4, $5::jsonb, $6, $7::text[]
        WHERE (SELECT count(*) FROM lti1p3_refused_authorizations
                WHERE ${sameSource} AND created_at > now() - interval '1 minute') < $8
       RETURNING id`,
      [
        refusal.providerId,
        refusal.clientId,
        refusal.error,
        refusal.description,
        JSON.stringify(refusal.parameters),
        refusal.redirectUri,
        [...refusal.registeredRedirectUris],
        perMinute,
      ],
    );
    return rows.length === 1;
  }

  async findById(id: string): Promise<RefusedAuthorization | null> {
    const row = await this.tx.repository(RefusedAuthorizationEntity).findOneBy({ id });
    return row && toRefusal(row);
  }

  async list(providerId: string | null, page: PageRequest): Promise<Page<RefusedAuthorization>> {
    const [rows, total] = await this.tx.repository(RefusedAuthorizationEntity).findAndCount({
      where: { providerId: providerId ?? IsNull() },
      order: { createdAt: 'DESC', id: 'ASC' },
      skip: pageOffset(page),
      take: page.limit,
    });
    return { items: rows.map(toRefusal), total, page: page.page, limit: page.limit };
  }

  /** Bounded, so one run never holds a long lock; concurrent runs delete disjoint or already-gone rows. */
  async deleteOlderThan(before: Date, limit: number): Promise<number> {
    const [{ count }] = await this.tx.query<{ count: number }>(
      `WITH gone AS (
         DELETE FROM lti1p3_refused_authorizations
          WHERE id IN (SELECT id FROM lti1p3_refused_authorizations WHERE created_at < $1 LIMIT $2)
         RETURNING 1)
       SELECT count(*)::int AS count FROM gone`,
      [before, limit],
    );
    return count;
  }
}
