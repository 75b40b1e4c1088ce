import { Injectable } from '@nestjs/common';
import { isUuid, Membership, MembershipRepository, Role, TenantScope } from '@tms/core';
import { MembershipEntity } from '../entities';
import { TransactionContext } from '../database/transaction-context';
import { inScope, requireCovered, scopeParameters } from './tenant-scope.sql';

@Injectable()
export class TypeOrmMembershipRepository extends MembershipRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  private get repo() {
    return this.tx.repository(MembershipEntity);
  }

  async listForUser(userId: string): Promise<Membership[]> {
    return this.repo.find({ where: { userId }, order: { createdAt: 'ASC' } });
  }

  async listForUserInScope(scope: TenantScope, userId: string): Promise<Membership[]> {
    if (!isUuid(userId)) return [];
    return this.repo
      .createQueryBuilder('m')
      .where('m.user_id = :userId', { userId })
      .andWhere(inScope('m.organization_id'), scopeParameters(scope))
      .orderBy('m.created_at', 'ASC')
      .getMany();
  }

  async add(scope: TenantScope, input: { userId: string; organizationId: string; role: Role }): Promise<Membership> {
    return this.tx.run(async () => {
      await requireCovered(this.tx, scope, input.organizationId, 'Organization');
      // ON CONFLICT keeps concurrent identical requests from failing on the unique constraint.
      await this.repo
        .createQueryBuilder()
        .insert()
        .values({ ...input })
        .orIgnore()
        .execute();
      return this.repo.findOneByOrFail({
        userId: input.userId,
        organizationId: input.organizationId,
        role: input.role,
      });
    });
  }

  async remove(scope: TenantScope, userId: string, membershipId: string): Promise<boolean> {
    if (!isUuid(membershipId)) return false;
    const result = await this.repo
      .createQueryBuilder()
      .delete()
      .where('id = :membershipId AND user_id = :userId', { membershipId, userId })
      .andWhere(inScope('memberships.organization_id'), scopeParameters(scope))
      .execute();
    return (result.affected ?? 0) > 0;
  }
}
