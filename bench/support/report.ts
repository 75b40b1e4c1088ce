import type { ResourceUse } from './resources';

/** 41 000, 512, 80, 3.4 */
export function formatNumber(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString('en-US').replace(/,/g, ' ');
  return value >= 10 ? value.toFixed(0) : value.toFixed(1);
}

/** 3.4 ms, 75 ms */
export function formatMs(value: number): string {
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
}

/** A positive number from the environment, or `fallback`. */
export function readNumber(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

/** Where the CPU went during a phase, and SQL queries per `unit` (per launch, per request). */
export function cpuLine(use: ResourceUse, units: number, unit: string, inProcess: boolean): string {
  const postgres = use.postgresCpu === null ? 'postgres n/a' : `postgres ${use.postgresCpu}%`;
  const other = use.otherCpu === null ? '' : `, other processes ${use.otherCpu}%`;
  const app = inProcess
    ? `app + load generator ${use.appCpu}% (${eventLoopOf(use)}), ${postgres}`
    : `app ${use.appCpu}% (${eventLoopOf(use)}), ${postgres}, load generator ${use.loadGeneratorCpu}%`;
  return `${app}${other} of one core; ${queriesPer(use, units)} SQL queries per ${unit}`;
}

/** `event loop 92% busy`, or what a cluster's workers do not report. */
export function eventLoopOf(use: ResourceUse): string {
  return use.appEventLoop === null ? 'event loops n/a' : `event loop ${use.appEventLoop}% busy`;
}

/** Queries per unit of work, to a tenth; `n/a` where nobody counted them (a cluster). */
export function queriesPer(use: ResourceUse, units: number): string {
  return use.queries === null ? 'n/a' : (use.queries / Math.max(1, units)).toFixed(1);
}
