import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { ApiClient } from './support/api-client';
import { HUGE_BYTES, HUGE_CHUNK_BYTES, KeyServers } from './support/key-servers';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

const CAP = 64 * 1024;
const SCORE = 'https://purl.imsglobal.org/spec/lti-ags/scope/score';
const NOT_ALLOWED = 'is not an allowed address (private or local networks are refused)';

const toolKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const KEY_SET = { keys: [{ ...toolKey.publicKey.export({ format: 'jwk' }), kid: 'tool-1', alg: 'RS256', use: 'sig' }] };
const PEM = String(toolKey.publicKey.export({ type: 'spki', format: 'pem' }));

/** The outbound guard seen from outside: what an administrator and a tool can make the platform fetch. */
describe('Outbound guard on tool JWKS URLs (save time and run time)', () => {
  let keys: KeyServers;
  let app: TestApp;
  let root: ApiClient;
  let org: string;
  /** An app whose deployment allows no private or local address at all (production's default). */
  let strict: TestApp;
  let strictRoot: ApiClient;
  let strictOrg: string;

  const signIn = async (testApp: TestApp) => {
    const client = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    return { client, org: (await client.get('/api/v1/organizations')).body.items[0].id as string };
  };

  const register = (client: ApiClient, organizationId: string, key: Record<string, unknown>) =>
    client.post('/api/v1/lti/providers', {
      name: `Tool ${randomUUID().slice(0, 8)}`,
      organizationId,
      ltiVersion: '1.3',
      loginUrl: 'https://tool.example/login',
      redirectUris: ['https://tool.example/launch'],
      targetLinkUri: 'https://tool.example/launch',
      services: ['grades', 'deep_linking'],
      availableOrganizationIds: [organizationId],
      ...key,
    });

  const providerCount = async (testApp: TestApp) =>
    Number((await testApp.dataSource.query('SELECT count(*)::int AS n FROM lti_providers'))[0].n);

  /** A 400 naming jwksUrl, nothing stored; the field's message. */
  async function refusedAtSave(testApp: TestApp, client: ApiClient, organizationId: string, jwksUrl: string) {
    const before = await providerCount(testApp);
    const response = await register(client, organizationId, { jwksUrl });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(['jwksUrl']);
    expect(await providerCount(testApp)).toBe(before);
    return response.body.errors[0].message as string;
  }

  /**
   * Saved all the same, waiting for the tool's key (register first, key later): a URL the guard lets
   * through may serve a key later. The reason the key is not usable yet, as the provider says it.
   */
  async function waitingAtSave(client: ApiClient, organizationId: string, jwksUrl: string) {
    const response = await register(client, organizationId, { jwksUrl });
    expect(response.status).toBe(201);
    expect(response.body.toolKey.status).toBe('waiting');
    return response.body.toolKey.problem as string;
  }

  /**
   * A provider whose JWKS URL was stored before the guard existed (written straight into the
   * database, as an older release or a restored backup would have it): its client_id.
   */
  async function storedWithJwksUrl(testApp: TestApp, client: ApiClient, organizationId: string, jwksUrl: string) {
    const created = await register(client, organizationId, { publicKeyPem: PEM });
    expect(created.status).toBe(201);
    await testApp.dataSource.query(`UPDATE lti_providers SET jwks_url = $1, public_key_pem = NULL WHERE id = $2`, [
      jwksUrl,
      created.body.id,
    ]);
    return created.body.platform.clientId as string;
  }

  async function requestToken(testApp: TestApp, clientId: string) {
    const tokenUrl = `${testApp.baseUrl}/lti/1p3/token`;
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({ iss: clientId, sub: clientId, aud: tokenUrl, jti: randomUUID() })
      .setProtectedHeader({ alg: 'RS256', kid: 'tool-1' })
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(toolKey.privateKey);
    const response = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
        scope: SCORE,
      }).toString(),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  beforeAll(async () => {
    keys = await KeyServers.start();
    keys.serveKeys(KEY_SET);
    app = await startTestApp();
    ({ client: root, org } = await signIn(app));
    strict = await startTestApp({ TMS_OUTBOUND_ALLOW: 'none' });
    ({ client: strictRoot, org: strictOrg } = await signIn(strict));
  });

  afterAll(async () => {
    await strict?.close();
    await app?.close();
    await keys?.close();
  });

  describe('at save time', () => {
    it.each([
      ['private 10/8', 'https://10.0.0.1/jwks'],
      ['private 172.16/12', 'https://172.16.5.4/jwks'],
      ['private 192.168/16', 'https://192.168.1.10/jwks'],
      ['link-local (cloud metadata)', 'https://169.254.169.254/latest/meta-data/'],
      ['link-local IPv6', 'https://[fe80::1]/jwks'],
      ['CGNAT', 'https://100.64.0.1/jwks'],
      ['IPv6 unique local', 'https://[fd00::1]/jwks'],
      ['IPv4-mapped private', 'https://[::ffff:10.0.0.1]/jwks'],
      ['IPv4-mapped loopback (loopback itself is allowed here)', 'https://[::ffff:127.0.0.1]/jwks'],
      ['unspecified', 'https://0.0.0.0/jwks'],
      ['unspecified IPv6', 'https://[::]/jwks'],
      ['decimal 10.0.0.1', 'https://167772161/jwks'],
      ['octal 10.0.0.1', 'https://012.0.0.1/jwks'],
      ['hex 10.0.0.1', 'https://0xa000001/jwks'],
      ['multicast', 'https://224.0.0.1/jwks'],
    ])('should answer 400 on jwksUrl and store nothing when it is %s', async (_, jwksUrl) => {
      expect(await refusedAtSave(app, root, org, jwksUrl)).toContain(`Tool JWKS URL ${NOT_ALLOWED}`);
    });

    it.each([
      ['loopback', 'http://127.0.0.1:PORT/keys'],
      ['decimal loopback', 'http://2130706433:PORT/keys'],
      ['hex loopback', 'http://0x7f000001:PORT/keys'],
      ['a name in /etc/hosts that resolves to loopback', 'http://localhost:PORT/keys'],
      ['that name over https', 'https://localhost:PORT/keys'],
    ])('should refuse %s without connecting when the deployment does not allow loopback', async (_, template) => {
      const before = keys.connections;
      const jwksUrl = template.replace('PORT', String(keys.port));
      expect(await refusedAtSave(strict, strictRoot, strictOrg, jwksUrl)).toContain(`Tool JWKS URL ${NOT_ALLOWED}`);
      expect(keys.connections).toBe(before);
    });

    it('should register the same key server when the deployment allows loopback', async () => {
      const response = await register(root, org, { jwksUrl: keys.url('/keys') });
      expect(response.status).toBe(201);
    });

    it('should stop reading at the cap and leave the provider waiting for its key when the key set is 50 MB without a length', async () => {
      const message = await waitingAtSave(root, org, keys.url('/huge'));
      expect(message).toBe('jwksUrl answered with more than 64 KiB');
      const transfer = keys.hugeTransfers.at(-1)!;
      await transfer.closed;
      // The chunk that crossed the cap, and at most one more already on its way when the platform hung up.
      expect(transfer.sent).toBeGreaterThan(CAP);
      expect(transfer.sent).toBeLessThanOrEqual(CAP + 2 * HUGE_CHUNK_BYTES);
      expect(transfer.sent).toBeLessThan(HUGE_BYTES);
    });

    it('should not read and leave the provider waiting for its key when the key set declares 50 MB', async () => {
      expect(await waitingAtSave(root, org, keys.url('/declared-huge'))).toBe('jwksUrl answered with more than 64 KiB');
    });

    it('should leave the provider waiting with the same reason for a closed port, garbage, a silent port and a dripping body', async () => {
      const messages = await Promise.all(
        Object.values({ ...keys.deadEnds(), 'silent HTTP': keys.url('/silent') }).map((url) =>
          waitingAtSave(root, org, url),
        ),
      );
      expect(messages).toEqual(Array(5).fill('jwksUrl could not be fetched'));
    });
  });

  describe('at run time, for a JWKS URL stored earlier', () => {
    it('should grant a token when the stored URL is an allowed key server (the control)', async () => {
      const clientId = await storedWithJwksUrl(app, root, org, keys.url('/keys'));
      expect(await requestToken(app, clientId)).toMatchObject({ status: 200, body: { token_type: 'Bearer' } });
    });

    it.each([
      ['private', 'https://10.0.0.1/jwks'],
      ['link-local', 'https://169.254.169.254/jwks'],
      ['CGNAT', 'https://100.64.0.1/jwks'],
      ['IPv6 unique local', 'https://[fd00::1]/jwks'],
      ['IPv4-mapped', 'https://[::ffff:10.0.0.1]/jwks'],
      ['unspecified', 'https://0.0.0.0/jwks'],
      ['decimal', 'https://167772161/jwks'],
      ['octal', 'https://012.0.0.1/jwks'],
      ['hex', 'https://0xa000001/jwks'],
    ])('should refuse the client assertion as invalid_client when the URL is %s', async (_, jwksUrl) => {
      const clientId = await storedWithJwksUrl(app, root, org, jwksUrl);
      expect(await requestToken(app, clientId)).toEqual({
        status: 401,
        body: {
          error: 'invalid_client',
          error_description: `The client assertion is not valid: the tool’s JWKS URL ${NOT_ALLOWED}`,
        },
      });
    });

    it('should fetch nothing when loopback is not allowed and the stored URL is a live key server', async () => {
      const clientId = await storedWithJwksUrl(strict, strictRoot, strictOrg, keys.url('/keys'));
      const before = keys.connections;
      expect(await requestToken(strict, clientId)).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
      expect(keys.connections).toBe(before);
    });

    it('should refuse cleanly and stop reading at the cap when the key set has grown to 50 MB', async () => {
      const clientId = await storedWithJwksUrl(app, root, org, keys.url('/huge'));
      const answer = await requestToken(app, clientId);
      expect(answer.status).toBe(401);
      expect(answer.body.error_description).toBe(
        'The client assertion is not valid: the tool’s JWKS URL answered with more than 64 KiB',
      );
      const transfer = keys.hugeTransfers.at(-1)!;
      await transfer.closed;
      expect(transfer.sent).toBeLessThanOrEqual(CAP + 2 * HUGE_CHUNK_BYTES);
    });

    it('should refuse cleanly when the key server drips its answer', async () => {
      const clientId = await storedWithJwksUrl(app, root, org, keys.url('/drip'));
      expect((await requestToken(app, clientId)).body.error_description).toBe(
        'The client assertion is not valid: the tool’s JWKS URL could not be fetched',
      );
    });

    it('should refuse a deep linking answer with a 400 page when the tool’s stored URL is private', async () => {
      const clientId = await storedWithJwksUrl(app, root, org, 'https://[::ffff:192.168.0.1]/jwks');
      const now = Math.floor(Date.now() / 1000);
      const jwt = await new SignJWT({ iss: clientId, aud: app.baseUrl, nonce: randomUUID() })
        .setProtectedHeader({ alg: 'RS256', kid: 'tool-1' })
        .setIssuedAt(now)
        .setExpirationTime(now + 60)
        .sign(toolKey.privateKey);
      const response = await fetch(`${app.baseUrl}/lti/1p3/deep-linking/return`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ JWT: jwt }).toString(),
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(await response.text()).toContain(`could not be verified: the tool’s JWKS URL ${NOT_ALLOWED}`);
    });
  });
});
