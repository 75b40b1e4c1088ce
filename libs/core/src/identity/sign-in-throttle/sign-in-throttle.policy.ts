import ipaddr from 'ipaddr.js';

/** Plain values core needs from configuration; provided by the app. */
export abstract class SignInThrottleSettings {
  /** Failed sign-ins of one account (email) allowed before its first lockout. */
  abstract readonly accountAttempts: number;
  /** Failed sign-ins from one client address allowed before its first lockout (higher: an office behind one NAT). */
  abstract readonly addressAttempts: number;
  /** The first lockout window; each further failure doubles it. */
  abstract readonly lockoutSeconds: number;
  /** The longest lockout window. */
  abstract readonly maxLockoutSeconds: number;
  /** Failures are forgotten after this long without another one (at least `maxLockoutSeconds`). */
  abstract readonly forgetAfterSeconds: number;
}

/**
 * The lockout window (seconds) that follows the n-th counted failure, at index n - 1: none for the
 * free attempts, then `lockoutSeconds` doubling up to `maxLockoutSeconds` (growing delays that end
 * in a long lockout). The last entry stands for every later failure.
 */
export function lockoutSchedule(freeAttempts: number, lockoutSeconds: number, maxLockoutSeconds: number): number[] {
  const schedule: number[] = Array.from({ length: freeAttempts - 1 }, () => 0);
  for (let window = lockoutSeconds; ; window *= 2) {
    schedule.push(Math.min(window, maxLockoutSeconds));
    if (window >= maxLockoutSeconds) return schedule;
  }
}

/** The window after the n-th counted failure (n ≥ 1), as the schedule gives it. */
export function lockoutAfter(schedule: readonly number[], failures: number): number {
  return schedule[Math.min(failures, schedule.length) - 1] ?? 0;
}

/**
 * What one client address counts as. IPv4 (IPv4-mapped IPv6 included) as itself; IPv6 by its /64,
 * since one subscriber usually holds a whole /64 (RFC 6177) and could otherwise rotate addresses
 * for free. Anything unparseable counts together as "unknown".
 */
export function addressKey(address: string | undefined): string {
  if (!address || !ipaddr.isValid(address)) return 'unknown';
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${new ipaddr.IPv6([...parts, 0, 0, 0, 0]).toString()}/64`;
}

/** "Try again in 40 seconds" / "in 15 minutes": calm, and the same whether the account exists or not. */
export function tryAgainIn(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
