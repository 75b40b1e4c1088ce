import { createHash, randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { percentile, timeClosedLoop } from './closed-loop';
import { FloorResult } from './floor';

/**
 * The floor of a token request (LTI Security 1.0 §4.1, client credentials with a JWT assertion),
 * measured like support/floor.ts in the benchmark's own run with plain `pg`: per request, the
 * assertion's verification with the tool's key imported once (`verify`), then one transaction of
 *
 *   BEGIN; the provider by client_id; INSERT of the assertion's jti; INSERT of the access token; COMMIT
 *
 * — the least a token endpoint must do. The app's token rate is printed as a share of it.
 */
export async function measureTokenFloor(spec: {
  readonly databaseUrl: string;
  readonly connections: number;
  readonly seconds: number;
  readonly clientId: string;
  readonly verify: (i: number) => Promise<unknown>;
}): Promise<FloorResult> {
  const pool = new Pool({ connectionString: spec.databaseUrl, max: spec.connections });
  let next = 0;
  const request = async () => {
    await spec.verify(next++);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query(
        `SELECT id FROM lti_providers WHERE client_id = $1 AND lti_version = '1.3' AND status = 'active'`,
        [spec.clientId],
      );
      if (!rows[0]) throw new Error(`the token floor found no provider for client ${spec.clientId}`);
      const providerId = (rows[0] as { id: string }).id;
      await client.query(
        `INSERT INTO oauth_nonces (provider_id, nonce, expires_at) VALUES ($1, $2, now() + interval '11 minutes')`,
        [providerId, `jti:floor-${randomBytes(12).toString('hex')}`],
      );
      await client.query(
        `INSERT INTO lti1p3_access_tokens (token_hash, provider_id, scopes, expires_at)
         VALUES ($1, $2, ARRAY['https://purl.imsglobal.org/spec/lti-ags/scope/score'], now() + interval '1 hour')`,
        [createHash('sha256').update(randomBytes(32)).digest('hex'), providerId],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
    return null;
  };
  try {
    const loop = await timeClosedLoop({
      what: 'the token floor',
      users: spec.connections,
      warmUpSeconds: Math.min(2, spec.seconds),
      seconds: spec.seconds,
      iteration: request,
    });
    return { perSecond: loop.perSecond, p99: percentile(loop.latencies, 99), roundTrips: 5, transactions: 1 };
  } finally {
    await pool.end();
  }
}
