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

  /** Plain SQL: every launch writes one (the ORM's insert building showed in the launch profile). */
  async record(launch: NewLaunchRecord): Promise<void> {
    await this.tx.prepared(
      `INSERT INTO lti_launches (id, user_id, enrollment_id, activity_id, resource_link_id, provider_id, lti_version,
                                 kind, roles, pii_sent, presentation_path, sent)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text[], $10::text[], $11, $12::jsonb)`,
      [
        launch.id,
        launch.userId,
        launch.enrollmentId,
        launch.activityId,
        launch.resourceLinkId,
        launch.providerId,
        launch.ltiVersion,
        launch.kind,
        [...launch.roles],
        [...launch.piiSent],
        launch.presentationPath,
        launch.sent === null ? null : JSON.stringify(launch.sent),
      ],
    );
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
