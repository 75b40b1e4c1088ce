import { Injectable } from '@nestjs/common';
import { NewSelfTestRun, SelfTestRun, SelfTestRunRepository } from '@tms/core';
import { TransactionContext } from '../database/transaction-context';
import { SelfTestRunEntity } from '../entities';

function toRun(entity: SelfTestRunEntity): SelfTestRun {
  const { provider: _p, ...run } = entity;
  return run;
}

@Injectable()
export class TypeOrmSelfTestRunRepository extends SelfTestRunRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  async record(run: NewSelfTestRun): Promise<SelfTestRun> {
    return toRun(await this.tx.repository(SelfTestRunEntity).save({ ...run, detail: run.detail as never }));
  }

  async findById(id: string): Promise<SelfTestRun | null> {
    const row = await this.tx.repository(SelfTestRunEntity).findOneBy({ id });
    return row && toRun(row);
  }

  async listForProvider(providerId: string, limit: number): Promise<SelfTestRun[]> {
    const rows = await this.tx
      .repository(SelfTestRunEntity)
      .find({ where: { providerId }, order: { createdAt: 'DESC', id: 'ASC' }, take: limit });
    return rows.map(toRun);
  }
}
