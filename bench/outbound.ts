import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { SignJWT } from 'jose';
import { ApiClient } from '../test/support/api-client';
import { HUGE_BYTES, KeyServers } from '../test/support/key-servers';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../test/support/test-app';
import type { BenchApp } from './support/app-host';
import { BenchRun, print, runBench } from './support/harness';
import { mapWithConcurrency, range } from './support/lti1p1-fixtures';
import { formatNumber, readNumber } from './support/report';

/**
 * What hostile key servers cost the app: tools whose JWKS URL serves 50 MB (streamed without a
 * length, as fast as the app takes it) or drips its answer for ever, at save time (an administrator
 * registering such a URL) and at run time (token requests from tools whose stored URL went bad). It
 * prints the app process's resident memory (VmRSS, and its peak VmHWM, from /proc) after each phase,
 * the answers (the 50 MB set is a valid one, holding the tool's key), and how much the key server got to send before the app hung up (what the app read,
 * plus what sat in the sockets' buffers); it fails when an answer is not the expected refusal or a
 * 50 MB transfer ran to its end. Nothing is asserted about time.
 *
 *   npm run bench:outbound                      the app in a child process of its own
 *   npm run bench:outbound -- --in-process      (RSS then includes the load generator)
 *
 * BENCH_TOOLS (4: providers per hostile server), BENCH_SAVES (20), BENCH_REQUESTS (25 token
 * requests per tool) and BENCH_CONNECTIONS (4 in flight) size it.
 */
const TOOLS = readNumber('BENCH_TOOLS', 4);
const SAVES = readNumber('BENCH_SAVES', 20);
const REQUESTS = readNumber('BENCH_REQUESTS', 25);
const CONNECTIONS = readNumber('BENCH_CONNECTIONS', 4);

const toolKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = String(toolKey.publicKey.export({ type: 'spki', format: 'pem' }));
const KID = 'tool-1';
/** The tool's real key: the 50 MB set is a valid one, so a platform without a cap would verify with it and keep it. */
const KEY_SET = { keys: [{ ...toolKey.publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' }] };

interface Fixtures {
  readonly keys: KeyServers;
  readonly admin: ApiClient;
  readonly org: string;
  /** client_ids of tools whose stored JWKS URL serves 50 MB, and of tools whose server drips. */
  readonly hugeTools: readonly string[];
  readonly drippingTools: readonly string[];
}

const register = (fixtures: Pick<Fixtures, 'admin' | 'org'>, key: Record<string, unknown>) =>
  fixtures.admin.post('/api/v1/lti/providers', {
    name: `Tool ${randomUUID().slice(0, 8)}`,
    organizationId: fixtures.org,
    ltiVersion: '1.3',
    loginUrl: 'https://tool.example/login',
    redirectUris: ['https://tool.example/launch'],
    targetLinkUri: 'https://tool.example/launch',
    services: ['grades'],
    ...key,
  });

/** A tool registered with a PEM whose JWKS URL is then set in the database, as an older release stored it. */
async function storedTool(app: BenchApp, fixtures: Pick<Fixtures, 'admin' | 'org'>, jwksUrl: string) {
  const created = await register(fixtures, { publicKeyPem: PEM });
  if (created.status !== 201) throw new Error(`provider: ${created.status} ${created.text}`);
  await app.query(`UPDATE lti_providers SET jwks_url = $1, public_key_pem = NULL WHERE id = $2`, [
    jwksUrl,
    created.body.id,
  ]);
  return created.body.platform.clientId as string;
}

async function setUp(app: BenchApp): Promise<Fixtures> {
  const keys = await KeyServers.start();
  const admin = await ApiClient.signIn(app.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
  const org = (await admin.get('/api/v1/organizations')).body.items[0].id as string;
  keys.serveKeys(KEY_SET);
  const tools = (path: string) =>
    Promise.all(range(TOOLS).map((i) => storedTool(app, { admin, org }, keys.url(`${path}?tool=${i}`))));
  const hugeTools = await tools('/huge-fast');
  const drippingTools = await tools('/drip');
  return { keys, admin, org, hugeTools, drippingTools };
}

/** Resident and peak resident memory of a process, in MB. */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

async function tokenStatus(app: BenchApp, clientId: string): Promise<string> {
  const tokenUrl = `${app.baseUrl}/lti/1p3/token`;
  const assertion = await new SignJWT({ iss: clientId, sub: clientId, aud: tokenUrl, jti: randomUUID() })
    .setProtectedHeader({ alg: 'RS256', kid: KID })
    .setIssuedAt()
    .setExpirationTime('1m')
    .sign(toolKey.privateKey);
  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
      scope: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
    }).toString(),
  });
  const body = (await response.json()) as { error_description?: string };
  return `${response.status} ${body.error_description ?? ''}`.trim();
}

