import { Injectable } from '@nestjs/common';
import { LaunchRecord, LaunchRepository, NewLaunchRecord } from '@tms/core';
import { TransactionContext } from '../database/transaction-context';
import { LtiLaunchEntity } from '../entities';

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
