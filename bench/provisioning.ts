import { performance } from 'node:perf_hooks';
import { ApiClient } from '../test/support/api-client';
import { catalogRows, csvFile } from '../test/support/provisioning-files';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../test/support/test-app';
import type { BenchApp } from './support/app-host';
import { BenchRun, print, runBench } from './support/harness';
import { cpuLine, formatMs, readNumber } from './support/report';

/**
 * Bulk provisioning of the LTI catalog: how long a file of BENCH_ROWS rows (20 providers, the rest
 * resource links; 1,000 by default) takes to be refused for three bad rows, to be checked in a dry
 * run, to be applied, and to be imported again unchanged (its export). One run of each, one after
 * the other, on an otherwise idle app. Prints figures and asserts nothing about time; it fails
 * when an answer is not the one expected.
 *
 *   npm run bench:provisioning
 */
const ROWS = readNumber('BENCH_ROWS', 1000);
const PATH = '/api/v1/lti/provisioning';

/** The fields of an import's answer the checks read (a report, or a problem with its errors). */
interface Answer {
  readonly created?: number;
  readonly unchanged?: number;
  readonly applied?: boolean;
  readonly errors?: readonly unknown[];
}

interface Fixtures {
  readonly admin: ApiClient;
  readonly good: string;
  readonly bad: string;
}

async function setUp(app: BenchApp): Promise<Fixtures> {
  const admin = await ApiClient.signIn(app.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
  const created = await admin.post('/api/v1/organizations', { name: 'Bench' });
  if (created.status !== 201) throw new Error(`organization: ${created.status} ${created.text}`);
  const rows = catalogRows(created.body.id, ROWS);
  const bad = rows.map((row, index) =>
    [Math.floor(ROWS * 0.4), Math.floor(ROWS * 0.65), Math.floor(ROWS * 0.9)].includes(index)
      ? { ...row, url: 'ftp://content.example.com/lesson' }
      : row,
  );
  return { admin, good: csvFile(rows).text, bad: csvFile(bad).text };
}

async function main({ app, fixtures, meter }: BenchRun<Fixtures>): Promise<void> {
  const step = async (
    label: string,
    body: string,
    query: string,
    expected: number,
    check: (answer: Answer) => boolean,
  ) => {
    const start = await meter.snapshot();
    const started = performance.now();
    const answer = await fixtures.admin.request<Answer>('POST', `${PATH}${query}`, body, 'text/csv');
    const ms = performance.now() - started;
    const use = await meter.since(start);
    print(`${label.padEnd(34)}: ${formatMs(ms).padStart(9)}  (${(ms / ROWS).toFixed(2)} ms a row)`);
    print(`${''.padEnd(34)}  ${cpuLine(use, ROWS, 'row', app.inProcess)}`);
    if (answer.status !== expected || !check(answer.body)) {
      print(`unexpected answer to "${label}": ${answer.status} ${answer.text.slice(0, 300)}`);
      process.exitCode = 1;
    }
  };
  print();
  await step(`refused, 3 bad rows of ${ROWS}`, fixtures.bad, '', 400, (body) => body.errors?.length === 3);
  await step('dry run', fixtures.good, '?dryRun=true', 200, (body) => body.created === ROWS && !body.applied);
  await step(
    'applied (one transaction)',
    fixtures.good,
    '',
    200,
    (body) => body.created === ROWS && body.applied === true,
  );
  const exported = await fixtures.admin.request<Answer>('GET', `${PATH}?format=csv`);
  await step('export imported again (no-op)', exported.text, '', 200, (body) => body.unchanged === ROWS);
}

runBench({ title: 'Bulk provisioning', load: `one file of ${ROWS} rows at a time`, setUp, run: main });
