import { createHmac, generateKeyPairSync, KeyObject, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { ApiClient } from './support/api-client';
import { registerToolAsProvider, startLti1p3Tool } from './support/lti1p3-tool';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const SCORE = 'https://purl.imsglobal.org/spec/lti-ags/scope/score';
const LINEITEM = 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem';
const MEMBERSHIP = 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly';

function rsaKey(): { privateKey: KeyObject; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, publicPem: String(publicKey.export({ type: 'spki', format: 'pem' })) };
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('LTI Advantage token endpoint (client credentials with a JWT client assertion)', () => {
  let testApp: TestApp;
  let tokenUrl: string;
  let clientId: string;
  let otherClientId: string;
  const key = rsaKey();
  const otherKey = rsaKey();

  const count = async (sql: string) =>
    Number((await testApp.dataSource.query(`SELECT count(*)::int AS n FROM ${sql}`))[0].n);

  function claims(overrides: Record<string, unknown> = {}) {
    const now = Math.floor(Date.now() / 1000);
    return { iss: clientId, sub: clientId, aud: tokenUrl, iat: now, exp: now + 60, jti: randomUUID(), ...overrides };
  }

  const sign = (payload: Record<string, unknown>, privateKey: KeyObject = key.privateKey) =>
    new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT' }).sign(privateKey);

  async function requestToken(assertion: string, scope = `${SCORE} ${MEMBERSHIP}`, extra: Record<string, string> = {}) {
    const response = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: assertion,
        scope,
        ...extra,
      }).toString(),
    });
    return {
      status: response.status,
      body: (await response.json()) as Record<string, unknown>,
      cacheControl: response.headers.get('cache-control'),
      wwwAuthenticate: response.headers.get('www-authenticate'),
    };
  }

  beforeAll(async () => {
    testApp = await startTestApp();
    tokenUrl = `${testApp.baseUrl}/lti/1p3/token`;
    const root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const org = (await root.get('/api/v1/organizations')).body.items[0].id;
    const provider = (name: string, publicKeyPem: string, services: string[]) =>
      root.post('/api/v1/lti/providers', {
        name,
        organizationId: org,
        ltiVersion: '1.3',
        loginUrl: 'http://127.0.0.1:9/login',
        redirectUris: ['http://127.0.0.1:9/launch'],
        targetLinkUri: 'http://127.0.0.1:9/launch',
        publicKeyPem,
        services,
        availableOrganizationIds: [org],
      });
    const graded = await provider('Graded tool', key.publicPem, ['grades']);
    expect(graded.status).toBe(201);
    clientId = graded.body.platform.clientId;
    expect(graded.body.platform.tokenUrl).toBe(tokenUrl);
    otherClientId = (await provider('Other tool', otherKey.publicPem, ['grades', 'roster'])).body.platform.clientId;
  });

  afterAll(() => testApp.close());

  it('should grant the requested scopes the tool is allowed, and store only a hash of the token, when the assertion is valid', async () => {
    const before = await count('lti1p3_access_tokens');
    const answer = await requestToken(await sign(claims()), `${SCORE} ${LINEITEM} ${MEMBERSHIP}`);
    expect(answer.status).toBe(200);
    expect(answer.cacheControl).toBe('no-store');
    expect(answer.body).toEqual({
      access_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: `${SCORE} ${LINEITEM}`,
    });
    expect(await count('lti1p3_access_tokens')).toBe(before + 1);
    const stored = await testApp.dataSource.query(
      `SELECT token_hash, scopes FROM lti1p3_access_tokens ORDER BY created_at DESC LIMIT 1`,
    );
    expect(stored[0].token_hash).not.toContain(String(answer.body.access_token));
    expect(stored[0].scopes).toEqual([SCORE, LINEITEM]);
  });

  it('should answer invalid_scope when none of the requested scopes is allowed', async () => {
    const answer = await requestToken(await sign(claims()), MEMBERSHIP);
    expect(answer).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
  });

  it.each<[string, () => Promise<string>]>([
    ['alg none', async () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims())}.`],
    [
      'HS256 keyed with the public key',
      async () => {
        const input = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(claims())}`;
        return `${input}.${createHmac('sha256', key.publicPem).update(input).digest('base64url')}`;
      },
    ],
    ['a wrong key', () => sign(claims(), otherKey.privateKey)],
    ['iss different from sub', () => sign(claims({ sub: otherClientId }))],
    ['sub missing', () => sign(claims({ sub: undefined }))],
    ['a wrong aud', () => sign(claims({ aud: `${testApp.baseUrl}/lti/1p3/authorize` }))],
    [
      'an expired exp',
      () => sign(claims({ iat: Math.floor(Date.now() / 1000) - 600, exp: Math.floor(Date.now() / 1000) - 300 })),
    ],
    [
      'an iat in the future',
      () => sign(claims({ iat: Math.floor(Date.now() / 1000) + 600, exp: Math.floor(Date.now() / 1000) + 660 })),
    ],
    ['no jti', () => sign(claims({ jti: undefined }))],
    ['an unknown client', () => sign(claims({ iss: 'nobody', sub: 'nobody' }))],
    ['no JWT at all', async () => 'not-a-jwt'],
  ])('should grant no token when the assertion has %s', async (_, assertion) => {
    const before = await count('lti1p3_access_tokens');
    const answer = await requestToken(await assertion());
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    expect(answer.wwwAuthenticate).toContain('Bearer');
    expect(await count('lti1p3_access_tokens')).toBe(before);
  });

  it('should grant no token for a reused jti', async () => {
    const assertion = await sign(claims());
    expect((await requestToken(assertion)).status).toBe(200);
    const before = await count('lti1p3_access_tokens');
    const replay = await requestToken(assertion);
    expect(replay).toMatchObject({
      status: 401,
      body: { error: 'invalid_client', error_description: expect.stringContaining('jti') },
    });
    expect(await count('lti1p3_access_tokens')).toBe(before);
  });

  it.each<[string, Record<string, string>, string]>([
    ['another grant type', { grant_type: 'password' }, 'unsupported_grant_type'],
    [
      'another assertion type',
      { client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer' },
      'invalid_request',
    ],
    ['no scope', { scope: '' }, 'invalid_scope'],
  ])('should answer an RFC 6749 error when the request has %s', async (_, change, error) => {
    const answer = await requestToken(await sign(claims()), `${SCORE}`, change);
    expect(answer).toMatchObject({ status: 400, body: { error } });
  });

  it('should never log an access token it grants', async () => {
    const answer = await requestToken(await sign(claims()));
    expect(answer.status).toBe(200);
    expect(testApp.logs.text).not.toContain(String(answer.body.access_token));
  });

  it('should grant a real ltijs tool a token when it signs its assertion with the key its JWKS publishes', async () => {
    const tool = await startLti1p3Tool();
    try {
      const root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
      const org = (await root.get('/api/v1/organizations')).body.items[0].id;
      const { clientId: ltijsClientId } = await registerToolAsProvider(root, tool, testApp.baseUrl, org, {
        name: 'ltijs grades',
        redirectUris: [tool.launchUrl],
        services: ['grades'],
      });
      const platform = await tool.lti.getPlatform(testApp.baseUrl, ltijsClientId);
      if (!platform) throw new Error('ltijs does not know the platform it was just given');
      const token = await platform.platformAccessToken(SCORE);
      expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: SCORE });
      expect(String(token.access_token)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    } finally {
      await tool.close();
    }
  });
});
