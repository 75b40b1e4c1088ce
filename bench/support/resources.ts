import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AppStats, BenchApp } from './app-host';

/**
 * Where the CPU went during a phase: the app's process (and how busy its event loop was), the
 * PostgreSQL server (postmaster and backends, from /proc), this process (the load generator), and
 * everything else on the host (other jobs competing for the cores). Linux only; elsewhere the
 * PostgreSQL and host figures are left out.
 */
export interface ResourceUse {
  readonly seconds: number;
  /** Queries the app sent to PostgreSQL; null when not counted (a cluster). */
  readonly queries: number | null;
  /** Percent of one core (a cluster: its primary and workers together). */
  readonly appCpu: number;
  /** Percent of the phase the app's event loop was busy; null for a cluster. */
  readonly appEventLoop: number | null;
  readonly postgresCpu: number | null;
  readonly loadGeneratorCpu: number;
  /** Percent of one core used by every other process on the host. */
  readonly otherCpu: number | null;
}

interface Snapshot {
  readonly at: number;
  readonly appCpuMs: number | null;
  readonly postgresCpuMs: number | null;
  readonly hostBusyMs: number | null;
  readonly ownCpu: NodeJS.CpuUsage;
  readonly stats: AppStats;
}

export class ResourceMeter {
  private readonly tickMs: number;

  constructor(
    private readonly app: BenchApp,
    /** The data directory of the PostgreSQL server (its postmaster.pid), when known. */
    private readonly postgresDataDir: string | null,
  ) {
    this.tickMs = 1000 / clockTicksPerSecond();
  }

  async snapshot(): Promise<Snapshot> {
    return {
      at: performance.now(),
      appCpuMs: this.app.inProcess ? null : this.appCpuMs(),
      postgresCpuMs: this.postgresCpuMs(),
      hostBusyMs: this.hostBusyMs(),
      ownCpu: process.cpuUsage(),
      stats: await this.app.stats(),
    };
  }

  async since(start: Snapshot): Promise<ResourceUse> {
    const end = await this.snapshot();
    const wallMs = end.at - start.at;
    const percent = (ms: number) => Math.round((ms / wallMs) * 100);
    const own = process.cpuUsage(start.ownCpu);
    const ownMs = (own.user + own.system) / 1000;
    const eventLoop =
      end.stats.eventLoop && start.stats.eventLoop
        ? performance.eventLoopUtilization(end.stats.eventLoop, start.stats.eventLoop)
        : null;
    const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
    const appMs = delta(end.appCpuMs, start.appCpuMs) ?? ownMs;
    const postgresMs = delta(end.postgresCpuMs, start.postgresCpuMs);
    const hostMs = delta(end.hostBusyMs, start.hostBusyMs);
    const accountedMs = (this.app.inProcess ? appMs : appMs + ownMs) + (postgresMs ?? 0);
    return {
      seconds: wallMs / 1000,
      queries:
        end.stats.queries === null || start.stats.queries === null ? null : end.stats.queries - start.stats.queries,
      appCpu: percent(appMs),
      appEventLoop: eventLoop && Math.round(eventLoop.utilization * 100),
      postgresCpu: postgresMs === null ? null : percent(postgresMs),
      loadGeneratorCpu: percent(ownMs),
      otherCpu: hostMs === null || postgresMs === null ? null : Math.max(0, percent(hostMs - accountedMs)),
    };
  }

  /** Busy time of all cores together: the first line of /proc/stat, less idle and iowait. */
  private hostBusyMs(): number | null {
    try {
      const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
      const values = ticks.map(Number);
      // user nice system idle iowait irq softirq steal (guest time is already in user).
      const busy = values.slice(0, 8).reduce((sum, value) => sum + value, 0) - values[3] - values[4];
      return busy * this.tickMs;
    } catch {
      return null;
    }
  }

  /** The app's process, and for a cluster its live workers too. */
  private appCpuMs(): number | null {
    const primary = this.processCpuMs(this.app.pid, this.app.workers > 1);
    if (primary === null || this.app.workers === 1) return primary;
    return primary + this.childrenCpuMs(this.app.pid);
  }

  /** What the live children of `parent` used (utime + stime). */
  private childrenCpuMs(parent: number): number {
    let total = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const fields = readStat(Number(entry));
      if (fields && fields[1] === parent) total += (fields[11] + fields[12]) * this.tickMs;
    }
    return total;
  }

  /** utime + stime (+ cutime + cstime with `children`): fields 14–17 of /proc/<pid>/stat. */
  private processCpuMs(pid: number, children = false): number | null {
    const fields = readStat(pid);
    if (!fields) return null;
    const ticks = fields[11] + fields[12] + (children ? fields[13] + fields[14] : 0);
    return ticks * this.tickMs;
  }

  /** The postmaster with what its ended children used, plus every live backend and helper. */
  private postgresCpuMs(): number | null {
    if (!this.postgresDataDir) return null;
    const pidFile = join(this.postgresDataDir, 'postmaster.pid');
    if (!existsSync(pidFile)) return null;
    const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    const total = this.processCpuMs(postmaster, true);
    return total === null ? null : total + this.childrenCpuMs(postmaster);
  }
}

/** The numeric fields of /proc/<pid>/stat after the command name: [state(NaN), ppid, …]; null if gone. */
function readStat(pid: number): number[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
  } catch {
    return null;
  }
}

function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}
