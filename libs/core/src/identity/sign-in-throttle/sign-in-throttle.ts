import { Injectable } from '@nestjs/common';
import { AuditEntry, AuditLog } from '../../audit/audit-log';
import { DomainError } from '../../errors/domain-error';
import { addressKey, lockoutSchedule, SignInThrottleSettings, tryAgainIn } from './sign-in-throttle.policy';
import { CountedAttempt, SignInThrottleRepository } from './sign-in-throttle.repository';

/** A sign-in attempt the throttle let through, counted against its address and its account. */
export interface AdmittedSignIn {
  readonly address: CountedAttempt;
  readonly account: CountedAttempt;
}

/**
 * Brute-force protection for sign-in (OWASP Authentication cheat sheet, "Account lockout"): per
 * account and per client address, growing lockout windows kept in PostgreSQL so that every instance
 * enforces the same ones. The account is the email as typed (normalised), whether or not such an
 * account exists, so the throttle behaves the same for both and tells nobody which emails are real.
 */
@Injectable()
export class SignInThrottle {
  private readonly accountSchedule: readonly number[];
  private readonly addressSchedule: readonly number[];

  constructor(
    private readonly counters: SignInThrottleRepository,
    private readonly settings: SignInThrottleSettings,
    private readonly audit: AuditLog,
  ) {
    const { lockoutSeconds, maxLockoutSeconds } = settings;
    this.accountSchedule = lockoutSchedule(settings.accountAttempts, lockoutSeconds, maxLockoutSeconds);
    this.addressSchedule = lockoutSchedule(settings.addressAttempts, lockoutSeconds, maxLockoutSeconds);
  }

  /**
   * Counts the attempt before any password is looked at. While the address or the account is
   * locked it is refused at once: no account lookup, no password hash.
   */
  async admit(email: string, clientAddress: string | undefined): Promise<AdmittedSignIn> {
    const admission = await this.counters.admit({
      address: { key: addressKey(clientAddress), schedule: this.addressSchedule },
      account: { key: email, schedule: this.accountSchedule },
      forgetAfterSeconds: this.settings.forgetAfterSeconds,
    });
    if (!admission.admitted) {
      const seconds = admission.retryAfterSeconds;
      throw DomainError.tooManyAttempts(`Too many attempts. Try again in ${tryAgainIn(seconds)}.`, seconds);
    }
    return { address: admission.address, account: admission.account };
  }

  /** The account's count starts again; the address's attempt is taken back. */
  async succeeded(attempt: AdmittedSignIn): Promise<void> {
    await this.counters.clearAccount(attempt.account.key);
    await this.counters.releaseAddress(attempt.address);
  }

  /** The attempt stays counted; where it started a lockout, the window runs from now and the audit log says so. */
  async failed(attempt: AdmittedSignIn): Promise<void> {
    for (const counted of [attempt.account, attempt.address]) {
      if (counted.windowSeconds === 0) continue;
      const lockedUntil = (await this.counters.extendLockout(counted)) ?? counted.lockedUntil;
      await this.audit.record(lockoutEntry({ ...counted, lockedUntil }));
    }
  }
}

/** Names the account or the address and the window; never anything typed as a password. */
function lockoutEntry(counted: CountedAttempt): AuditEntry {
  return {
    actorUserId: null,
    organizationId: null,
    entityType: 'sign_in',
    entityId: counted.id,
    action: 'lock',
    before: null,
    after: {
      [counted.scope]: counted.key,
      failures: counted.failures,
      windowSeconds: counted.windowSeconds,
      lockedUntil: counted.lockedUntil?.toISOString() ?? null,
    },
  };
}
