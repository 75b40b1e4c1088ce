import { generateKeyPairSync } from 'node:crypto';
import { ApiClient, createPerson } from './support/api-client';
import { FormSession } from './support/form-session';
import { FuzzRequest, FuzzResult, SeededRandom, sendAll } from './support/fuzz';
import { apiRequests, OpenApiDocument } from './support/fuzz-api';
import { ltiRequests, LtiWorld } from './support/fuzz-lti';
import { Browser, pageRequests, PageWorld } from './support/fuzz-pages';
import { AGS_SCOPES, NRPS_MEMBERSHIP_SCOPE, requestServiceToken } from './support/lti-services-client';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

/** Fixed, so every run sends exactly the same requests and a failure can be replayed. */
const SEED = 0x5eed_2026;

/** Tables that record refusals by design: the score ledger keeps every rejected score request. */
const LEDGER = 'score_ledger';

/**
 * Thousands of malformed requests to every route of the OpenAPI document and to the protocol and
 * page routes, anonymous and as an administrator. Two batches: requests that must all be refused
 * (no 5xx, and not a row written: every table compared before and after), then anything at all
 * (odd, huge and random values, bodies that are wrong as a whole; no 5xx).
 */
describe('fuzzing every route', () => {
  let testApp: TestApp;
  let refused: FuzzRequest[];
  let anything: FuzzRequest[];
  let last: FuzzRequest[];
  let apiRefused: Set<FuzzRequest>;

  /** Every table's row count and a checksum of its rows; the ledger counts only what it accepted. */
  async function snapshot(): Promise<Record<string, string>> {
    const tables: Array<{ name: string }> = await testApp.dataSource.query(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const state: Record<string, string> = {};
    for (const { name } of tables) {
      const filter = name === LEDGER ? `WHERE t.decision <> 'rejected'` : '';
      const [row] = await testApp.dataSource.query(
        `SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') AS state
           FROM "${name}" t ${filter}`,
      );
      state[name] = row.state;
    }
    return state;
  }

  /** 5xx answers (and requests that got no answer at all), as `status label` lines: few, readable. */
  const serverErrors = (results: readonly FuzzResult[]) =>
    results.filter((result) => result.status >= 500 || result.status === 0).map((r) => `${r.status} ${r.label}`);

  const totals = { requests: 0, serverErrors: 0 };
  function report(name: string, results: readonly FuzzResult[]): void {
    totals.requests += results.length;
    totals.serverErrors += serverErrors(results).length;
    console.log(`fuzz ${name} (seed ${SEED}): ${results.length} requests, ${serverErrors(results).length} 5xx`);
  }

  beforeAll(async () => {
    testApp = await startTestApp({ LOG_LEVEL: 'warn' });
    const admin = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const created = async (path: string, body: unknown) => {
      const response = await admin.post(path, body);
      if (response.status !== 201) throw new Error(`${path}: ${response.status} ${response.text}`);
      return response.body.id as string;
    };
    const org = await created('/api/v1/organizations', { name: 'Fuzz' });
    const learner = await createPerson(admin, {
      email: 'fuzz-learner@example.com',
      organizationId: org,
      role: 'learner',
    });
    const membership = (await admin.get(`/api/v1/users/${learner.id}/memberships`)).body[0].id;
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const provider = await admin.post('/api/v1/lti/providers', {
      name: 'Fuzz tool',
      organizationId: org,
      ltiVersion: '1.3',
      loginUrl: 'http://127.0.0.1:9/login',
      redirectUris: ['http://127.0.0.1:9/launch'],
      targetLinkUri: 'http://127.0.0.1:9/launch',
      publicKeyPem: String(key.publicKey.export({ type: 'spki', format: 'pem' })),
      services: ['grades', 'roster', 'deep_linking'],
      availableOrganizationIds: [org],
    });
    const consumer = { key: 'fuzz-consumer', secret: 'fuzz-shared-secret-0123456789' };
    await created('/api/v1/lti/providers', {
      name: 'Fuzz 1.1 tool',
      organizationId: org,
      ltiVersion: '1.1',
      consumerKey: consumer.key,
      sharedSecret: consumer.secret,
      availableOrganizationIds: [org],
    });
    const link = await created('/api/v1/lti/resource-links', {
      name: 'Fuzz quiz',
      organizationId: org,
      providerId: provider.body.id,
      url: 'http://127.0.0.1:9/launch',
      requiresScoreForCompletion: true,
      availableOrganizationIds: [org],
    });
    const course = await created('/api/v1/courses', { title: 'Fuzz course', organizationId: org });
    const activity = await created(`/api/v1/courses/${course}/activities`, { resourceLinkId: link });
    const courseClass = await created('/api/v1/classes', { courseId: course, title: 'Fuzz class' });
    const enrollment = await created(`/api/v1/classes/${courseClass}/enrollments`, { userId: learner.id });
    const selfPaced = await created('/api/v1/self-paced-assignments', { courseId: course, userId: learner.id });
    const tool = { clientId: provider.body.platform.clientId, privateKey: key.privateKey };
    const scopes = [...Object.values(AGS_SCOPES), NRPS_MEMBERSHIP_SCOPE].join(' ');
    const serviceToken = await requestServiceToken(testApp.baseUrl, tool, scopes);
    const items = await fetch(`${testApp.baseUrl}/lti/1p3/ags/contexts/${courseClass}/lineitems`, {
      headers: { authorization: `Bearer ${serviceToken}` },
    });
    const lineItemId = String(((await items.json()) as Array<{ id: string }>)[0].id.split('/').pop());

    const browser = async (email?: string, password?: string): Promise<Browser> => {
      const session = new FormSession(testApp.baseUrl);
      if (email) await session.signIn(email, password!);
      await session.get(email ? '/learn' : '/login');
      return { cookie: session.cookieHeader(), csrf: session.csrf };
    };
    const document = (await (await fetch(`${testApp.baseUrl}/api/docs-json`)).json()) as OpenApiDocument;
    const random = new SeededRandom(SEED);
    const ids = {
      organizations: org,
      users: learner.id,
      membershipId: membership,
      providers: provider.body.id,
      'resource-links': link,
      courses: course,
      activityId: activity,
      classes: courseClass,
      enrollmentId: enrollment,
      enrollments: enrollment,
      'self-paced-assignments': selfPaced,
    };
    const api = apiRequests(
      document,
      {
        ids,
        fields: {
          organizationId: org,
          parentId: org,
          courseId: course,
          userId: learner.id,
          providerId: provider.body.id,
          resourceLinkId: link,
          activityIds: [activity],
          email: 'fuzz-made@example.com',
          url: 'http://127.0.0.1:9/other',
        },
        adminToken: admin.token!,
        wrongKindTokens: [serviceToken],
      },
      random,
    );
    const ltiWorld: LtiWorld = {
      baseUrl: testApp.baseUrl,
      classId: courseClass,
      lineItemId,
      ltiUserId: learner.id,
      clientId: tool.clientId,
      consumer,
      serviceToken,
      apiToken: admin.token!,
    };
    const lti = await ltiRequests(ltiWorld, random);
    const pageWorld: PageWorld = {
      ids: {
        org,
        user: learner.id,
        membership,
        provider: provider.body.id,
        link,
        course,
        activity,
        class: courseClass,
        enrollment,
        selfPaced,
      },
      admin: await browser(ADMIN_EMAIL, ADMIN_PASSWORD),
      visitor: await browser(),
      learner: await browser('fuzz-learner@example.com', 'a-long-test-password'),
      enrollmentId: enrollment,
      activityId: activity,
    };
    const pages = pageRequests(pageWorld);
    apiRefused = new Set(api.refused);
    refused = [...api.refused, ...lti.refused, ...pages.refused];
    anything = [...api.anything, ...lti.anything, ...pages.anything];
    last = [...api.last, ...lti.last, ...pages.last];
  }, 120_000);

  afterAll(async () => {
    console.log(`fuzz in all: ${totals.requests} requests, ${totals.serverErrors} 5xx`);
    await testApp?.close();
  });

  it('should answer every malformed request with a refusal, never a 5xx, and write no row', async () => {
    const before = await snapshot();
    const results = await sendAll(testApp.baseUrl, refused);
    const after = await snapshot();
    report('refused batch', results);
    expect(serverErrors(results)).toEqual([]);
    // An API request is refused with a 4xx; protocol routes may answer a refusal in their own way
    // (a POX failure, an OIDC error posted back to the tool), so for them the rows tell.
    const accepted = results.filter((r, i) => apiRefused.has(refused[i]) && !(r.status >= 400 && r.status < 500));
    expect(accepted.map((r) => `${r.status} ${r.label}`)).toEqual([]);
    expect(after).toEqual(before);
    expect(results.length).toBeGreaterThan(2000);
  }, 180_000);

  it('should never answer 5xx to odd, huge or random values, or to whole bodies of the wrong kind', async () => {
    const results = [...(await sendAll(testApp.baseUrl, anything)), ...(await sendAll(testApp.baseUrl, last, 1))];
    report('anything batch', results);
    expect(serverErrors(results)).toEqual([]);
    expect(results.length).toBeGreaterThan(1000);
  }, 180_000);
});
