import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { LARGE_ANSWERS_AT_ONCE, LargeAnswers } from '../apps/tms/src/http/shared/answer-limit';
import { ApiClient } from './support/api-client';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

/** A response of the test's own holding a turn until the test closes it. */
function heldTurn(): ServerResponse & { close(): void } {
  const held = new EventEmitter() as ServerResponse & { close(): void };
  held.close = () => void held.emit('close');
  return held;
}

/**
 * Rosters, reports and NRPS pages are built a few at a time per process (`LargeAnswers`): the
 * routes wait for a turn after their guards, and a client that leaves while waiting gives its turn up.
 */
describe('large answers built a few at a time', () => {
  let testApp: TestApp;
  let root: ApiClient;
  let limit: LargeAnswers;
  let rosterPath: string;
  let reportPath: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    limit = testApp.app.get(LargeAnswers);
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const organizationId = (await root.post('/api/v1/organizations', { name: 'Turn school' })).body.id;
    const courseId = (await root.post('/api/v1/courses', { title: 'Turn course', organizationId })).body.id;
    const classId = (await root.post('/api/v1/classes', { courseId, title: 'Turn class' })).body.id;
    rosterPath = `/api/v1/classes/${classId}/enrollments?limit=1000`;
    reportPath = `/api/v1/courses/${courseId}/progress?limit=1000`;
  });

  afterAll(async () => {
    await testApp?.close();
  });

  /** Every turn taken by the test's own responses; closing them gives the turns back. */
  async function holdEveryTurn(): Promise<Array<ServerResponse & { close(): void }>> {
    const held = Array.from({ length: LARGE_ANSWERS_AT_ONCE }, heldTurn);
    await Promise.all(held.map((one) => limit.turn(one)));
    return held;
  }

  async function until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  it('should keep a roster waiting while every turn is taken and answer it when one is given back', async () => {
    const held = await holdEveryTurn();
    let answered = false;
    const roster = root.get(rosterPath).then((answer) => ((answered = true), answer));

    await until(() => limit.load.waiting === 1);
    expect(answered).toBe(false);
    const metrics = await (await fetch(`${testApp.baseUrl}/metrics`)).text();
    expect(metrics).toContain(`tms_large_answers{state="building"} ${LARGE_ANSWERS_AT_ONCE}`);
    expect(metrics).toContain('tms_large_answers{state="waiting"} 1');
    held[0].close();

    expect((await roster).status).toBe(200);
    held.slice(1).forEach((one) => one.close());
    expect(limit.load).toEqual({ building: 0, waiting: 0 });
  });

  it('should answer rosters and reports asked together more often than there are turns, each in full', async () => {
    const answers = await Promise.all(
      Array.from({ length: 4 * LARGE_ANSWERS_AT_ONCE }, (_, n) => root.get(n % 2 === 0 ? rosterPath : reportPath)),
    );

    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
    expect(new Set(answers.filter((_, n) => n % 2 === 0).map((answer) => answer.text)).size).toBe(1);
    await until(() => limit.load.building === 0);
    expect(limit.load).toEqual({ building: 0, waiting: 0 });
  });

  it('should give up the place of a client that leaves while it waits', async () => {
    const held = await holdEveryTurn();
    const leaving = new AbortController();
    const request = fetch(`${testApp.baseUrl}${rosterPath}`, {
      headers: { authorization: `Bearer ${root.token}` },
      signal: leaving.signal,
    }).catch((error: Error) => error.name);

    await until(() => limit.load.waiting === 1);
    leaving.abort();
    expect(await request).toBe('AbortError');
    await until(() => limit.load.waiting === 0);
    held.forEach((one) => one.close());

    expect(limit.load).toEqual({ building: 0, waiting: 0 });
    expect((await root.get(rosterPath)).status).toBe(200);
  });

  it('should refuse a request without a session at once when every turn is taken', async () => {
    const held = await holdEveryTurn();

    const refused = await fetch(`${testApp.baseUrl}${rosterPath}`);

    expect(refused.status).toBe(401);
    expect(limit.load).toEqual({ building: LARGE_ANSWERS_AT_ONCE, waiting: 0 });
    held.forEach((one) => one.close());
  });
});
