import { Injectable } from '@nestjs/common';
import {
  LaunchRecord,
  LaunchRepository,
  NewLaunchRecord,
  NewScoreLedgerEntry,
  OAuthNonceRepository,
  Page,
  pageOffset,
  ScoreLedgerEntry,
  ScoreLedgerQuery,
  ScoreLedgerRepository,
} from '@tms/core';
import { LessThan } from 'typeorm';
import { TransactionContext } from '../database/transaction-context';
import { LtiLaunchEntity, OAuthNonceEntity, ScoreLedgerEntity } from '../entities';

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

  async list(query: ScoreLedgerQuery): Promise<Page<ScoreLedgerEntry & { providerName: string | null }>> {
    const qb = this.tx
      .repository(ScoreLedgerEntity)
      .createQueryBuilder('s')
      .leftJoinAndSelect('s.provider', 'p')
      .orderBy('s.received_at', 'DESC')
      .addOrderBy('s.id', 'DESC')
      .skip(pageOffset(query))
      .take(query.limit);
    if (query.organizationIds) qb.andWhere('s.organization_id = ANY(:orgs)', { orgs: query.organizationIds });
    if (query.enrollmentIds) qb.andWhere('s.enrollment_id = ANY(:enrollments)', { enrollments: query.enrollmentIds });
    if (query.providerId) qb.andWhere('s.provider_id = :providerId', { providerId: query.providerId });
    if (query.decision) qb.andWhere('s.decision = :decision', { decision: query.decision });
    const [rows, total] = await qb.getManyAndCount();
    const items = rows.map(({ provider, organization: _o, enrollment: _e, activity: _a, user: _u, ...entry }) => ({
      ...entry,
      providerName: provider?.name ?? null,
    }));
    return { items, total, page: query.page, limit: query.limit };
  }
}
