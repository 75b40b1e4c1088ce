import { Injectable } from '@nestjs/common';
import { LaunchRecord, LaunchRepository, NewLaunchRecord } from '@tms/core';
import { TransactionContext } from '../database/transaction-context';
import { LtiLaunchEntity } from '../entities';

function toLaunch(row: LtiLaunchEntity): LaunchRecord {
  const { user: _u, enrollment: _e, activity: _a, resourceLink: _r, provider: _p, ...launch } = row;
  return launch;
}

@Injectable()
export class TypeOrmLaunchRepository extends LaunchRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  async record(launch: NewLaunchRecord): Promise<void> {
    await this.tx
      .repository(LtiLaunchEntity)
      .insert({ ...launch, roles: [...launch.roles], piiSent: [...launch.piiSent], sent: launch.sent as never });
  }

  async findById(id: string): Promise<LaunchRecord | null> {
    const row = await this.tx.repository(LtiLaunchEntity).findOneBy({ id });
    return row && toLaunch(row);
  }

  async listForProvider(providerId: string, limit: number): Promise<LaunchRecord[]> {
    const rows = await this.tx
      .repository(LtiLaunchEntity)
      .find({ where: { providerId }, order: { createdAt: 'DESC' }, take: limit });
    return rows.map(toLaunch);
  }
}
