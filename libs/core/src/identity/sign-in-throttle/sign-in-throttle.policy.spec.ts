import { addressKey, lockoutAfter, lockoutSchedule, tryAgainIn } from './sign-in-throttle.policy';

describe('sign-in throttle policy', () => {
  it('should allow the free attempts, then double the window with each failure up to the longest', () => {
    const schedule = lockoutSchedule(5, 60, 900);
    expect(schedule).toEqual([0, 0, 0, 0, 60, 120, 240, 480, 900]);
    expect([1, 4, 5, 6, 8, 9, 10, 50].map((failures) => lockoutAfter(schedule, failures))).toEqual([
      0, 0, 60, 120, 480, 900, 900, 900,
    ]);
  });

  it('should lock at the first failure when one attempt is allowed, and hold the longest window when it is the first', () => {
    expect(lockoutSchedule(1, 30, 100)).toEqual([30, 60, 100]);
    expect(lockoutSchedule(3, 600, 600)).toEqual([0, 0, 600]);
  });

  it('should make each window at least as long as the one before when the schedule is long', () => {
    const schedule = lockoutSchedule(50, 1, 86400);
    for (let i = 1; i < schedule.length; i++) expect(schedule[i]).toBeGreaterThanOrEqual(schedule[i - 1]);
    expect(schedule.at(-1)).toBe(86400);
  });

  it('should count IPv4 addresses alone and IPv6 addresses by their /64 when keying an address', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:3::1')).not.toBe(addressKey('2001:db8:1:2::1'));
    expect(addressKey(undefined)).toBe('unknown');
    expect(addressKey('not an address')).toBe('unknown');
  });

  it('should say the wait in seconds under a minute and in whole minutes, rounded up, beyond', () => {
    expect([1, 2, 59, 60, 61, 900].map(tryAgainIn)).toEqual([
      '1 second',
      '2 seconds',
      '59 seconds',
      '1 minute',
      '2 minutes',
      '15 minutes',
    ]);
  });
});
