import { countHorizon, DEFAULT_PAGE_SIZE } from '@tms/core';
import { ApiClient } from './support/api-client';
import { FormSession } from './support/form-session';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

/**
 * Lists that grow with a tenant count no further than a few pages past the one asked for
 * (`countHorizon`): a page costs the same whatever the tenant's size, and says "more than" where it
 * stopped counting.
 */
/** More people in one organization than the first pages count: 1,005. */
const CROWD = 1_005;

describe('capped totals of the lists that grow with a tenant', () => {
  let testApp: TestApp;
  let root: ApiClient;
  let crowdId: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const top = (await root.get('/api/v1/organizations')).body.items[0].id;
    const crowd = await root.post('/api/v1/organizations', { name: 'Crowd', parentId: top });
    expect(crowd.status).toBe(201);
    crowdId = crowd.body.id;
    // Five people more than the cap, named so that a search can pick out a few of them.
    await testApp.dataSource.query(
      `INSERT INTO users (email, name, organization_id)
       SELECT 'crowd' || g || '@example.com', 'Crowd ' || lpad(g::text, 5, '0'), $1
         FROM generate_series(1, $2::int) g`,
      [crowdId, CROWD],
    );
  });

  afterAll(async () => {
    await testApp?.close();
  });

  it('should answer five pages past the page as a lower bound with totalCapped when more people match', async () => {
    const answer = await root.get(`/api/v1/users?organizationId=${crowdId}&limit=10&page=3`);

    expect(answer.status).toBe(200);
    expect(countHorizon({ page: 3, limit: 10 })).toBe(70);
    expect(answer.body).toMatchObject({ total: 70, totalCapped: true, page: 3, limit: 10 });
    expect(answer.body.items.map((u: { name: string }) => u.name)).toEqual(
      Array.from({ length: 10 }, (_, i) => `Crowd ${String(21 + i).padStart(5, '0')}`),
    );
  });

  it('should count further as the admin pages on when more people match', async () => {
    const answer = await root.get(`/api/v1/users?organizationId=${crowdId}&limit=10&page=40`);

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ total: 440, totalCapped: true, page: 40 });
    expect(answer.body.items[0].name).toBe('Crowd 00391');
  });

  it('should answer the exact total without totalCapped when the count reaches the last match', async () => {
    const answer = await root.get(`/api/v1/users?organizationId=${crowdId}&limit=200&page=2`);

    expect(answer.status).toBe(200);
    expect(answer.body.total).toBe(CROWD);
    expect(answer.body).not.toHaveProperty('totalCapped');
    expect(answer.body.items).toHaveLength(200);
  });

  it('should answer an exact total without totalCapped when fewer people match than the cap', async () => {
    const answer = await root.get(`/api/v1/users?organizationId=${crowdId}&search=Crowd%200000&limit=5`);

    expect(answer.status).toBe(200);
    expect(answer.body.total).toBe(9);
    expect(answer.body).not.toHaveProperty('totalCapped');
    expect(answer.body.items).toHaveLength(5);
  });

  it('should say "more than" and offer the next page when the people page stopped counting', async () => {
    const browser = new FormSession(testApp.baseUrl);
    await browser.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);

    const html = await (await browser.get(`/admin/people?organizationId=${crowdId}&page=2`)).text();

    const horizon = countHorizon({ page: 2, limit: DEFAULT_PAGE_SIZE });
    expect(html).toContain(`Page 2 (more than ${horizon.toLocaleString('en-US')} people)`);
    expect(html).toMatch(/<a href="\/admin\/people\?[^"]*page=3" rel="next">Next<\/a>/);
    expect(html).toMatch(/<a href="\/admin\/people\?[^"]*page=1" rel="prev">Previous<\/a>/);
  });

  it('should say the exact count with its number of pages when the people page counted everyone', async () => {
    const browser = new FormSession(testApp.baseUrl);
    await browser.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);

    const html = await (await browser.get(`/admin/people?organizationId=${crowdId}&search=Crowd+0000`)).text();

    expect(html).toContain('Page 1 of 1 (9 people)');
    expect(html).not.toContain('rel="next"');
  });

  it('should cap the score ledger’s total and still count a filter that matches fewer exactly', async () => {
    // Scores rejected in the crowd's organization: more than the first page counts, and three read requests.
    await testApp.dataSource.query(
      `INSERT INTO score_ledger (lti_version, organization_id, operation, decision)
       SELECT '1.1', $1, 'replaceResult', CASE WHEN g <= 3 THEN 'read' ELSE 'rejected' END
         FROM generate_series(1, $2::int) g`,
      [crowdId, CROWD],
    );

    const all = await root.get(`/api/v1/score-ledger?organizationId=${crowdId}&limit=10`);
    const read = await root.get(`/api/v1/score-ledger?organizationId=${crowdId}&decision=read&limit=10`);

    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: countHorizon({ page: 1, limit: 10 }), totalCapped: true });
    expect(all.body.items).toHaveLength(10);
    expect(read.body.total).toBe(3);
    expect(read.body).not.toHaveProperty('totalCapped');
  });
});
