import { Injectable } from '@nestjs/common';
import { LaunchProgressChange, LaunchRecord, LaunchRepository, NewLaunchRecord } from '@tms/core';
import { TransactionContext } from '../database/transaction-context';
import { LtiLaunchEntity } from '../entities';
import { isSerializationFailure } from './postgres-errors';
import { Parameters, progressUpsert } from './score-batch.repository';

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
    const p = new Parameters();
    await this.tx.prepared(launchInsert(p, launch), p.values);
  }

  /**
   * One statement: `progress_as_read` (migration ProgressAsRead) takes the enrollment's lock and
   * raises serialization_failure when the progress changed since it was read; then nothing of the
   * statement stands. Every write is a data-modifying CTE, atomic with the check.
   */
  async recordAsRead(launch: NewLaunchRecord, change: LaunchProgressChange): Promise<boolean> {
    const p = new Parameters();
    const parts = [
      `SELECT progress_as_read(${p.add(change.enrollmentId)}::uuid, ${p.add(change.fingerprint)}::text) AS held`,
      launchInsert(p, launch),
      progressUpsert(p, change.progress),
    ];
    if (change.courseCompletedAt !== undefined) {
      parts.push(`UPDATE enrollments SET completed_at = ${p.add(change.courseCompletedAt)}::timestamptz,
        updated_at = now() WHERE id = ${p.add(change.enrollmentId)}::uuid`);
    }
    const ctes = parts.map((sql, index) => `w${index} AS (${sql})`).join(',\n');
    try {
      await this.tx.prepared(`WITH ${ctes} SELECT held FROM w0`, p.values);
      return true;
    } catch (error) {
      if (isSerializationFailure(error)) return false;
      throw error;
    }
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

function launchInsert(p: Parameters, launch: NewLaunchRecord): string {
  return `INSERT INTO lti_launches (id, user_id, enrollment_id, activity_id, resource_link_id, provider_id, lti_version,
      kind, roles, pii_sent, presentation_path, sent)
    VALUES (${p.add(launch.id, launch.userId, launch.enrollmentId, launch.activityId, launch.resourceLinkId)},
      ${p.add(launch.providerId, launch.ltiVersion, launch.kind)}, ${p.add([...launch.roles])}::text[],
      ${p.add([...launch.piiSent])}::text[], ${p.add(launch.presentationPath)},
      ${p.add(launch.sent === null ? null : JSON.stringify(launch.sent))}::jsonb)`;
}
