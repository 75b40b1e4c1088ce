import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { TransactionContext } from '../database/transaction-context';
import type { ScopedColumn } from './tenant-scope.sql';

/**
 * The availability rows of providers and links (`<table>(<owner column>, organization_id)`),
 * shared by both repositories.
 */
export class AvailabilityTable {
  constructor(
    private readonly tx: TransactionContext,
    readonly table: 'lti_provider_availability' | 'lti_resource_link_availability',
    readonly ownerColumn: 'provider_id' | 'resource_link_id',
  ) {}

  async load(ownerIds: readonly string[]): Promise<Map<string, string[]>> {
    const byOwner = new Map<string, string[]>(ownerIds.map((id) => [id, []]));
    if (ownerIds.length === 0) return byOwner;
    const rows = await this.tx.query<{ owner: string; organization_id: string }>(
      `SELECT ${this.ownerColumn} AS owner, organization_id FROM ${this.table}
        WHERE ${this.ownerColumn} = ANY($1::uuid[]) ORDER BY organization_id`,
      [ownerIds],
    );
    for (const row of rows) byOwner.get(row.owner)?.push(row.organization_id);
    return byOwner;
  }

  /**
   * The rows `query` (over the owner's table, aliased `alias`) selects, each with its availability,
   * in one statement: the launch and outcome paths read a provider and a link on every request.
   */
  async withAvailability<E extends ObjectLiteral>(
    query: SelectQueryBuilder<E>,
    alias: string,
  ): Promise<Array<{ entity: E; availability: string[] }>> {
    const { entities, raw } = await query
      .addSelect(
        `ARRAY(SELECT av.organization_id::text FROM ${this.table} av
          WHERE av.${this.ownerColumn} = ${alias}.id ORDER BY av.organization_id)`,
        'availability',
      )
      .getRawAndEntities<{ availability: string[] }>();
    return entities.map((entity, index) => ({ entity, availability: raw[index].availability }));
  }

  async replace(ownerId: string, organizationIds: readonly string[]): Promise<void> {
    await this.tx.query(`DELETE FROM ${this.table} WHERE ${this.ownerColumn} = $1`, [ownerId]);
    if (organizationIds.length === 0) return;
    await this.tx.query(
      `INSERT INTO ${this.table} (${this.ownerColumn}, organization_id)
       SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
      [ownerId, [...new Set(organizationIds)]],
    );
  }

  /** SQL: the row aliased `alias` has an availability row whose organization satisfies `condition` (on `av.organization_id`). */
  availableWhere(alias: string, condition: (column: ScopedColumn) => string): string {
    const av = `av_${alias}`;
    return `EXISTS (SELECT 1 FROM ${this.table} ${av} WHERE ${av}.${this.ownerColumn} = ${alias}.id AND ${condition(`${av}.organization_id`)})`;
  }
}
