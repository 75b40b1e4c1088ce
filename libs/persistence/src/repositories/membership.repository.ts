import { Injectable } from '@nestjs/common';
import { Membership, MembershipRepository, Role } from '@tms/core';
import { MembershipEntity } from '../entities';
import { TransactionContext } from '../database/transaction-context';

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

  async add(input: { userId: string; organizationId: string; role: Role }): Promise<Membership> {
    // ON CONFLICT keeps concurrent identical requests from failing on the unique constraint.
    await this.repo
      .createQueryBuilder()
      .insert()
      .values({ ...input })
      .orIgnore()
      .execute();
    return this.repo.findOneByOrFail({ userId: input.userId, organizationId: input.organizationId, role: input.role });
  }

  async remove(userId: string, membershipId: string): Promise<boolean> {
    const result = await this.repo.delete({ id: membershipId, userId });
    return (result.affected ?? 0) > 0;
  }
}
