import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * A fresh database on the test server (embedded, or the one DATABASE_URL names), one per test file,
 * or on `serverUrl` (a test's own server).
 */
export async function createTestDatabase(
  serverUrl = process.env.DATABASE_URL,
): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!serverUrl) throw new Error('DATABASE_URL is not set: run the e2e tests through Jest (globalSetup)');
  const name = `tms_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
