import { generateKeyPairSync } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ApiClient, createPerson } from './support/api-client';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

const SECRET = 'vendor-Shared-Secret-7f3a9c1e5b';

function rsaPublicPem(bits = 2048): string {
  return generateKeyPairSync('rsa', { modulusLength: bits })
    .publicKey.export({ type: 'spki', format: 'pem' })
    .toString();
}

describe('LTI catalog API', () => {
  let testApp: TestApp;
  let root: ApiClient;
  let rootOrg: string;
  let orgA: string;
  let subOfA: string;
  let orgB: string;
  let adminB: ApiClient;
  let adminA: ApiClient;
  let jwksServer: Server;
  let jwksUrl: string;

  const count = async (table: string) =>
    Number((await testApp.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

  beforeAll(async () => {
    testApp = await startTestApp();
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    rootOrg = (await root.get('/api/v1/organizations')).body.items[0].id;
    orgA = (await root.post('/api/v1/organizations', { name: 'A' })).body.id;
    orgB = (await root.post('/api/v1/organizations', { name: 'B' })).body.id;
    subOfA = (await root.post('/api/v1/organizations', { name: 'A sub', parentId: orgA })).body.id;
    adminB = (await createPerson(root, { email: 'admin-b@example.com', organizationId: orgB, role: 'site_admin' }))
      .client;
    adminA = (await createPerson(root, { email: 'admin-a@example.com', organizationId: orgA, role: 'site_admin' }))
      .client;

    const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' });
    jwksServer = createServer((request, response) => {
      if (request.url !== '/jwks') return void response.writeHead(404).end();
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [{ ...jwk, kid: 'tool-1', alg: 'RS256', use: 'sig' }] }));
    });
    await new Promise<void>((done) => jwksServer.listen(0, '127.0.0.1', done));
    jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks`;
  });

  afterAll(async () => {
    await new Promise((done) => jwksServer.close(done));
    await testApp.close();
  });

  it('should store a 1.1 secret encrypted and never return it or log it', async () => {
    const created = await root.post('/api/v1/lti/providers', {
      name: 'Coding Lab',
      organizationId: orgA,
      ltiVersion: '1.1',
      consumerKey: 'lab-key',
      sharedSecret: SECRET,
      customParameters: 'custom_course_code=$Context.label\nlevel=advanced',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      consumerKey: 'lab-key',
      customParameters: 'course_code=$Context.label\nlevel=advanced',
      availableOrganizationIds: [orgA],
      managed: true,
    });
    expect(created.body.sharedSecretMask).toMatch(/^•+/);
    const replaced = await root.patch(`/api/v1/lti/providers/${created.body.id}`, { sharedSecret: `${SECRET}-2` });
    expect(replaced.status).toBe(200);
    const responses = [
      created,
      replaced,
      await root.get(`/api/v1/lti/providers/${created.body.id}`),
      await root.get('/api/v1/lti/providers'),
      await root.get('/api/v1/audit-events?entityType=lti_provider'),
    ];
    for (const response of responses) expect(response.text).not.toContain(SECRET.slice(0, 20));
    expect(testApp.logs.text).not.toContain(SECRET.slice(0, 20));
    const [row] = await testApp.dataSource.query(`SELECT shared_secret_sealed FROM lti_providers WHERE id = $1`, [
      created.body.id,
    ]);
    expect(row.shared_secret_sealed).toMatch(/^v1\./);
    expect(row.shared_secret_sealed).not.toContain(SECRET);
    const audit = responses[4].body.items;
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['update', 'create']);
    expect(audit[0].after.sharedSecret).toBe('(new secret)');
  });

  it('should make a link available to A usable in A’s sub-organization and not in sibling B', async () => {
    const provider = await root.post('/api/v1/lti/providers', {
      name: 'Quiz engine',
      organizationId: rootOrg,
      ltiVersion: '1.1',
      consumerKey: 'quiz',
      sharedSecret: 'quiz-secret',
    });
    expect(provider.body.availableOrganizationIds).toEqual([rootOrg]);
    expect(provider.status).toBe(201);
    const link = await root.post('/api/v1/lti/resource-links', {
      name: 'Quiz 1',
      organizationId: rootOrg,
      providerId: provider.body.id,
      url: 'https://quiz.example/launch/1',
      availableOrganizationIds: [orgA],
      requiresScoreForCompletion: true,
      passingScore: 80,
    });
    expect(link.status).toBe(201);
    const usable = async (client: ApiClient, organizationId: string) =>
      (await client.get(`/api/v1/lti/resource-links?usableIn=${organizationId}`)).body.items.map(
        (l: { id: string }) => l.id,
      );
    expect(await usable(root, subOfA)).toContain(link.body.id);
    expect(await usable(root, orgA)).toContain(link.body.id);
    expect(await usable(root, orgB)).not.toContain(link.body.id);
    expect(await usable(adminA, subOfA)).toContain(link.body.id);

    expect((await adminB.get(`/api/v1/lti/resource-links/${link.body.id}`)).status).toBe(404);
    expect((await adminB.patch(`/api/v1/lti/resource-links/${link.body.id}`, { name: 'Mine' })).status).toBe(404);
    expect((await adminB.delete(`/api/v1/lti/resource-links/${link.body.id}`)).status).toBe(404);
    expect((await adminB.get('/api/v1/lti/resource-links')).body.items).toEqual([]);
    // A's admin sees it (it is available to A) but cannot change what the root organization owns.
    expect((await adminA.get(`/api/v1/lti/resource-links/${link.body.id}`)).body.managed).toBe(false);
    expect((await adminA.patch(`/api/v1/lti/resource-links/${link.body.id}`, { name: 'Mine' })).status).toBe(403);

    // Withdrawn from A: no longer usable there.
    expect(
      (await root.patch(`/api/v1/lti/resource-links/${link.body.id}`, { availableOrganizationIds: [] })).status,
    ).toBe(200);
    expect(await usable(root, subOfA)).not.toContain(link.body.id);
  });

  it('should refuse custom parameters naming each bad line, and store nothing', async () => {
    const before = await count('lti_providers');
    const response = await root.post('/api/v1/lti/providers', {
      name: 'Bad params',
      ltiVersion: '1.1',
      organizationId: orgA,
      consumerKey: 'k',
      sharedSecret: 's',
      customParameters: 'good=1\nno equals sign\n=empty\nBad Name=x\ngood=2',
    });
    expect(response.status).toBe(400);
    const message: string = response.body.errors.find((e: { field: string }) => e.field === 'customParameters').message;
    for (const line of [2, 3, 4, 5]) expect(message).toContain(`Line ${line}`);
    expect(message).not.toContain('Line 1');
    expect(await count('lti_providers')).toBe(before);
    expect(await count("audit_events WHERE entity_type = 'lti_provider' AND after->>'name' = 'Bad params'")).toBe(0);
  });

  it.each([
    ['publicKeyPem', { publicKeyPem: '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----' }],
    ['jwksUrl', { jwksUrl: 'http://tool.example/jwks' }],
    ['redirectUris', { publicKeyPem: rsaPublicPem(), redirectUris: ['https://tool.example/launch#frag'] }],
    ['publicKeyPem', { publicKeyPem: rsaPublicPem(1024) }],
    ['loginUrl', { publicKeyPem: rsaPublicPem(), loginUrl: 'ftp://tool.example/login' }],
  ])('should answer 400 naming %s for a bad 1.3 registration, storing nothing', async (field, overrides) => {
    const before = await count('lti_providers');
    const response = await root.post('/api/v1/lti/providers', {
      name: `Tool 1.3 ${field}`,
      ltiVersion: '1.3',
      organizationId: orgA,
      loginUrl: 'https://tool.example/login',
      redirectUris: ['https://tool.example/launch'],
      targetLinkUri: 'https://tool.example/launch',
      ...overrides,
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await count('lti_providers')).toBe(before);
  });

  it('should register a 1.3 tool by JWKS URL (fetched and checked) and hand out platform details', async () => {
    const response = await root.post('/api/v1/lti/providers', {
      name: 'Advantage tool',
      ltiVersion: '1.3',
      organizationId: orgA,
      loginUrl: 'https://tool.example/login',
      redirectUris: ['https://tool.example/launch', 'https://tool.example/deep-link'],
      targetLinkUri: 'https://tool.example/launch',
      jwksUrl,
      services: ['grades', 'roster'],
    });
    expect(response.status).toBe(201);
    expect(response.body.platform).toEqual({
      issuer: testApp.baseUrl,
      clientId: expect.any(String),
      deploymentId: expect.any(String),
      authorizationUrl: `${testApp.baseUrl}/lti/1p3/authorize`,
      tokenUrl: `${testApp.baseUrl}/lti/1p3/token`,
      jwksUrl: `${testApp.baseUrl}/.well-known/jwks.json`,
      deepLinkingReturnUrl: `${testApp.baseUrl}/lti/1p3/deep-linking/return`,
      openidConfigurationUrl: `${testApp.baseUrl}/.well-known/openid-configuration`,
    });
    const dead = await root.post('/api/v1/lti/providers', {
      name: 'Dead JWKS',
      ltiVersion: '1.3',
      organizationId: orgA,
      loginUrl: 'https://tool.example/login',
      redirectUris: ['https://tool.example/launch'],
      targetLinkUri: 'https://tool.example/launch',
      jwksUrl: jwksUrl.replace('/jwks', '/missing'),
    });
    // Register first, key later: saved, waiting for the tool's key, with the reason.
    expect(dead.status).toBe(201);
    expect(dead.body.toolKey).toMatchObject({ status: 'waiting', problem: 'jwksUrl answered HTTP 404' });
  });
});
