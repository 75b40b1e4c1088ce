import { ApiClient } from './support/api-client';
import { FormSession } from './support/form-session';
import { parsePoxResponse, poxRequest, signOutcome } from './support/lti1p1-fixture';
import {
  AGS_SCOPES,
  NRPS_MEMBERSHIP_SCOPE,
  registerServiceTool,
  requestServiceToken,
  sendTokenRequest,
  ServiceClient,
} from './support/lti-services-client';
import { PrivatePostgres } from './support/private-postgres';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

const WORKERS = 6;

interface Answer {
  readonly status: number;
  readonly type: string;
  readonly retryAfter: string | null;
  readonly text: string;
}

async function answerOf(response: Response): Promise<Answer> {
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    retryAfter: response.headers.get('retry-after'),
    text: await response.text(),
  };
}

/**
 * PostgreSQL stopped under load and started again, with one application instance throughout: every
 * transport answers 503 with Retry-After in its own format while the database is away (never 500),
 * and the same instance serves again once it is back. The server is this file's own: the shared test
 * server must stay up for every other file.
 */
describe('a PostgreSQL restart under load', () => {
  let postgres: PrivatePostgres;
  let testApp: TestApp;
  let admin: ApiClient;
  let browser: FormSession;
  let tool: ServiceClient;
  let serviceToken: string;
  let classId: string;
  const consumer = { key: 'outage-consumer', secret: 'outage-shared-secret-0123456789' };

  /** One request of each transport, as its client sends it. */
  const probes: Record<string, () => Promise<Answer>> = {
    api: async () =>
      answerOf(
        await fetch(`${testApp.baseUrl}/api/v1/organizations`, { headers: { authorization: `Bearer ${admin.token}` } }),
      ),
    page: async () => answerOf(await browser.get('/learn')),
    token: async () => answerOf(await sendTokenRequest(testApp.baseUrl, tool, AGS_SCOPES.lineItemReadOnly)),
    ags: async () =>
      answerOf(
        await fetch(`${testApp.baseUrl}/lti/1p3/ags/contexts/${classId}/lineitems`, {
          headers: { authorization: `Bearer ${serviceToken}` },
        }),
      ),
    nrps: async () =>
      answerOf(
        await fetch(`${testApp.baseUrl}/lti/1p3/nrps/contexts/${classId}/memberships`, {
          headers: { authorization: `Bearer ${serviceToken}` },
        }),
      ),
    outcomes: async () => {
      const url = `${testApp.baseUrl}/lti/1p1/outcomes`;
      const signed = signOutcome({
        url,
        body: poxRequest({ operation: 'readResult', sourcedId: 'not-issued-here' }).xml,
        ...consumer,
      });
      return answerOf(
        await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/xml', authorization: signed.authorization },
          body: signed.body,
        }),
      );
    },
    ready: async () => answerOf(await fetch(`${testApp.baseUrl}/health/ready`)),
  };

  async function until(probe: () => Promise<Answer>, status: number): Promise<void> {
    for (let attempt = 0; attempt < 300; attempt++) {
      if ((await probe()).status === status) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`never answered ${status}`);
  }

  beforeAll(async () => {
    postgres = await PrivatePostgres.create();
    testApp = await startTestApp({}, { databaseServer: postgres.url });
    admin = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const org = (await admin.post('/api/v1/organizations', { name: 'Outage' })).body.id;
    const registered = await registerServiceTool(admin, {
      name: 'Outage tool',
      organizationId: org,
      services: ['grades', 'roster'],
    });
    tool = registered;
    const legacy = await admin.post('/api/v1/lti/providers', {
      name: 'Outage 1.1 tool',
      organizationId: org,
      ltiVersion: '1.1',
      consumerKey: consumer.key,
      sharedSecret: consumer.secret,
      availableOrganizationIds: [org],
    });
    expect(legacy.status).toBe(201);
    const link = await admin.post('/api/v1/lti/resource-links', {
      name: 'Outage quiz',
      organizationId: org,
      providerId: registered.id,
      url: 'http://127.0.0.1:9/launch',
      requiresScoreForCompletion: true,
      availableOrganizationIds: [org],
    });
    const course = await admin.post('/api/v1/courses', { title: 'Outage course', organizationId: org });
    expect(
      (await admin.post(`/api/v1/courses/${course.body.id}/activities`, { resourceLinkId: link.body.id })).status,
    ).toBe(201);
    classId = (await admin.post('/api/v1/classes', { courseId: course.body.id, title: 'Outage class' })).body.id;
    serviceToken = await requestServiceToken(
      testApp.baseUrl,
      tool,
      `${AGS_SCOPES.lineItemReadOnly} ${NRPS_MEMBERSHIP_SCOPE}`,
    );
    browser = new FormSession(testApp.baseUrl);
    await browser.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await testApp?.close();
    await postgres?.destroy();
  });

  it('should answer 503 in each transport’s format while PostgreSQL is down, never 500, and recover without a restart', async () => {
    for (const [name, probe] of Object.entries(probes)) {
      expect({ name, status: (await probe()).status }).toEqual({ name, status: 200 });
    }

    const seen: Array<{ name: string; status: number }> = [];
    let loading = true;
    const names = Object.keys(probes);
    const workers = Array.from({ length: WORKERS }, async (_, worker) => {
      for (let i = worker; loading; i++) {
        const name = names[i % names.length];
        const status = await probes[name]().then(
          (answer) => answer.status,
          () => 0,
        );
        seen.push({ name, status });
      }
    });
    const app = testApp.app;

    await new Promise((resolve) => setTimeout(resolve, 300));
    await postgres.stop();
    await until(probes.ready, 503);
    const down = Object.fromEntries(
      await Promise.all(Object.entries(probes).map(async ([name, probe]) => [name, await probe()] as const)),
    );
    // Under load throughout the outage: the database comes back once the workers met it down a while.
    while (seen.filter((answer) => answer.status === 503).length < 20 * names.length) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await postgres.start();
    await until(probes.ready, 200);
    loading = false;
    await Promise.all(workers);

    for (const [name, answer] of Object.entries(down)) {
      expect({ name, status: answer.status, retryAfter: answer.retryAfter }).toEqual({
        name,
        status: 503,
        retryAfter: '5',
      });
    }
    for (const name of ['api', 'ags', 'nrps']) {
      expect(down[name].type).toContain('application/problem+json');
      expect(JSON.parse(down[name].text)).toMatchObject({ status: 503, code: 'temporarily_unavailable' });
    }
    expect(down.token.type).toContain('application/json');
    expect(JSON.parse(down.token.text)).toMatchObject({ error: 'temporarily_unavailable' });
    expect(down.page.type).toContain('text/html');
    expect(down.page.text).toContain('Service Unavailable');
    const pox = parsePoxResponse(down.outcomes.status, down.outcomes.type, down.outcomes.text);
    expect(pox.contentType).toContain('application/xml');
    expect(pox.codeMajor).toBe('failure');
    expect(down.ready.type).toContain('application/json');
    expect(JSON.parse(down.ready.text)).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });

    const unexpected = seen.filter((answer) => answer.status !== 200 && answer.status !== 503);
    const unavailable = seen.filter((answer) => answer.status === 503).length;
    console.log(`${seen.length} requests under load: ${unavailable} answered 503, ${unexpected.length} anything else`);
    expect(unexpected).toEqual([]);

    expect(testApp.app).toBe(app);
    for (const [name, probe] of Object.entries(probes)) {
      expect({ name, status: (await probe()).status }).toEqual({ name, status: 200 });
    }
  });

  it('should log every 503 with its cause and the request id, services included', () => {
    const outages = testApp.logs.lines
      .map(
        (line) => JSON.parse(line) as { msg?: string; requestId?: string; path?: string; err?: { message?: string } },
      )
      .filter((entry) => entry.msg === 'Database unavailable');
    const paths = new Set(outages.map((entry) => entry.path?.split('/').slice(0, 4).join('/')));
    for (const path of [
      '/api/v1/organizations',
      '/lti/1p3/ags',
      '/lti/1p3/nrps',
      '/lti/1p3/token',
      '/lti/1p1/outcomes',
      '/learn',
    ]) {
      expect([...paths]).toContain(path);
    }
    for (const entry of outages) {
      expect(entry.requestId).toEqual(expect.any(String));
      expect(entry.err?.message).toEqual(expect.any(String));
    }
  });
});
