export type ThrottleScope = 'account' | 'address';

/** One thing sign-ins are counted against, and the lockout window after each counted failure. */
export interface ThrottleCounter {
  readonly key: string;
  /** `lockoutSchedule(...)`: the window after the n-th failure at index n - 1, the last for all later ones. */
  readonly schedule: readonly number[];
}

/** An attempt counted against one key before the password is checked. */
export interface CountedAttempt {
  /** The counter's row, named by the audit entry of a lockout. */
  readonly id: string;
  readonly scope: ThrottleScope;
  readonly key: string;
  /** This attempt's place in the count (1 = the first since the last success or since failures were forgotten). */
  readonly failures: number;
  /** The lockout that already stands if this attempt fails (0: none), and its end. */
  readonly windowSeconds: number;
  readonly lockedUntil: Date | null;
}

export type Admission =
  | { readonly admitted: true; readonly address: CountedAttempt; readonly account: CountedAttempt }
  | { readonly admitted: false; readonly refusedBy: ThrottleScope; readonly retryAfterSeconds: number };

/**
 * Port: sign-in counters in the database, so every instance sees the same counts and lockouts.
 * Times are the database's clock, the one clock all instances share.
 */
export abstract class SignInThrottleRepository {
  /**
   * Counts an attempt against the address, then the account, each unless it is locked; a locked one
   * refuses the attempt and is not counted (nor is the account when the address refuses). Counting
   * sets the lockout that follows should this attempt fail, so parallel attempts cannot all slip
   * through before the first failure lands. One statement: atomic across instances.
   */
  abstract admit(input: {
    address: ThrottleCounter;
    account: ThrottleCounter;
    forgetAfterSeconds: number;
  }): Promise<Admission>;
  /**
   * A failed attempt that started a lockout: the window runs from now, the failure, rather than
   * from when the attempt was counted (its hash may have waited in a queue). Unless a later attempt
   * was counted since (its own, longer lockout stands). The lockout's end, or null when unchanged.
   */
  abstract extendLockout(attempt: CountedAttempt): Promise<Date | null>;
  /** A successful sign-in: the account's count starts again. */
  abstract clearAccount(key: string): Promise<void>;
  /**
   * A successful sign-in from this address: its attempt is taken back, and the lockout it set is
   * lifted unless a later attempt was counted since.
   */
  abstract releaseAddress(attempt: CountedAttempt): Promise<void>;
  /** Counters whose failures are forgotten; how many were deleted. */
  abstract deleteExpired(now: Date): Promise<number>;
}