/** Runs one phase: its answers counted, the time it took, memory after, and bytes the key server sent. */
async function phase(app: BenchApp, fixtures: Fixtures, name: string, expected: string, work: () => Promise<string[]>) {
  const transfersBefore = fixtures.keys.hugeTransfers.length;
  const started = performance.now();
  const answers = await work();
  const seconds = (performance.now() - started) / 1000;
  const transfers = fixtures.keys.hugeTransfers.slice(transfersBefore);
  await Promise.all(transfers.map((t) => t.closed));
  const counts = new Map<string, number>();
  for (const answer of answers) counts.set(answer, (counts.get(answer) ?? 0) + 1);
  const { rss, peak } = app.inProcess ? memory(process.pid) : memory(app.pid);
  const sent = transfers.map((t) => t.sent);
  print(
    `${name}: ${answers.length} requests in ${seconds.toFixed(1)} s; app RSS ${rss.toFixed(0)} MB (peak ${peak.toFixed(0)} MB)`,
  );
  for (const [answer, n] of counts) print(`  ${formatNumber(n)} × ${answer}`);
  if (sent.length > 0) {
    const total = sent.reduce((a, b) => a + b, 0);
    print(
      `  key server sent at most ${(Math.max(...sent) / 1024).toFixed(0)} KiB of ${HUGE_BYTES / 1024 / 1024} MB per fetch ` +
        `(${sent.length} fetches, ${(total / 1024 / 1024).toFixed(1)} MB in all)`,
    );
  }
  if (answers.some((answer) => answer !== expected)) {
    process.exitCode = 1;
    print(`  FAILED: every answer should be "${expected}"`);
  }
  if (sent.some((bytes) => bytes >= HUGE_BYTES)) {
    process.exitCode = 1;
    print(`  FAILED: a 50 MB key set was read to its end`);
  }
}

async function run({ app, fixtures }: BenchRun<Fixtures>): Promise<void> {
  const before = app.inProcess ? memory(process.pid) : memory(app.pid);
  print(`app RSS before: ${before.rss.toFixed(0)} MB (peak so far ${before.peak.toFixed(0)} MB)`);
  try {
    // Register first, key later: the provider is saved waiting for a usable key, with the reason.
    await phase(app, fixtures, 'save time, 50 MB key sets', '201 waiting: jwksUrl answered with more than 64 KiB', () =>
      mapWithConcurrency(range(SAVES), CONNECTIONS, async () => {
        const response = await register(fixtures, { jwksUrl: fixtures.keys.url('/huge-fast') });
        const key = response.body.toolKey as { status?: string; problem?: string } | undefined;
        return `${response.status} ${key?.status ?? ''}: ${key?.problem ?? response.body.errors?.[0]?.message ?? ''}`;
      }),
    );
    const runTime = (tools: readonly string[]) => tools.flatMap((clientId) => range(REQUESTS).map(() => clientId));
    const refused = (reason: string) => `401 The client assertion is not valid: the tool’s JWKS URL ${reason}`;
    await phase(app, fixtures, 'run time, 50 MB key sets', refused('answered with more than 64 KiB'), () =>
      mapWithConcurrency(runTime(fixtures.hugeTools), CONNECTIONS, (clientId) => tokenStatus(app, clientId)),
    );
    await phase(app, fixtures, 'run time, dripping key servers (5 s limit)', refused('could not be fetched'), () =>
      Promise.all(fixtures.drippingTools.flatMap((clientId) => range(5).map(() => tokenStatus(app, clientId)))),
    );
  } finally {
    await fixtures.keys.close();
  }
}

runBench({
  title: 'Outbound guard (hostile key servers)',
  load: `${TOOLS} tools per hostile server, ${SAVES} saves, ${REQUESTS} token requests per tool, ${CONNECTIONS} in flight`,
  setUp,
  run,
});
