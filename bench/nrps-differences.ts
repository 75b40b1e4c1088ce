import { performance } from 'node:perf_hooks';
import { NRPS_SCOPES } from '../libs/lti/src/lti1p3/lti-services';
import type { BenchApp } from './support/app-host';
import { BenchRun, print, runBench } from './support/harness';
import { createSelfPacedLearner, expectCreated, mapWithConcurrency, range } from './support/lti1p1-fixtures';
import { placeLti1p3Tool } from './support/lti1p3-fixtures';
import { requestToken, ToolClient } from './support/lti1p3-services';
import { formatMs, formatNumber, readNumber } from './support/report';
import { ApiClient } from '../test/support/api-client';

/**
 * NRPS differences against the whole roster: a course's self-paced context with MEMBERS members,
 * then CHANGES membership changes through the API (half new self-paced assignments, half
 * suspensions: the real write paths, so the triggers log them), then the tool reads the whole roster
 * (every page, 1000 a page) and the differences link it was given before the changes, ROUNDS times
 * each. It prints the size and the time of both answers and asserts nothing about time; it fails
 * only when the differences answer is not exactly the changed members.
 *
 * The MEMBERS learners are inserted with SQL in one statement (10 000 people through the API would
 * take minutes and measure nothing of NRPS); the CHANGES go through the API.
 *
 *   npm run bench:nrps        BENCH_MEMBERS (10000), BENCH_CHANGES (50), BENCH_ROUNDS (5)
 */
const MEMBERS = readNumber('BENCH_MEMBERS', 10_000);
const CHANGES = readNumber('BENCH_CHANGES', 50);
const ROUNDS = readNumber('BENCH_ROUNDS', 5);
const PAGE = 1000;

interface NrpsFixtures {
  readonly root: ApiClient;
  readonly tool: ToolClient;
  readonly tokenUrl: string;
  readonly organizationId: string;
  readonly courseId: string;
  readonly membershipsUrl: string;
}

interface Fetched {
  readonly members: number;
  readonly bytes: number;
  readonly requests: number;
  readonly ms: number;
  readonly differences: string;
}

async function setUp(app: BenchApp): Promise<NrpsFixtures> {
  const placed = await placeLti1p3Tool(app.baseUrl, { services: ['roster'] });
  await app.query(
    `WITH people AS (
       INSERT INTO users (email, name, given_name, family_name, organization_id)
       SELECT 'bench-nrps-' || n || '@example.com', 'Member ' || n, 'Member', 'N' || n, $1
         FROM generate_series(1, $3::int) AS n
       RETURNING id)
     INSERT INTO enrollments (kind, course_id, user_id, role) SELECT 'self_paced', $2, id, 'learner' FROM people`,
    [placed.organizationId, placed.courseId, MEMBERS],
  );
  const contextId = `${placed.courseId}:self-paced`;
  return {
    root: placed.root,
    tool: { clientId: placed.platform.clientId, privateKey: placed.toolPrivateKey },
    tokenUrl: placed.platform.tokenUrl,
    organizationId: placed.organizationId,
    courseId: placed.courseId,
    membershipsUrl: `${app.baseUrl}/lti/1p3/nrps/contexts/${encodeURIComponent(contextId)}/memberships`,
  };
}

/** Follows `rel="next"` from `url` to the last page, as a tool reads a roster. */
async function fetchAll(url: string, token: string): Promise<Fetched> {
  let next: string | undefined = url;
  let members = 0;
  let bytes = 0;
  let requests = 0;
  let differences = '';
  const started = performance.now();
  while (next) {
    const response: Response = await fetch(next, { headers: { authorization: `Bearer ${token}` } });
    const body = Buffer.from(await response.arrayBuffer());
    if (response.status !== 200) throw new Error(`NRPS answered ${response.status}: ${body.toString().slice(0, 300)}`);
    requests += 1;
    bytes += body.length;
    members += (JSON.parse(body.toString()) as { members: unknown[] }).members.length;
    const links = response.headers.get('link') ?? '';
    differences ||= /<([^>]+)>; rel="differences"/.exec(links)?.[1] ?? '';
    next = /<([^>]+)>; rel="next"/.exec(links)?.[1];
  }
  return { members, bytes, requests, ms: performance.now() - started, differences };
}

async function makeChanges(fixtures: NrpsFixtures): Promise<number> {
  const newcomers = Math.ceil(CHANGES / 2);
  await mapWithConcurrency(range(newcomers), 4, (i) =>
    createSelfPacedLearner(fixtures.root, {
      email: `bench-nrps-new-${i}@example.com`,
      name: `Newcomer ${i}`,
      organizationId: fixtures.organizationId,
      courseId: fixtures.courseId,
    }),
  );
  const people = await fixtures.root.get(`/api/v1/users?organizationId=${fixtures.organizationId}&limit=100`);
  const existing = (people.body.items as { id: string; email: string }[]).filter((u) =>
    u.email.startsWith('bench-nrps-'),
  );
  const suspended = existing.filter((u) => !u.email.startsWith('bench-nrps-new-')).slice(0, CHANGES - newcomers);
  for (const person of suspended) {
    await expectCreated(fixtures.root.patch(`/api/v1/users/${person.id}`, { status: 'suspended' }), 200);
  }
  return newcomers + suspended.length;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main({ fixtures }: BenchRun<NrpsFixtures>): Promise<void> {
  const token = await requestToken(fixtures.tool, fixtures.tokenUrl, [NRPS_SCOPES.contextMembershipReadOnly]);
  const before = await fetchAll(`${fixtures.membershipsUrl}?limit=${PAGE}`, token);
  const changed = await makeChanges(fixtures);
  const rosters: Fetched[] = [];
  const differences: Fetched[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    rosters.push(await fetchAll(`${fixtures.membershipsUrl}?limit=${PAGE}`, token));
    differences.push(await fetchAll(before.differences, token));
  }
  const roster = rosters[0];
  const diff = differences[0];
  print(`members ${formatNumber(before.members)} before, ${formatNumber(roster.members)} after ${changed} changes`);
  print(
    `whole roster:  ${formatNumber(roster.bytes)} bytes in ${roster.requests} pages, ` +
      `median ${formatMs(median(rosters.map((f) => f.ms)))} (of ${ROUNDS})`,
  );
  print(
    `differences:   ${formatNumber(diff.bytes)} bytes, ${diff.members} members in ${diff.requests} page, ` +
      `median ${formatMs(median(differences.map((f) => f.ms)))} (of ${ROUNDS})`,
  );
  print(
    `ratio: ${(roster.bytes / diff.bytes).toFixed(0)}× fewer bytes, ` +
      `${(median(rosters.map((f) => f.ms)) / median(differences.map((f) => f.ms))).toFixed(0)}× faster`,
  );
  if (differences.some((f) => f.members !== changed)) {
    throw new Error(
      `the differences answer held ${differences.map((f) => f.members).join(', ')} members, not ${changed}`,
    );
  }
}

runBench({
  title: 'NRPS differences',
  load: `${MEMBERS} members, ${CHANGES} changes, ${ROUNDS} rounds`,
  setUp,
  run: main,
});
