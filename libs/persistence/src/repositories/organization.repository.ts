import { Injectable } from '@nestjs/common';
import { DomainError, Organization, OrganizationRepository, ScopedOrganization } from '@tms/core';
import { In } from 'typeorm';
import { OrganizationEntity } from '../entities';
import { TransactionContext } from '../database/transaction-context';
import { isUniqueViolation } from './postgres-errors';

const SIBLING_NAME_TAKEN = () => DomainError.conflictOn('name', 'An organization with this name already exists here');

@Injectable()
export class TypeOrmOrganizationRepository extends OrganizationRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  private get repo() {
    return this.tx.repository(OrganizationEntity);
  }

  async findById(id: string): Promise<Organization | null> {
    return this.repo.findOneBy({ id });
  }

  async listByIds(ids: readonly string[]): Promise<Organization[]> {
    if (ids.length === 0) return [];
    return this.repo.find({ where: { id: In([...ids]) }, order: { name: 'ASC' } });
  }

  findManaged(userId: string): Promise<ScopedOrganization[]> {
    return this.findInRoleScope(userId, ['site_admin']);
  }

  async findInRoleScope(userId: string, roles: readonly string[]): Promise<ScopedOrganization[]> {
    const rows: Array<{ id: string; parent_id: string | null }> = await this.repo.query(
      `WITH RECURSIVE scope AS (
         SELECT o.id, o.parent_id FROM organizations o
           JOIN memberships m ON m.organization_id = o.id
          WHERE m.user_id = $1 AND m.role = ANY($2::varchar[])
         UNION
         SELECT c.id, c.parent_id FROM organizations c JOIN scope p ON c.parent_id = p.id
       )
       SELECT id, parent_id FROM scope`,
      [userId, roles],
    );
    return rows.map((row) => ({ id: row.id, parentId: row.parent_id }));
  }

  async findLineageIds(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows: Array<{ id: string }> = await this.repo.query(
      `WITH RECURSIVE lineage AS (
         SELECT id, parent_id FROM organizations WHERE id = ANY($1::uuid[])
         UNION
         SELECT p.id, p.parent_id FROM organizations p JOIN lineage l ON l.parent_id = p.id
       )
       SELECT id FROM lineage`,
      [ids],
    );
    return rows.map((row) => row.id);
  }

  async findSubtreeIds(id: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.repo.query(
      `WITH RECURSIVE subtree AS (
         SELECT id FROM organizations WHERE id = $1
         UNION
         SELECT c.id FROM organizations c JOIN subtree s ON c.parent_id = s.id
       )
       SELECT id FROM subtree`,
      [id],
    );
    return rows.map((row) => row.id);
  }

  async create(input: { name: string; parentId: string | null }): Promise<Organization> {
    try {
      return await this.repo.save(this.repo.create(input));
    } catch (error) {
      if (isUniqueViolation(error, 'organizations_sibling_name_uq')) throw SIBLING_NAME_TAKEN();
      throw error;
    }
  }

  async update(id: string, changes: { name: string; parentId: string | null }): Promise<Organization> {
    try {
      await this.repo.update({ id }, changes);
    } catch (error) {
      if (isUniqueViolation(error, 'organizations_sibling_name_uq')) throw SIBLING_NAME_TAKEN();
      throw error;
    }
    return this.repo.findOneByOrFail({ id });
  }
}
