import { ApiClient } from './support/api-client';
import { FormSession } from './support/form-session';
import { FuzzRequest, FuzzResult, SeededRandom, sendAll } from './support/fuzz';
import { apiRequests, OpenApiDocument } from './support/fuzz-api';
import { ltiRequests, LtiWorld } from './support/fuzz-lti';
import { Browser, pageRequests, PageWorld } from './support/fuzz-pages';
import { createFixtures } from './support/fuzz-world';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

/** Fixed, so every run sends exactly the same requests and a failure can be replayed. */
const SEED = 0x5eed_2026;

/**
 * Tables that record refusals by design: the score ledger keeps every rejected score request, and
 * refused LTI 1.3 authorizations are kept (bounded per minute) for the tool's administrators.
 */
const LEDGER = 'score_ledger';
const REFUSED_AUTHORIZATIONS = 'lti1p3_refused_authorizations';

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
      if (name === REFUSED_AUTHORIZATIONS) continue;
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
    const f = await createFixtures(testApp.baseUrl, admin);
    const browser = async (email?: string, password?: string): Promise<Browser> => {
      const session = new FormSession(testApp.baseUrl);
      if (email) await session.signIn(email, password!);
      await session.get(email ? '/learn' : '/login');
      return { cookie: session.cookieHeader(), csrf: session.csrf };
    };
    const document = (await (await fetch(`${testApp.baseUrl}/api/docs-json`)).json()) as OpenApiDocument;
    const random = new SeededRandom(SEED);
    const ids = {
      organizations: f.org,
      users: f.learnerId,
      membershipId: f.membership,
      providers: f.providerId,
      'resource-links': f.link,
      courses: f.course,
      activityId: f.activity,
      classes: f.courseClass,
      enrollmentId: f.enrollment,
      enrollments: f.enrollment,
      'self-paced-assignments': f.selfPaced,
    };
    const api = apiRequests(
      document,
      {
        ids,
        fields: {
          organizationId: f.org,
          parentId: f.org,
          courseId: f.course,
          userId: f.learnerId,
          providerId: f.providerId,
          resourceLinkId: f.link,
          activityIds: [f.activity],
          email: 'fuzz-made@example.com',
          url: 'http://127.0.0.1:9/other',
        },
        adminToken: admin.token!,
        wrongKindTokens: [f.serviceToken],
      },
      random,
    );
    const ltiWorld: LtiWorld = {
      baseUrl: testApp.baseUrl,
      classId: f.courseClass,
      lineItemId: f.lineItemId,
      ltiUserId: f.learnerId,
      clientId: f.clientId,
      consumer: f.consumer,
      serviceToken: f.serviceToken,
      apiToken: admin.token!,
    };
    const lti = await ltiRequests(ltiWorld, random);
    const pageWorld: PageWorld = {
      ids: {
        org: f.org,
        user: f.learnerId,
        membership: f.membership,
        provider: f.providerId,
        provider11: f.lti1p1ProviderId,
        link: f.link,
        course: f.course,
        activity: f.activity,
        class: f.courseClass,
        enrollment: f.enrollment,
        selfPaced: f.selfPaced,
      },
      admin: await browser(ADMIN_EMAIL, ADMIN_PASSWORD),
      visitor: await browser(),
      learner: await browser(f.learnerEmail, f.learnerPassword),
      enrollmentId: f.enrollment,
      activityId: f.activity,
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
