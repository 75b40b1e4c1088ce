import { AuditEntry, AuditLog } from '../../audit/audit-log';
import { DomainError } from '../../errors/domain-error';
import { SignInThrottle } from './sign-in-throttle';
import { SignInThrottleSettings } from './sign-in-throttle.policy';
import { Admission, CountedAttempt, SignInThrottleRepository } from './sign-in-throttle.repository';

const settings: SignInThrottleSettings = Object.freeze({
  accountAttempts: 3,
  addressAttempts: 10,
  lockoutSeconds: 60,
  maxLockoutSeconds: 900,
  forgetAfterSeconds: 86400,
});
const lockedUntil = new Date('2026-01-01T00:01:00Z');
const extendedUntil = new Date('2026-01-01T00:01:02Z');
const counted = (scope: 'account' | 'address', key: string, failures: number, windowSeconds = 0): CountedAttempt =>
  Object.freeze({ id: `${scope}-row`, scope, key, failures, windowSeconds, lockedUntil });

function setUp(admission: Admission) {
  const counters: jest.Mocked<SignInThrottleRepository> = {
    admit: jest.fn(async (_input: Parameters<SignInThrottleRepository['admit']>[0]) => admission),
    extendLockout: jest.fn(async (_attempt: CountedAttempt) => extendedUntil),
    clearAccount: jest.fn(async (_key: string) => undefined),
    releaseAddress: jest.fn(async (_attempt: CountedAttempt) => undefined),
    deleteExpired: jest.fn(async (_now: Date) => 0),
  };
  const entries: AuditEntry[] = [];
  const audit: jest.Mocked<AuditLog> = {
    record: jest.fn(async (entry: AuditEntry) => void entries.push(entry)),
    list: jest.fn(),
  };
  return { throttle: new SignInThrottle(counters, settings, audit), counters, audit, entries };
}

describe('SignInThrottle', () => {
  it('should count the address and the account with their own growing schedules when admitting', async () => {
    const admission: Admission = {
      admitted: true,
      address: counted('address', '203.0.113.7', 1),
      account: counted('account', 'ann@example.com', 1),
    };
    const { throttle, counters } = setUp(admission);
    await expect(throttle.admit('ann@example.com', '::ffff:203.0.113.7')).resolves.toEqual({
      address: admission.address,
      account: admission.account,
    });
    expect(counters.admit).toHaveBeenCalledWith({
      address: { key: '203.0.113.7', schedule: [0, 0, 0, 0, 0, 0, 0, 0, 0, 60, 120, 240, 480, 900] },
      account: { key: 'ann@example.com', schedule: [0, 0, 60, 120, 240, 480, 900] },
      forgetAfterSeconds: 86400,
    });
  });

  it('should refuse with too_many_attempts and the seconds to wait when a counter is locked', async () => {
    const { throttle, audit } = setUp({ admitted: false, refusedBy: 'account', retryAfterSeconds: 125 });
    const refused = await throttle.admit('ann@example.com', '203.0.113.7').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toEqual(
      expect.objectContaining({
        code: 'too_many_attempts',
        retryAfterSeconds: 125,
        message: 'Too many attempts. Try again in 3 minutes.',
      }),
    );
    expect(audit.record).not.toHaveBeenCalled();
  });

  it('should answer the same refusal whichever counter is locked', async () => {
    const byAccount = await setUp({ admitted: false, refusedBy: 'account', retryAfterSeconds: 30 })
      .throttle.admit('a@example.com', '203.0.113.7')
      .catch((error: DomainError) => [error.code, error.message, error.retryAfterSeconds]);
    const byAddress = await setUp({ admitted: false, refusedBy: 'address', retryAfterSeconds: 30 })
      .throttle.admit('a@example.com', '203.0.113.7')
      .catch((error: DomainError) => [error.code, error.message, error.retryAfterSeconds]);
    expect(byAccount).toEqual(byAddress);
  });

  it('should start the window at the failure and audit each counter whose lockout it starts, naming it and the window, and nothing else', async () => {
    const attempt = {
      address: counted('address', '203.0.113.7', 4),
      account: counted('account', 'ann@example.com', 4, 120),
    };
    const { throttle, entries, counters } = setUp({ admitted: true, ...attempt });
    await throttle.failed(attempt);
    expect(entries).toEqual([
      {
        actorUserId: null,
        organizationId: null,
        entityType: 'sign_in',
        entityId: 'account-row',
        action: 'lock',
        before: null,
        after: { account: 'ann@example.com', failures: 4, windowSeconds: 120, lockedUntil: '2026-01-01T00:01:02.000Z' },
      },
    ]);
    expect(counters.extendLockout).toHaveBeenCalledTimes(1);
    expect(counters.extendLockout).toHaveBeenCalledWith(attempt.account);
    expect(counters.clearAccount).not.toHaveBeenCalled();
    expect(counters.releaseAddress).not.toHaveBeenCalled();
  });

  it('should audit nothing when a failure is still within the free attempts', async () => {
    const attempt = { address: counted('address', '203.0.113.7', 2), account: counted('account', 'a@example.com', 2) };
    const { throttle, audit, counters } = setUp({ admitted: true, ...attempt });
    await throttle.failed(attempt);
    expect(audit.record).not.toHaveBeenCalled();
    expect(counters.extendLockout).not.toHaveBeenCalled();
  });

  it('should clear the account and release the address attempt when the sign-in succeeds', async () => {
    const attempt = {
      address: counted('address', '203.0.113.7', 10, 60),
      account: counted('account', 'a@example.com', 3, 60),
    };
    const { throttle, counters, audit } = setUp({ admitted: true, ...attempt });
    await throttle.succeeded(attempt);
    expect(counters.clearAccount).toHaveBeenCalledWith('a@example.com');
    expect(counters.releaseAddress).toHaveBeenCalledWith(attempt.address);
    expect(counters.extendLockout).not.toHaveBeenCalled();
    expect(audit.record).not.toHaveBeenCalled();
  });
});
