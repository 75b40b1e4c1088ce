import { ApiClient, createPerson } from './support/api-client';
import { catalogRows, csvFile, Row } from './support/provisioning-files';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

const PATH = '/api/v1/lti/provisioning';
/** Organizations by path: the bootstrap administrator's own organization is the top of theirs. */
const ACME = 'Organization / Acme';
const SALES = `${ACME} / Sales`;

describe('LTI catalog bulk provisioning', () => {
  let testApp: TestApp;
  let root: ApiClient;
  let adminB: ApiClient;
  let orgA: string;
  let orgB: string;

  const count = async (table: string) =>
    Number((await testApp.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);
  const counts = async () => ({
    providers: await count('lti_providers'),
    links: await count('lti_resource_links'),
    audit: await count('audit_events'),
  });
  const postCsv = (client: ApiClient, text: string, query = '') =>
    client.request('POST', `${PATH}${query}`, text, 'text/csv');

  beforeAll(async () => {
    testApp = await startTestApp();
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    orgA = (await root.post('/api/v1/organizations', { name: 'Acme' })).body.id;
    await root.post('/api/v1/organizations', { name: 'Sales', parentId: orgA });
    orgB = (await root.post('/api/v1/organizations', { name: 'Beta' })).body.id;
    adminB = (await createPerson(root, { email: 'admin-b@example.com', organizationId: orgB, role: 'site_admin' }))
      .client;
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('should refuse a 1,000-row file naming its three bad lines and write nothing when rows are bad', async () => {
    const rows = catalogRows(SALES, 1000);
    rows[400] = { ...rows[400], url: 'ftp://content.example.com/lesson' };
    rows[650] = { ...rows[650], passingScore: '150' };
    rows[900] = { ...rows[900], organization: `${ACME} / Nowhere` };
    const { text, lines } = csvFile(rows);
    const before = await counts();

    const refused = await postCsv(root, text);

    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.detail).toBe('3 rows have problems; nothing was written. Fix them and import the file again.');
    expect(refused.body.errors.map((e: { line: number; field: string }) => [e.line, e.field])).toEqual([
      [lines[400], 'url'],
      [lines[650], 'passingScore'],
      [lines[900], 'organization'],
    ]);
    // The 1.3 providers' PEM cells span lines: the lines named are the file's, not the row numbers.
    expect(lines[400]).toBeGreaterThan(402);
    expect(refused.body.errors[2].message).toContain(
      '“Organization / Acme / Nowhere” is not an organization you manage',
    );
    expect(await counts()).toEqual(before);
  });

  it('should apply all 1,000 rows in one go when the file is fixed', async () => {
    const { text } = csvFile(catalogRows(SALES, 1000));
    const before = await counts();

    const applied = await postCsv(root, text);

    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ dryRun: false, applied: true, total: 1000, created: 1000, updated: 0 });
    expect(await counts()).toMatchObject({ providers: before.providers + 20, links: before.links + 980 });
  });

  it('should leave nothing written when a row fails mid-way through the apply', async () => {
    const rows = catalogRows(ACME, 300, 'Midway');
    // The database refuses the 250th link while the 249 before it are already written in the transaction.
    await testApp.dataSource.query(`
      CREATE FUNCTION refuse_midway() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.name = 'Midway lesson 0249' THEN RAISE EXCEPTION 'refused by the test'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_midway BEFORE INSERT ON lti_resource_links FOR EACH ROW EXECUTE FUNCTION refuse_midway();`);
    const before = await counts();
    try {
      const failed = await postCsv(root, csvFile(rows).text);
      expect(failed.status).toBe(500);
      expect(failed.text).not.toContain('refused by the test');
    } finally {
      await testApp.dataSource.query('DROP TRIGGER refuse_midway ON lti_resource_links; DROP FUNCTION refuse_midway()');
    }
    expect(await counts()).toEqual(before);
    const names = await testApp.dataSource.query(`SELECT 1 FROM lti_providers WHERE name LIKE 'Midway%'`);
    expect(names).toHaveLength(0);
  });

  it('should report what would happen and write nothing when it is a dry run', async () => {
    const rows = catalogRows(ACME, 40, 'Dry');
    const before = await counts();

    const dry = await postCsv(root, csvFile(rows).text, '?dryRun=true');

    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, applied: false, total: 40, created: 40 });
    expect(dry.body.rows[0]).toEqual({ line: 2, kind: 'provider', name: 'Dry 00', action: 'create' });
    expect(await counts()).toEqual(before);
  });

  it('should change nothing when an export is imported again', async () => {
    const csv = await root.request('GET', PATH, undefined);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const json = await root.request('GET', `${PATH}?format=json`);
    expect(json.body.rows).toHaveLength(1000);
    const stamps = await testApp.dataSource.query(`SELECT max(updated_at) AS at FROM lti_providers`);
    const before = await counts();

    const again = await postCsv(root, csv.text);
    const againJson = await root.post(PATH, json.body);

    for (const answer of [again, againJson]) {
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ total: 1000, created: 0, updated: 0, unchanged: 1000 });
    }
    expect(await counts()).toEqual(before);
    expect(await testApp.dataSource.query(`SELECT max(updated_at) AS at FROM lti_providers`)).toEqual(stamps);
  });

  it('should export shared secrets masked and keep them sealed when a file brings one', async () => {
    const secret = 'the-vendor-secret-0123456789';
    const file = csvFile([
      {
        kind: 'provider',
        organization: orgA,
        name: 'Secret Lab',
        ltiVersion: '1.1',
        consumerKey: 'lab',
        sharedSecret: secret,
      },
    ]);
    expect((await postCsv(root, file.text)).status).toBe(200);

    const exported = await root.request('GET', PATH);
    expect(exported.text).not.toContain(secret);
    expect(exported.text).toMatch(/Secret Lab,active,1\.1,lab,•+/);
    const [stored] = await testApp.dataSource.query(
      `SELECT shared_secret_sealed AS sealed FROM lti_providers WHERE name = 'Secret Lab'`,
    );
    expect(stored.sealed).not.toContain(secret);
    expect(testApp.logs.text).not.toContain(secret);

    const masked = csvFile([
      {
        kind: 'provider',
        organization: ACME,
        name: 'New Lab',
        ltiVersion: '1.1',
        consumerKey: 'k',
        sharedSecret: '••••1234',
      },
    ]);
    const refused = await postCsv(root, masked.text);
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      { line: 2, field: 'sharedSecret', message: 'sharedSecret is masked; give the secret itself for a new provider' },
    ]);
  });

  it('should update only what differs and keep other rows unchanged when a file changes a few rows', async () => {
    const exported = (await root.request('GET', `${PATH}?format=json`)).body.rows as Row[];
    const changed = exported.map((row) =>
      row.name === 'Tool lesson 0007' ? { ...row, url: 'https://content.example.com/tool/lessons/7-v2' } : row,
    );

    const answer = await root.post(PATH, { rows: changed });

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ created: 0, updated: 1, unchanged: exported.length - 1 });
    const [link] = await testApp.dataSource.query(`SELECT url FROM lti_resource_links WHERE name = 'Tool lesson 0007'`);
    expect(link.url).toBe('https://content.example.com/tool/lessons/7-v2');
  });

  it('should refuse rows of organizations outside the caller’s scope and export only the caller’s catalog', async () => {
    const file = csvFile([
      {
        kind: 'provider',
        organization: orgA,
        name: 'Sneaky',
        ltiVersion: '1.1',
        consumerKey: 'k',
        sharedSecret: 's3cret-s3cret',
      },
      {
        kind: 'resource_link',
        organization: 'Beta',
        name: 'Borrowed',
        provider: 'Tool 00',
        providerOrganization: SALES,
        url: 'https://x.example.com/',
      },
    ]);
    const before = await counts();

    const refused = await postCsv(adminB, file.text);

    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: { line: number; field: string }) => [e.line, e.field])).toEqual([
      [2, 'organization'],
      [3, 'providerOrganization'],
    ]);
    expect(await counts()).toEqual(before);
    const exported = await adminB.request('GET', `${PATH}?format=json`);
    expect(exported.status).toBe(200);
    expect(exported.body.rows).toEqual([]);
  });

  it('should take a multipart upload and refuse a file it cannot read with the reason when the file is malformed', async () => {
    const form = new FormData();
    form.append('file', new Blob([csvFile(catalogRows(orgB, 25, 'Beta')).text], { type: 'text/csv' }), 'beta.csv');
    const uploaded = await fetch(`${testApp.baseUrl}${PATH}?dryRun=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminB.token}` },
      body: form,
    });
    expect(uploaded.status).toBe(200);
    expect(await uploaded.json()).toMatchObject({ dryRun: true, created: 25 });

    const unknownColumn = await postCsv(adminB, 'kind,colour\nprovider,red\n');
    expect(unknownColumn.status).toBe(400);
    expect(unknownColumn.body.errors[0]).toMatchObject({ line: 1, field: 'file' });
    const unclosed = await postCsv(adminB, 'kind,name\nprovider,"open\n');
    expect(unclosed.status).toBe(400);
    expect(unclosed.body.errors[0].field).toBe('file');
    const notJson = await adminB.request('POST', PATH, '{"rows": [', 'application/json');
    expect(notJson.status).toBe(400);
    const empty = await postCsv(adminB, 'kind,name\n');
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0]).toMatchObject({ field: 'file', message: 'The file has no rows to import' });
    const unknownKind = await postCsv(adminB, 'kind,organization,name\ncourse,Beta,Algebra\n');
    expect(unknownKind.body.errors).toEqual([
      { line: 2, field: 'kind', message: 'kind must be provider or resource_link' },
    ]);
    const wrongType = await adminB.request('POST', PATH, 'kind\nprovider', 'application/xml');
    expect(wrongType.status).toBe(400);
  });
});
