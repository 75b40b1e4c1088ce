import { Injectable } from '@nestjs/common';
import {
  Admission,
  CountedAttempt,
  lockoutAfter,
  SignInThrottleRepository,
  ThrottleCounter,
  ThrottleScope,
} from '@tms/core';
import { LessThan } from 'typeorm';
import { TransactionContext } from '../database/transaction-context';
import { SignInThrottleEntity } from '../entities';

/**
 * Counts one attempt against one counter: `$key`, `$schedule` (int[]) and `$forget` (seconds) are
 * placeholders, `rows` is what to insert from. A locked counter is left alone (the WHERE of the
 * DO UPDATE), and then RETURNING yields nothing: that is how the statement says "refused".
 *
 * Only a real lockout sets `locked_until`; within the free attempts it stays null. (Setting it to
 * now() there would lock out a concurrent attempt whose transaction began a moment earlier and
 * waited for this row: its now() is older.)
 */
function countAttempt(scope: ThrottleScope, key: string, schedule: string, forget: string, rows: string): string {
  const failures = `(CASE WHEN t.expires_at <= now() THEN 1 ELSE t.failures + 1 END)`;
  const lockFor = (window: string) =>
    `(CASE WHEN ${window} > 0 THEN now() + make_interval(secs => ${window}) ELSE NULL END)`;
  return `
    INSERT INTO sign_in_throttles AS t (scope, key, failures, locked_until, expires_at)
    SELECT '${scope}', ${key}, 1, ${lockFor(`(${schedule}::int[])[1]`)},
           now() + make_interval(secs => ${forget}) ${rows}
    ON CONFLICT (scope, key) DO UPDATE SET
      failures = ${failures},
      locked_until = ${lockFor(`(${schedule}::int[])[least(${failures}, cardinality(${schedule}::int[]))]`)},
      expires_at = now() + make_interval(secs => ${forget})
    WHERE t.locked_until IS NULL OR t.locked_until <= now()
    RETURNING t.id, t.scope, t.key, t.failures, t.locked_until`;
}

/**
 * The address first, then the account only if the address counted it (`FROM address`), all in one
 * statement. The last SELECT reads the statement's snapshot, from before the counting: the locks
 * that refused the attempt, for Retry-After. Times are the database's: the one clock every
 * instance shares.
 */
const ADMIT = `
  WITH address AS (${countAttempt('address', '$1', '$3', '$5', '')}),
       account AS (${countAttempt('account', '$2', '$4', '$5', 'FROM address')})
  SELECT 'counted' AS kind, id, scope, key, failures, locked_until, 0 AS retry_after FROM address
  UNION ALL
  SELECT 'counted', id, scope, key, failures, locked_until, 0 FROM account
  UNION ALL
  SELECT 'locked', id, scope, key, failures, locked_until,
         ceil(extract(epoch FROM locked_until - now()))::int
    FROM sign_in_throttles
   WHERE ((scope = 'address' AND key = $1) OR (scope = 'account' AND key = $2)) AND locked_until > now()`;

interface AdmitRow {
  kind: 'counted' | 'locked';
  id: string;
  scope: ThrottleScope;
  key: string;
  failures: number;
  locked_until: Date | null;
  retry_after: number;
}

@Injectable()
export class TypeOrmSignInThrottleRepository extends SignInThrottleRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  async admit(input: {
    address: ThrottleCounter;
    account: ThrottleCounter;
    forgetAfterSeconds: number;
  }): Promise<Admission> {
    const { address, account, forgetAfterSeconds } = input;
    const rows = await this.tx.query<AdmitRow>(ADMIT, [
      address.key,
      account.key,
      address.schedule,
      account.schedule,
      forgetAfterSeconds,
    ]);
    const counted = (scope: ThrottleScope, counter: ThrottleCounter): CountedAttempt | undefined => {
      const row = rows.find((r) => r.kind === 'counted' && r.scope === scope);
      return (
        row && {
          id: row.id,
          scope,
          key: row.key,
          failures: row.failures,
          windowSeconds: lockoutAfter(counter.schedule, row.failures),
          lockedUntil: row.locked_until,
        }
      );
    };
    const countedAddress = counted('address', address);
    const countedAccount = counted('account', account);
    if (countedAddress && countedAccount) return { admitted: true, address: countedAddress, account: countedAccount };
    const refusedBy: ThrottleScope = countedAddress ? 'account' : 'address';
    const lock = rows.find((r) => r.kind === 'locked' && r.scope === refusedBy);
    // Without a lock in the snapshot, a concurrent attempt set it after the snapshot was taken.
    return { admitted: false, refusedBy, retryAfterSeconds: Math.max(1, lock?.retry_after ?? 1) };
  }

  async extendLockout(attempt: CountedAttempt): Promise<Date | null> {
    const rows = await this.tx.query<{ locked_until: Date }>(
      `UPDATE sign_in_throttles SET locked_until = greatest(locked_until, now() + make_interval(secs => $2))
        WHERE id = $1 AND failures = $3
       RETURNING locked_until`,
      [attempt.id, attempt.windowSeconds, attempt.failures],
    );
    return rows[0]?.locked_until ?? null;
  }

  async clearAccount(key: string): Promise<void> {
    await this.tx.repository(SignInThrottleEntity).delete({ scope: 'account', key });
  }

  async releaseAddress(attempt: CountedAttempt): Promise<void> {
    // SET reads the row as it was: the lock goes only if no attempt was counted after this one.
    await this.tx.query(
      `UPDATE sign_in_throttles
          SET failures = greatest(failures - 1, 0),
              locked_until = CASE WHEN failures = $2 THEN NULL ELSE locked_until END
        WHERE id = $1`,
      [attempt.id, attempt.failures],
    );
  }

  async deleteExpired(now: Date): Promise<number> {
    return (await this.tx.repository(SignInThrottleEntity).delete({ expiresAt: LessThan(now) })).affected ?? 0;
  }
}
