import { Injectable } from '@nestjs/common';
import { ChangedMember, MembershipChangeKind, MembershipChangeRepository, RosterContext } from '@tms/core';
import { TransactionContext } from '../database/transaction-context';

/** `pg_snapshot`'s text form: xmin:xmax:xip,xip,… (PostgreSQL 13+). */
const SNAPSHOT = /^(\d{1,20}):(\d{1,20}):(\d{1,20}(,\d{1,20}){0,9999})?$/;

/**
 * The membership change log (migration MembershipChanges): triggers write it; this reads it. A roster
 * position is the reader's transaction snapshot, so "changed since" means "written by a transaction
 * that snapshot could not see": a change whose transaction commits after a roster was read is found
 * by the next differences call, whatever order the log's ids were handed out in.
 */
@Injectable()
export class TypeOrmMembershipChangeRepository extends MembershipChangeRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  async currentPosition(): Promise<string> {
    const [row] = await this.tx.query<{ position: string }>('SELECT pg_current_snapshot()::text AS position');
    return row.position;
  }

  isPosition(value: string): boolean {
    const match = SNAPSHOT.exec(value);
    return match !== null && BigInt(match[1]) <= BigInt(match[2]);
  }

  async changedSince(context: RosterContext, position: string): Promise<ChangedMember[]> {
    const where = context.classId ? 'm.class_id = $1' : 'm.class_id IS NULL AND m.course_id = $1';
    const rows = await this.tx.query<{ user_id: string; changed: MembershipChangeKind[] }>(
      `SELECT m.user_id, array_agg(DISTINCT kind) AS changed
         FROM membership_changes m, unnest(m.changed) AS kind
        WHERE ${where}
          AND m.txid >= pg_snapshot_xmin($2::pg_snapshot)
          AND NOT pg_visible_in_snapshot(m.txid, $2::pg_snapshot)
        GROUP BY m.user_id`,
      [context.classId ?? context.courseId, position],
    );
    return rows.map((row) => ({ userId: row.user_id, changed: row.changed }));
  }

  async deleteOlderThan(cutoff: Date): Promise<number> {
    const [row] = await this.tx.query<{ deleted: number }>(
      `WITH gone AS (DELETE FROM membership_changes WHERE changed_at < $1 RETURNING 1)
       SELECT count(*)::int AS deleted FROM gone`,
      [cutoff],
    );
    return row.deleted;
  }
}
