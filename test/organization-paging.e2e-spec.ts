import { ApiClient, createPerson } from './support/api-client';
import { FormSession } from './support/form-session';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

interface Listed {
  readonly id: string;
  readonly name: string;
  readonly depth: number;
}

describe('organizations list: depth-first pages read in SQL', () => {
  let testApp: TestApp;
  let root: ApiClient;
  let subAdmin: ApiClient;
  const ids: Record<string, string> = {};

  const create = async (name: string, parent: string) => {
    const created = await root.post('/api/v1/organizations', { name, parentId: ids[parent] });
    expect(created.status).toBe(201);
    ids[name] = created.body.id;
  };
  /** Every organization the client manages, page by page, as "name@depth". */
  const walk = async (client: ApiClient, limit: number, search = '') => {
    const out: string[] = [];
    for (let page = 1; ; page += 1) {
      const answer = await client.get(`/api/v1/organizations?limit=${limit}&page=${page}${search}`);
      expect(answer.status).toBe(200);
      out.push(...answer.body.items.map((o: Listed) => `${o.name}@${o.depth}`));
      if (page * limit >= answer.body.total) return { names: out, total: answer.body.total };
    }
  };

  beforeAll(async () => {
    testApp = await startTestApp();
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    ids.top = (await root.get('/api/v1/organizations')).body.items[0].id;
    await create('Zeta', 'top');
    await create('alpha', 'top');
    await create('Beta', 'alpha');
    await create('gamma', 'alpha');
    await create('Delta', 'Beta');
    await create('epsilon', 'Zeta');
    subAdmin = (
      await createPerson(root, { email: 'alpha-admin@example.com', organizationId: ids.alpha, role: 'site_admin' })
    ).client;
  });

  afterAll(async () => {
    await testApp?.close();
  });

  it('should list the tree depth-first with siblings by name, across pages, when paged two at a time', async () => {
    const { names, total } = await walk(root, 2);
    const topName = (await root.get(`/api/v1/organizations/${ids.top}`)).body.name;

    expect(total).toBe(7);
    expect(names).toEqual([`${topName}@0`, 'alpha@1', 'Beta@2', 'Delta@3', 'gamma@2', 'Zeta@1', 'epsilon@2']);
  });

  it('should count depth from the top the person manages and show nothing above it when they manage a subtree', async () => {
    expect((await walk(subAdmin, 10)).names).toEqual(['alpha@0', 'Beta@1', 'Delta@2', 'gamma@1']);
  });

  it('should answer a second page that differs from the first when the tree is longer than a page', async () => {
    const first = (await root.get('/api/v1/organizations?limit=3')).body.items.map((o: Listed) => o.id);
    const second = (await root.get('/api/v1/organizations?limit=3&page=2')).body.items.map((o: Listed) => o.id);

    expect(first).toHaveLength(3);
    expect(second).toHaveLength(3);
    expect(second.filter((id: string) => first.includes(id))).toEqual([]);
  });

  it('should keep the order of a subtree when its top is renamed and moved', async () => {
    expect((await root.patch(`/api/v1/organizations/${ids.Beta}`, { name: 'omega', parentId: ids.Zeta })).status).toBe(
      200,
    );

    expect((await walk(root, 50)).names.slice(1)).toEqual([
      'alpha@1',
      'gamma@2',
      'Zeta@1',
      'epsilon@2',
      'omega@2',
      'Delta@3',
    ]);
    expect((await walk(subAdmin, 10)).names).toEqual(['alpha@0', 'gamma@1']);
  });

  it('should page only the names that contain the search when a search is given', async () => {
    expect((await walk(root, 1, '&search=ET')).names).toEqual(['Zeta@1']);
    expect((await walk(root, 50, '&search=100%25')).total).toBe(0);
  });

  it.each(['limit=0', 'limit=201', 'page=0', 'page=x'])(
    'should refuse with 400 and name the field when the paging is %s',
    async (query) => {
      const answer = await root.get(`/api/v1/organizations?${query}`);

      expect(answer.status).toBe(400);
      expect(answer.body.errors.map((e: { field: string }) => e.field)).toEqual([query.split('=')[0]]);
    },
  );

  it('should list 200 sub-organizations and offer only the current parent, searched beyond, when a tree is larger than a picker', async () => {
    await testApp.dataSource.query(
      `INSERT INTO organizations (name, parent_id) SELECT format('Branch %s', lpad(n::text, 3, '0')), $1
         FROM generate_series(1, 205) AS n`,
      [ids.gamma],
    );
    const browser = new FormSession(testApp.baseUrl);
    await browser.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);

    const html = await (await browser.get(`/admin/organizations/${ids.gamma}`)).text();

    expect(html.match(/<li><a href="\/admin\/organizations\/[0-9a-f-]{36}">Branch \d{3}</g)).toHaveLength(200);
    expect(html).toContain('And 5 more');
    // Zeta may move under any of the 205 branches: too many to render, so only its parent is listed.
    const zeta = await (await browser.get(`/admin/organizations/${ids.Zeta}`)).text();
    const options = [...zeta.matchAll(/<option value="([0-9a-f-]{36})"/g)].map((m) => m[1]);
    expect(options).toEqual([ids.top]);
    expect(zeta).toContain('data-search="/admin/organizations/search"');
    const listed = await root.get('/api/v1/organizations?limit=1&search=Branch 205');
    expect(listed.body).toMatchObject({ total: 1, items: [{ name: 'Branch 205', depth: 3 }] });
  });

  it('should match the path from the top the person manages and answer the first few, with the count, when a picker searches', async () => {
    const topName = (await root.get(`/api/v1/organizations/${ids.top}`)).body.name;
    const search = async (email: string, query: string) => {
      const browser = new FormSession(testApp.baseUrl);
      await browser.signIn(email, email === ADMIN_EMAIL ? ADMIN_PASSWORD : 'a-long-test-password');
      return (await browser.get(`/admin/organizations/search?${query}`)).json();
    };

    expect(await search(ADMIN_EMAIL, 'q=ZETA / Om')).toEqual({
      items: [
        { id: ids.Beta, name: 'omega', path: `${topName} / Zeta / omega`, depth: 2 },
        { id: ids.Delta, name: 'Delta', path: `${topName} / Zeta / omega / Delta`, depth: 3 },
      ],
      total: 2,
    });
    expect(await search('alpha-admin@example.com', 'q=alpha / gamma / branch 20&limit=2')).toMatchObject({
      items: [
        { name: 'Branch 200', path: 'alpha / gamma / Branch 200', depth: 2 },
        { name: 'Branch 201', path: 'alpha / gamma / Branch 201', depth: 2 },
      ],
      total: 6,
    });
    expect(await search('alpha-admin@example.com', `q=${encodeURIComponent(topName)}`)).toEqual({
      items: [],
      total: 0,
    });
  });
});
