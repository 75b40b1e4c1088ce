import { ApiClient } from './support/api-client';
import { FormSession } from './support/form-session';
import { browserOf, decodeHtml } from './support/lti1p1-fixture';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';
import { leakedMarkers, TwoTenants, twoTenants } from './support/two-tenants';

interface OpenApiOperation {
  readonly parameters?: ReadonlyArray<{ name: string; in: string; schema?: { format?: string } }>;
}

/**
 * Tenant isolation, swept: every GET route of the API (read from the OpenAPI document, so a new
 * route is covered the day it lands) and every page tenant A's administrator can reach, asked by an
 * administrator of another top-level organization and by a learner, must show no id, name or email
 * of tenant A, the score ledger included.
 */
describe('tenant isolation sweep', () => {
  let testApp: TestApp;
  let t: TwoTenants;
  let requests: string[];
  let pages: string[];

  /** A person's own id, email and name are no leak to them (the layout shows their name). */
  const ownIdentity = (who: string): string[] =>
    who.endsWith('A') ? [t.a.learner.id, t.a.learner.email, 'Aldous Learnerby'] : [];

  /** Tenant A's id for a path or query parameter, by the collection it names. */
  const idFor = (name: string, collection: string | undefined): string => {
    const byCollection: Record<string, string> = {
      organizations: t.a.organizationId,
      users: t.a.learner.id,
      providers: t.a.providerId,
      'resource-links': t.a.linkId,
      courses: t.a.courseId,
      classes: t.a.classId,
      enrollments: t.a.selfPacedEnrollmentId,
      'self-paced-assignments': t.a.selfPacedEnrollmentId,
      activities: t.a.activityId,
      memberships: t.a.membershipId,
      registrations: t.a.registrationId,
    };
    const byName: Record<string, string> = {
      organizationId: t.a.organizationId,
      usableIn: t.a.childId,
      courseId: t.a.courseId,
      userId: t.a.learner.id,
      providerId: t.a.providerId,
      entityId: t.a.learner.id,
      activityId: t.a.activityId,
      enrollmentId: t.a.classEnrollmentId,
      membershipId: t.a.membershipId,
    };
    const id = name === 'id' && collection ? byCollection[collection] : byName[name];
    if (!id) throw new Error(`No id of tenant A for parameter ${name} (after /${collection}): add one to the sweep`);
    return id;
  };

  /** Each GET route with its path filled with tenant A's ids, and once more with every uuid query parameter. */
  const apiRequests = (paths: Record<string, { get?: OpenApiOperation }>): string[] =>
    Object.entries(paths)
      .filter(([path, operations]) => path.startsWith('/api/v1/') && operations.get)
      .flatMap(([path, operations]) => {
        const filled = path.replace(/\{(\w+)\}/g, (_whole, name: string, offset: number) =>
          idFor(name, path.slice(0, offset).split('/').filter(Boolean).pop()),
        );
        const query = (operations.get!.parameters ?? [])
          .filter((p) => p.in === 'query' && p.schema?.format === 'uuid')
          .map((p) => `${p.name}=${idFor(p.name, undefined)}`);
        return query.length === 0 ? [filled] : [filled, `${filled}?${query.join('&')}`];
      });

  beforeAll(async () => {
    testApp = await startTestApp();
    const root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    t = await twoTenants(testApp, root);
    const document = await new ApiClient(testApp.baseUrl).get('/api/docs-json');
    requests = apiRequests(document.body.paths);
    pages = await crawl(await browserOf(testApp.baseUrl, t.a.admin.email));
  });

  afterAll(async () => {
    await t?.tool.close();
    await testApp?.close();
  });

  it('should sweep every GET route of the OpenAPI document and pages of every area when tenant A is seeded', () => {
    expect(requests.length).toBeGreaterThanOrEqual(30);
    for (const path of ['/api/v1/score-ledger', `/api/v1/users/${t.a.learner.id}`, '/api/v1/audit-events']) {
      expect(requests).toContain(path);
    }
    const areas = new Set(pages.map((page) => page.split('/').slice(0, 3).join('/')));
    expect([...areas]).toEqual(
      expect.arrayContaining(['/admin/organizations', '/admin/people', '/admin/lti', '/author/courses']),
    );
    expect([...areas]).toEqual(expect.arrayContaining(['/teach/classes', '/teach/self-paced', '/teach/score-ledger']));
    expect(pages).toEqual(expect.arrayContaining([`/teach/classes/${t.a.classId}`, `/author/courses/${t.a.courseId}`]));
    expect(t.a.ledgerIds.length).toBeGreaterThanOrEqual(2);
    process.stdout.write(`Swept ${requests.length} API requests and ${pages.length} pages\n`);
  });

  it('should show tenant A’s rows to tenant A’s administrator when the same requests are made (the markers are real)', async () => {
    const seen = new Set<string>();
    for (const path of requests) {
      const response = await t.a.admin.client.get(path);
      if (/\{|\/[0-9a-f-]{36}/.test(path)) expect({ path, status: response.status }).toEqual({ path, status: 200 });
      for (const marker of leakedMarkers(t.a, response.text, path)) seen.add(marker);
    }
    const ledger = await t.a.admin.client.get('/api/v1/score-ledger');
    expect(ledger.body.items.map((e: { id: string }) => e.id)).toEqual(expect.arrayContaining([...t.a.ledgerIds]));
    expect([...seen]).toEqual(
      expect.arrayContaining([t.a.learner.email, 'alpha course basics', 'alpha quiz engine', ...t.a.ledgerIds]),
    );
  });

  it.each(['admin of another top-level organization', 'learner of another organization', 'learner of tenant A'])(
    'should show no row of tenant A on any API GET route to the %s',
    async (who) => {
      const client = who.startsWith('admin')
        ? t.b.admin.client
        : who.endsWith('A')
          ? t.a.learner.client
          : t.b.learner.client;
      const leaks: Array<{ path: string; status: number; markers: string[] }> = [];
      for (const path of requests) {
        // A learner of tenant A reads their own learning (progress, submissions); everything else of A is staff's.
        if (
          who.endsWith('A') &&
          /\/me\/learning|\/enrollments\/[^/]+\/(progress|activities\/[^/]+\/submissions)/.test(path)
        )
          continue;
        const response = await client.get(path);
        expect(response.status).toBeLessThan(500);
        const markers = leakedMarkers(t.a, response.text, path, ownIdentity(who));
        if (markers.length > 0 || (response.status === 200 && /\/[0-9a-f-]{36}/.test(path)))
          leaks.push({ path, status: response.status, markers });
      }
      expect(leaks).toEqual([]);
    },
  );

  it.each(['admin of another top-level organization', 'learner of another organization', 'learner of tenant A'])(
    'should show no row of tenant A on any page tenant A’s admin opens to the %s',
    async (who) => {
      const email = who.startsWith('admin')
        ? t.b.admin.email
        : who.endsWith('A')
          ? t.a.learner.email
          : t.b.learner.email;
      const session = await browserOf(testApp.baseUrl, email);
      const leaks: Array<{ page: string; status: number; markers: string[] }> = [];
      for (const page of pages) {
        // A learner of tenant A has their own learning pages; everything else of A is staff's.
        if (who.endsWith('A') && page.startsWith('/learn')) continue;
        const response = await session.get(page);
        const text = await response.text();
        expect(response.status).toBeLessThan(500);
        const markers = leakedMarkers(t.a, text, page, ownIdentity(who));
        if (markers.length > 0) leaks.push({ page, status: response.status, markers });
      }
      expect(leaks).toEqual([]);
    },
  );

  it('should keep score-ledger entries of no organization for platform administrators', async () => {
    const ids = async (client: ApiClient) =>
      (await client.get('/api/v1/score-ledger?limit=200')).body.items.map((e: { id: string }) => e.id);
    expect(await ids(t.root)).toContain(t.unattributedLedgerId);
    expect(await ids(t.a.admin.client)).not.toContain(t.unattributedLedgerId);
    expect(await ids(t.b.admin.client)).toEqual([]);
    const filtered = await t.root.get(`/api/v1/score-ledger?organizationId=${t.a.organizationId}`);
    expect(filtered.body.items.map((e: { id: string }) => e.id)).not.toContain(t.unattributedLedgerId);
    expect((await t.b.admin.client.get(`/api/v1/score-ledger?organizationId=${t.a.organizationId}`)).status).toBe(404);
  });
});

/**
 * The pages a signed-in person reaches from the navigation: each nav entry, every link on those
 * pages (lists, sub-navigation, pagers), and the links of the pages found there (details, reports).
 */
async function crawl(session: FormSession): Promise<string[]> {
  const seen = new Set<string>(['/']);
  let frontier = ['/'];
  for (let depth = 0; depth < 3 && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const page of frontier) {
      const response = await session.get(page);
      if (response.status !== 200 || !(response.headers.get('content-type') ?? '').includes('text/html')) continue;
      for (const href of linksOf(await response.text())) {
        if (seen.has(href)) continue;
        seen.add(href);
        next.push(href);
      }
    }
    frontier = next;
  }
  return [...seen].filter((page) => page !== '/');
}

function linksOf(html: string): string[] {
  return [...html.matchAll(/<a\b[^>]*\bhref="([^"]+)"/gi)]
    .map((match) => decodeHtml(match[1]).split('#')[0])
    .filter((href) => href.startsWith('/') && !href.startsWith('//'))
    .filter((href) => !/^\/(static|api|\.well-known|login|logout)\b/.test(href));
}
