import { fork } from 'node:child_process';
import { join } from 'node:path';
import { Pool } from 'pg';
import { percentile, timeClosedLoop } from './closed-loop';

/**
 * The floor of a 1,000-row roster page, measured in the benchmark's own run on the large set's
 * database: the least work such a page must do, with plain `pg` (no ORM, no HTTP, no Nest), at the
 * same number of pages in flight as the load. A page is one statement that reads a class's
 * enrollments in roster order with their person, course, class and progress (times as PostgreSQL's
 * own text, so no Date is made; no count), then `JSON.stringify` of the rows. The work runs in as many
 * processes as the app has workers, the pages in flight shared among them, as the app shares them.
 *
 * It answers whether the target (a 1,000-learner page within 100 ms p95) is within what the machine
 * allows for the work: the app's page adds HTTP, the count, the answer's shape and its 1 MB on the
 * socket to it.
 */
export interface PageFloorSpec {
  readonly databaseUrl: string;
  readonly classId: string;
  readonly rows: number;
  /** Pages in flight, in all. */
  readonly connections: number;
  readonly processes: number;
  readonly seconds: number;
}

export interface PageFloorResult {
  readonly perSecond: number;
  readonly p95: number;
  /** The size of one page's JSON. */
  readonly bytes: number;
}

/** What a process of the floor answers: its page latencies (ms) and one page's size. */
interface ProcessReport {
  readonly latencies: number[];
  readonly seconds: number;
  readonly bytes: number;
  readonly failure: string | null;
}

const PAGE = `
  SELECT e.id, e.kind, e.course_id, e.class_id, e.user_id, e.role, e.status, e.due_at::text, e.completed_at::text,
         e.ended_at::text, e.created_at::text, e.user_name, u.email, c.title AS course_title, c.code AS course_code,
         k.title AS class_title, p.activity_id, p.status AS progress_status, p.score_percent::float8,
         p.first_launched_at::text, p.completed_at::text AS progress_completed_at
    FROM enrollments e
    JOIN users u ON u.id = e.user_id
    JOIN courses c ON c.id = e.course_id
    LEFT JOIN classes k ON k.id = e.class_id
    LEFT JOIN activity_progress p ON p.enrollment_id = e.id
   WHERE e.class_id = $1
   ORDER BY e.user_name, e.created_at, e.id
   LIMIT $2`;

export async function measurePageFloor(spec: PageFloorSpec): Promise<PageFloorResult> {
  const processes = Math.max(1, Math.min(spec.processes, spec.connections));
  const reports = await Promise.all(
    Array.from({ length: processes }, (_, index) =>
      runProcess({
        ...spec,
        // The pages in flight, shared as evenly as they go.
        connections: Math.floor(spec.connections / processes) + (index < spec.connections % processes ? 1 : 0),
      }),
    ),
  );
  const failed = reports.find((report) => report.failure !== null);
  if (failed) throw new Error(failed.failure!);
  const latencies = reports.flatMap((report) => report.latencies).sort((a, b) => a - b);
  return {
    perSecond: reports.reduce((sum, report) => sum + report.latencies.length / report.seconds, 0),
    p95: percentile(latencies, 95),
    bytes: reports[0].bytes,
  };
}

/** One process of the floor: this file run on its own, its spec in its environment, its report over IPC. */
function runProcess(spec: PageFloorSpec): Promise<ProcessReport> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, [], {
      execArgv: ['-r', join(__dirname, 'register.cjs')],
      env: { ...process.env, BENCH_PAGE_FLOOR: JSON.stringify(spec) },
    });
    let report: ProcessReport | undefined;
    child.once('message', (message) => (report = message as ProcessReport));
    child.once('error', reject);
    child.once('exit', (code) =>
      report ? resolve(report) : reject(new Error(`a page floor process exited (${code}) without a report`)),
    );
  });
}

async function serveAsProcess(spec: PageFloorSpec): Promise<ProcessReport> {
  const pool = new Pool({ connectionString: spec.databaseUrl, max: spec.connections });
  let bytes = 0;
  try {
    // A second's warm-up, which also covers the other processes' start.
    const loop = await timeClosedLoop({
      what: 'the page floor',
      users: spec.connections,
      warmUpSeconds: 1,
      seconds: spec.seconds,
      iteration: async () => {
        const { rows } = await pool.query(PAGE, [spec.classId, spec.rows]);
        bytes = Buffer.byteLength(JSON.stringify({ items: rows }));
        return rows.length === spec.rows ? null : `a page of ${rows.length} rows, not ${spec.rows}`;
      },
    });
    return { latencies: loop.latencies, seconds: loop.seconds, bytes, failure: null };
  } finally {
    await pool.end();
  }
}

if (process.env.BENCH_PAGE_FLOOR && process.send) {
  const spec = JSON.parse(process.env.BENCH_PAGE_FLOOR) as PageFloorSpec;
  void serveAsProcess(spec)
    .catch((error: unknown): ProcessReport => ({
      latencies: [],
      seconds: 0,
      bytes: 0,
      failure: error instanceof Error ? error.message : String(error),
    }))
    .then((report) => process.send!(report, () => process.exit(0)));
}
