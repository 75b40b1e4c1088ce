import { Injectable } from '@nestjs/common';
import { NewSubmission, Submission, SUBMISSION_HISTORY_LIMIT, SubmissionRepository, SubmissionView } from '@tms/core';
import { TransactionContext } from '../database/transaction-context';
import { SubmissionEntity } from '../entities';

@Injectable()
export class TypeOrmSubmissionRepository extends SubmissionRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  async record(submission: NewSubmission): Promise<void> {
    await this.tx.repository(SubmissionEntity).insert(submission);
  }

  async history(enrollmentId: string, activityId: string): Promise<SubmissionView[]> {
    const rows = await this.tx
      .repository(SubmissionEntity)
      .createQueryBuilder('s')
      .leftJoinAndSelect('s.byUser', 'u')
      .where('s.enrollment_id = :enrollmentId AND s.activity_id = :activityId', { enrollmentId, activityId })
      .orderBy('s.received_at', 'DESC')
      .addOrderBy('s.id', 'DESC')
      .take(SUBMISSION_HISTORY_LIMIT)
      .getMany();
    return rows.map(({ byUser, ...row }) => ({ ...toSubmission(row), byUserName: byUser?.name ?? null }));
  }

  async standingOverride(enrollmentId: string, activityId: string): Promise<Submission | null> {
    const latest = await this.latest(enrollmentId, activityId, ['override', 'override_cleared']);
    return latest?.kind === 'override' ? latest : null;
  }

  latestFromTool(enrollmentId: string, activityId: string): Promise<Submission | null> {
    return this.latest(enrollmentId, activityId, ['tool']);
  }

  private async latest(enrollmentId: string, activityId: string, kinds: string[]): Promise<Submission | null> {
    const row = await this.tx
      .repository(SubmissionEntity)
      .createQueryBuilder('s')
      .where('s.enrollment_id = :enrollmentId AND s.activity_id = :activityId AND s.kind IN (:...kinds)', {
        enrollmentId,
        activityId,
        kinds,
      })
      .orderBy('s.received_at', 'DESC')
      .addOrderBy('s.id', 'DESC')
      .getOne();
    return row ? toSubmission(row) : null;
  }
}

function toSubmission({
  enrollment: _e,
  activity: _a,
  provider: _p,
  byUser: _u,
  ...row
}: SubmissionEntity): Submission {
  return row;
}
