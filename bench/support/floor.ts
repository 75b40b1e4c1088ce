import { Pool, PoolClient } from 'pg';
import { percentile, timeClosedLoop } from './closed-loop';
import { formatMs, formatNumber } from './report';

/**
 * The floor of a hot path, measured in the benchmark's own run on the app's own database: what the
 * machine allows for the least work the path must do, with plain `pg` (no ORM, no HTTP, no Nest)
 * at the same concurrency as the load. Per request, `transactions` times one transaction of
 *
 *   BEGIN; one joined SELECT that resolves a placement (enrollment, person, activity, link,
 *   provider); an INSERT of the path's record (a launch, or a score-ledger entry); an upsert of the
 *   learner's progress; COMMIT
 *
 * plus the path's crypto (`crypto`, once per request). Benchmarks print the app's rate as a share
 * of it: the figures are read as ratios of the same run, never as absolute times, because the
 * machine is shared.
 */
export interface FloorSpec {
  readonly databaseUrl: string;
  readonly connections: number;
  readonly seconds: number;
  /** What each transaction inserts: a launch record, or a score-ledger entry. */
  readonly record: 'launch' | 'score';
  /** Transactions per request: 2 for the two hops of an LTI 1.3 launch. */
  readonly transactions?: number;
  /** The path's crypto (an HMAC-SHA1 signature, an RS256 signature or verification), once per request. */
  readonly crypto?: () => unknown;
}

export interface FloorResult {
  readonly perSecond: number;
  readonly p99: number;
  /** SQL round trips per request (BEGIN and COMMIT included). */
  readonly roundTrips: number;
  readonly transactions: number;
}

interface Placement {
  readonly enrollment_id: string;
  readonly activity_id: string;
}

const RESOLVE = `
  SELECT e.id, e.user_id, e.course_id, ca.id AS activity_id, l.id AS link_id, p.id AS provider_id,
         p.organization_id, p.lti_version, u.email
    FROM enrollments e
    JOIN users u ON u.id = e.user_id
    JOIN course_activities ca ON ca.course_id = e.course_id
    JOIN lti_resource_links l ON l.id = ca.resource_link_id
    JOIN lti_providers p ON p.id = l.provider_id
   WHERE e.id = $1 AND ca.id = $2 AND e.status = 'active' AND p.status = 'active'`;

const RECORD = {
  launch: `
    INSERT INTO lti_launches (user_id, enrollment_id, activity_id, resource_link_id, provider_id, lti_version,
                              kind, roles, pii_sent)
    VALUES ($1, $2, $3, $4, $5, $6, 'learner', ARRAY['Learner'], ARRAY[]::text[])`,
  score: `
    INSERT INTO score_ledger (lti_version, provider_id, organization_id, enrollment_id, activity_id, user_id,
                              operation, raw_score, decision, score_percent)
    VALUES ($1, $2, $3, $4, $5, $6, 'floor', '0.5', 'read', 50)`,
} as const;

const PROGRESS = `
  INSERT INTO activity_progress (enrollment_id, activity_id, status, first_launched_at)
  VALUES ($1, $2, 'launched', now())
  ON CONFLICT (enrollment_id, activity_id) DO UPDATE SET updated_at = now()`;

export async function measureFloor(spec: FloorSpec): Promise<FloorResult> {
  const transactions = spec.transactions ?? 1;
  const pool = new Pool({ connectionString: spec.databaseUrl, max: spec.connections });
  try {
    const placements = (
      await pool.query<Placement>(
        `SELECT e.id AS enrollment_id, ca.id AS activity_id
           FROM enrollments e JOIN course_activities ca ON ca.course_id = e.course_id
          WHERE e.status = 'active' AND e.role = 'learner' ORDER BY e.created_at LIMIT 200`,
      )
    ).rows;
    if (placements.length === 0) throw new Error('the floor found no placement to resolve');
    let next = 0;
    const request = async () => {
      for (let t = 0; t < transactions; t++) {
        const client = await pool.connect();
        try {
          await oneTransaction(client, spec.record, placements[next++ % placements.length]);
        } finally {
          client.release();
        }
      }
      await spec.crypto?.();
      return null;
    };
    const loop = await timeClosedLoop({
      what: 'the floor',
      users: spec.connections,
      warmUpSeconds: Math.min(2, spec.seconds),
      seconds: spec.seconds,
      iteration: request,
    });
    return {
      perSecond: loop.perSecond,
      p99: percentile(loop.latencies, 99),
      roundTrips: 5 * transactions,
      transactions,
    };
  } finally {
    await pool.end();
  }
}

async function oneTransaction(client: PoolClient, record: FloorSpec['record'], placement: Placement): Promise<void> {
  await client.query('BEGIN');
  try {
    const { rows } = await client.query(RESOLVE, [placement.enrollment_id, placement.activity_id]);
    const row = rows[0] as Record<string, string> | undefined;
    if (!row) throw new Error(`the floor could not resolve enrollment ${placement.enrollment_id}`);
    const values =
      record === 'launch'
        ? [row.user_id, row.id, row.activity_id, row.link_id, row.provider_id, row.lti_version]
        : [row.lti_version, row.provider_id, row.organization_id, row.id, row.activity_id, row.user_id];
    await client.query(RECORD[record], values);
    await client.query(PROGRESS, [row.id, row.activity_id]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/** `2 900 req/s  p99 6.1 ms  5 SQL round trips  | the app at 41% of it, p99 3.2× its p99` */
export function floorLine(floor: FloorResult, appPerSecond: number, appP99: number, unit = 'req'): string {
  const share = Math.round((appPerSecond / floor.perSecond) * 100);
  return (
    `${formatNumber(floor.perSecond).padStart(6)} ${unit}/s  p99 ${formatMs(floor.p99)}  ` +
    `${floor.roundTrips} SQL round trips (${floor.transactions} transaction${floor.transactions > 1 ? 's' : ''})` +
    `  | the app at ${share}% of the floor, p99 ${formatNumber(appP99 / Math.max(0.01, floor.p99))}× the floor's`
  );
}
