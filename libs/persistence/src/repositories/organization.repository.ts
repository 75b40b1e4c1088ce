import { Injectable } from '@nestjs/common';
import {
  DomainError,
  isUuid,
  countHorizon,
  Organization,
  OrganizationAtDepth,
  OrganizationFilter,
  OrganizationRepository,
  Page,
  pageOffset,
  PageRequest,
  TenantScope,
} from '@tms/core';
import { MembershipEntity, OrganizationEntity } from '../entities';
import { TransactionContext } from '../database/transaction-context';
import { isCheckViolation, isUniqueViolation, likeContains } from './postgres-errors';
import { cappedAt } from './capped-count';
import { inScope, inScopeRaw, listScopeRaw, requireCovered, scopeParameters, scopeValues } from './tenant-scope.sql';

const SIBLING_NAME_TAKEN = () => DomainError.conflictOn('name', 'An organization with this name already exists here');

const MOVE_UNDER_ITSELF = () =>
  DomainError.invalidField('parentId', 'An organization cannot move under itself or one of its descendants');

@Injectable()
export class TypeOrmOrganizationRepository extends OrganizationRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  private get repo() {
    return this.tx.repository(OrganizationEntity);
  }

  async findInScope(scope: TenantScope, id: string): Promise<Organization | null> {
    if (!isUuid(id)) return null;
    return this.repo
      .createQueryBuilder('o')
      .where('o.id = :id', { id })
      .andWhere(inScope('o.id'), scopeParameters(scope))
      .getOne();
  }

  async listInScope(scope: TenantScope): Promise<Organization[]> {
    return this.repo
      .createQueryBuilder('o')
      .where(inScope('o.id'), scopeParameters(scope))
      .orderBy('o.name', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .getMany();
  }

  async listPage(scope: TenantScope, query: PageRequest & OrganizationFilter): Promise<Page<OrganizationAtDepth>> {
    const filters = [
      query.search ? likeContains(query.search) : null,
      query.parentId && isUuid(query.parentId) ? query.parentId : null,
      query.outsideOf && isUuid(query.outsideOf) ? query.outsideOf : null,
    ];
    const filtered = `($3::text IS NULL OR o.name ILIKE $3 ESCAPE '\\')
      AND ($4::uuid IS NULL OR o.parent_id = $4)
      AND ($5::uuid IS NULL OR NOT EXISTS (SELECT 1 FROM organization_closure x
                                             WHERE x.ancestor_id = $5 AND x.descendant_id = o.id))`;
    // The depth below the farthest covered ancestor is null outside the scope: read row by row in
    // tree order, the page ends after `limit` rows in scope instead of collecting the whole subtree
    // (from the covered set instead when the scope is a small share of all organizations).
    const covered = await listScopeRaw(this.tx, scope);
    const rows = await this.tx.query<OrganizationAtDepth>(
      `SELECT o.id, o.name, o.parent_id AS "parentId", o.created_at AS "createdAt", o.updated_at AS "updatedAt", d.depth
         FROM organizations o
        CROSS JOIN LATERAL (SELECT max(oc.depth) AS depth FROM organization_closure oc
                              JOIN memberships sm ON sm.organization_id = oc.ancestor_id
                             WHERE oc.descendant_id = o.id AND sm.user_id = $1
                               AND sm.role = ANY(CAST($2 AS varchar[]))) d
        WHERE d.depth IS NOT NULL AND ${covered('o.id', '$1', '$2')} AND ${filtered}
        ORDER BY o.tree_path LIMIT $6 OFFSET $7`,
      [...scopeValues(scope), ...filters, query.limit, pageOffset(query)],
    );
    // Counted no further than the page's horizon.
    const horizon = countHorizon(query);
    const [{ n }] = await this.tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM organizations o
        WHERE ${covered('o.id', '$1', '$2')} AND ${filtered} LIMIT $6) AS counted`,
      [...scopeValues(scope), ...filters, horizon + 1],
    );
    return { items: rows, ...cappedAt(n, horizon), page: query.page, limit: query.limit };
  }

  async searchPaths(
    scope: TenantScope,
    text: string,
    limit: number,
  ): Promise<{ items: Array<OrganizationAtDepth & { path: string }>; total: number }> {
    // tree_path holds lower-cased names from the root; the slice keeps those from the scope's top down.
    const covered = await listScopeRaw(this.tx, scope);
    const rows = await this.tx.query<OrganizationAtDepth & { path: string; total: number }>(
      `WITH covered AS (
         SELECT o.*, (SELECT max(oc.depth) FROM organization_closure oc
                        JOIN memberships sm ON sm.organization_id = oc.ancestor_id
                       WHERE oc.descendant_id = o.id AND sm.user_id = $1
                         AND sm.role = ANY(CAST($2 AS varchar[]))) AS depth
           FROM organizations o WHERE ${covered('o.id', '$1', '$2')}),
       matched AS (
         SELECT * FROM covered
          WHERE array_to_string(tree_path[cardinality(tree_path) - depth:], ' / ') LIKE $3 ESCAPE '\\')
       SELECT m.id, m.name, m.parent_id AS "parentId", m.created_at AS "createdAt", m.updated_at AS "updatedAt",
              m.depth, count(*) OVER ()::int AS total,
              (SELECT string_agg(a.name, ' / ' ORDER BY c.depth DESC) FROM organization_closure c
                 JOIN organizations a ON a.id = c.ancestor_id
                WHERE c.descendant_id = m.id AND c.depth <= m.depth) AS path
         FROM matched m ORDER BY m.tree_path LIMIT $4`,
      [...scopeValues(scope), likeContains(text.trim().toLowerCase()), limit],
    );
    return { items: rows.map(({ total: _total, ...match }) => match), total: rows[0]?.total ?? 0 };
  }

  async filterInScope(scope: TenantScope, ids: readonly string[]): Promise<string[]> {
    const candidates = ids.filter(isUuid);
    if (candidates.length === 0) return [];
    const rows = await this.tx.query<{ id: string }>(
      `SELECT candidate.id FROM unnest($1::uuid[]) AS candidate(id) WHERE ${inScopeRaw('candidate.id', '$2', '$3')}`,
      [candidates, ...scopeValues(scope)],
    );
    return rows.map((row) => row.id);
  }

  async scopeTops(scope: TenantScope): Promise<string[]> {
    // A covered organization is a top when no proper ancestor of it is covered as well.
    const rows = await this.tx.query<{ id: string }>(
      `SELECT DISTINCT m.organization_id AS id FROM memberships m
        WHERE m.user_id = $1 AND m.role = ANY(CAST($2 AS varchar[]))
          AND NOT EXISTS (
            SELECT 1 FROM organization_closure up
             WHERE up.descendant_id = m.organization_id AND up.depth > 0
               AND ${inScopeRaw('up.ancestor_id', '$1', '$2')})
        ORDER BY id`,
      scopeValues(scope),
    );
    return rows.map((row) => row.id);
  }

  async findLineageIds(ids: readonly string[]): Promise<string[]> {
    const candidates = ids.filter(isUuid);
    if (candidates.length === 0) return [];
    const rows = await this.tx.query<{ id: string }>(
      'SELECT DISTINCT ancestor_id AS id FROM organization_closure WHERE descendant_id = ANY($1::uuid[])',
      [candidates],
    );
    return rows.map((row) => row.id);
  }

  async isWithin(organizationId: string, ancestorId: string): Promise<boolean> {
    if (!isUuid(organizationId) || !isUuid(ancestorId)) return false;
    const rows = await this.tx.query(
      'SELECT 1 FROM organization_closure WHERE ancestor_id = $1 AND descendant_id = $2',
      [ancestorId, organizationId],
    );
    return rows.length > 0;
  }

  async create(scope: TenantScope, input: { name: string; parentId: string | null }): Promise<Organization> {
    return this.tx.run(async () => {
      if (input.parentId !== null) {
        await requireCovered(this.tx, scope, input.parentId, 'Organization');
        return this.insert(input);
      }
      if (!scope.platformAdmin) throw DomainError.notFound('Organization');
      const created = await this.insert(input);
      await this.tx
        .repository(MembershipEntity)
        .insert({ userId: scope.userId, organizationId: created.id, role: 'site_admin' });
      return created;
    });
  }

  createForBootstrap(name: string): Promise<Organization> {
    return this.insert({ name, parentId: null });
  }

  async update(
    scope: TenantScope,
    id: string,
    changes: { name: string; parentId: string | null },
  ): Promise<Organization> {
    return this.tx.run(async () => {
      const current = await this.findInScope(scope, id);
      if (!current) throw DomainError.notFound('Organization');
      if (changes.parentId !== current.parentId) {
        if (changes.parentId === null) throw DomainError.notFound('Organization');
        await requireCovered(this.tx, scope, changes.parentId, 'Organization');
      }
      try {
        await this.repo.update({ id }, changes);
      } catch (error) {
        if (isUniqueViolation(error, 'organizations_sibling_name_uq')) throw SIBLING_NAME_TAKEN();
        if (isCheckViolation(error, 'organizations_no_cycle')) throw MOVE_UNDER_ITSELF();
        throw error;
      }
      return this.repo.findOneByOrFail({ id });
    });
  }

  private async insert(input: { name: string; parentId: string | null }): Promise<Organization> {
    try {
      return await this.repo.save(this.repo.create(input));
    } catch (error) {
      if (isUniqueViolation(error, 'organizations_sibling_name_uq')) throw SIBLING_NAME_TAKEN();
      throw error;
    }
  }
}
