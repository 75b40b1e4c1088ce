import { createLocalJWKSet, decodeProtectedHeader, JSONWebKeySet, jwtVerify } from 'jose';
import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createSelfPacedLearner } from '../bench/support/lti1p1-fixtures';
import { Lti1p3Placement, placeLti1p3Tool } from '../bench/support/lti1p3-fixtures';
import { authorizePath, loginFields, parseFormPost } from '../bench/support/lti1p3-launch';
import { signClientAssertion, tokenRequestForm } from '../bench/support/lti1p3-services';
import { ApiClient } from './support/api-client';
import { SecondInstance, startSecondInstance } from './support/built-app';
import { FormSession } from './support/form-session';
import { ReverseProxy, startReverseProxy } from './support/nginx';
import { ADMIN_EMAIL, ADMIN_PASSWORD, freePort, startTestApp, TestApp } from './support/test-app';

const AGS_LINE_ITEMS = 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem';
const LINE_ITEM_CONTAINER = 'application/vnd.ims.lis.v2.lineitemcontainer+json';
const REDIRECT_URI = 'http://127.0.0.1:9/launch';
const PASSWORD = 'a-long-learner-password';

/**
 * Two instances of the application behind Debian's nginx, sharing one PostgreSQL and nothing else:
 * instance 0 in this process, instance 1 the build in a process of its own with two cluster
 * workers. The proxy balances over both at the public URL and reaches each one alone on a port of
 * its own, so a test decides which instance serves each request, and every answer names it.
 */
// Two instances (one of them a cluster of two workers) and nginx start before the first test.
jest.setTimeout(180_000);

describe('two instances behind nginx', () => {
  let first: TestApp;
  let second: SecondInstance;
  let proxy: ReverseProxy;
  let placed: Lti1p3Placement;
  let learner: { enrollmentId: string; cookie: string; launchPath: string };

  beforeAll(async () => {
    const [publicPort, via0, via1] = [await freePort(), await freePort(), await freePort()];
    const shared = {
      PUBLIC_URL: `http://127.0.0.1:${publicPort}`,
      TMS_TRUST_PROXY: 'loopback',
      TMS_SIGNIN_ACCOUNT_ATTEMPTS: '3',
      TMS_SIGNIN_LOCKOUT_SECONDS: '60',
    };
    first = await startTestApp(shared);
    second = await startSecondInstance(first, { ...shared, TMS_WORKERS: '2' });
    const ports = [first.baseUrl, second.baseUrl].map((url) => Number(new URL(url).port));
    proxy = await startReverseProxy(publicPort, ports, [via0, via1]);

    placed = await placeLti1p3Tool(proxy.publicUrl, { services: ['grades'] });
    const email = 'two-instances-learner@example.com';
    const { enrollmentId } = await createSelfPacedLearner(placed.root, {
      email,
      name: 'Learner on two instances',
      password: PASSWORD,
      organizationId: placed.organizationId,
      courseId: placed.courseId,
    });
    const browser = new FormSession(proxy.publicUrl);
    await browser.signIn(email, PASSWORD);
    learner = {
      enrollmentId,
      cookie: browser.cookieHeader(),
      launchPath: `/learn/enrollments/${enrollmentId}/activities/${placed.activityId}/launch`,
    };
  });

  afterAll(async () => {
    await proxy?.stop();
    await second?.stop();
    await first?.close();
  });

  /** GET through the proxy to instance `index` only, with the learner's session; fails unless it served. */
  async function getVia(index: number, path: string) {
    const response = await fetch(proxy.via[index] + path, { headers: { cookie: learner.cookie }, redirect: 'manual' });
    expect(response.headers.get('x-upstream')).toBe(upstreamOf(index));
    return { status: response.status, body: await response.text() };
  }

  function upstreamOf(index: number): string {
    return new URL([first.baseUrl, second.baseUrl][index]).host;
  }

  /** Hop 1 (the launch page's login initiation) on one instance, hop 2 (authorization) on the other. */
  async function launchAcross(loginOn: number, authorizeOn: number) {
    const page = await getVia(loginOn, learner.launchPath);
    expect(page.status).toBe(200);
    const login = loginFields(page.body);
    const nonce = randomBytes(16).toString('hex');
    const state = randomBytes(16).toString('hex');
    const path = authorizePath(login, REDIRECT_URI, nonce, state);
    const answer = await getVia(authorizeOn, path);
    return { answer, post: parseFormPost(answer.body), nonce, state, path };
  }

  async function publishedKeys(index: number): Promise<JSONWebKeySet> {
    const response = await getVia(index, '/.well-known/jwks.json');
    expect(response.status).toBe(200);
    return JSON.parse(response.body) as JSONWebKeySet;
  }

  it('should answer the id_token on one instance when the login initiation came from the other, and refuse its replay on either', async () => {
    for (const [loginOn, authorizeOn] of [
      [0, 1],
      [1, 0],
    ]) {
      const { answer, post, nonce, state, path } = await launchAcross(loginOn, authorizeOn);
      expect(answer.status).toBe(200);
      expect(post?.action).toBe(REDIRECT_URI);
      expect(post?.fields.state).toBe(state);
      const { payload } = await jwtVerify(post!.fields.id_token, createLocalJWKSet(await publishedKeys(loginOn)), {
        issuer: proxy.publicUrl,
        audience: placed.platform.clientId,
      });
      expect(payload.nonce).toBe(nonce);

      // The login hint is single use in PostgreSQL, whichever instance sees the replay.
      const replayed = await getVia(loginOn, path);
      expect(parseFormPost(replayed.body)?.fields.id_token).toBeUndefined();
    }
  });

  it('should accept on one instance the access token the other issued, and refuse it on both at once when the tool is disabled', async () => {
    const assertion = await signClientAssertion(
      { clientId: placed.platform.clientId, privateKey: placed.toolPrivateKey },
      placed.platform.tokenUrl,
    );
    const issued = await fetch(`${proxy.via[0]}/lti/1p3/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: tokenRequestForm(assertion, [AGS_LINE_ITEMS]),
    });
    expect(issued.status).toBe(200);
    expect(issued.headers.get('x-upstream')).toBe(upstreamOf(0));
    const token = ((await issued.json()) as { access_token: string }).access_token;
    const lineItems = `/lti/1p3/ags/contexts/${encodeURIComponent(`${placed.courseId}:self-paced`)}/lineitems`;
    const read = (index: number) =>
      fetch(proxy.via[index] + lineItems, {
        headers: { authorization: `Bearer ${token}`, accept: LINE_ITEM_CONTAINER },
      });

    const used = await read(1);
    expect(used.status).toBe(200);
    expect(used.headers.get('x-upstream')).toBe(upstreamOf(1));
    expect(((await used.json()) as unknown[]).length).toBe(1);

    const admin = await ApiClient.signIn(proxy.via[1], ADMIN_EMAIL, ADMIN_PASSWORD);
    expect((await admin.patch(`/api/v1/lti/providers/${placed.providerId}`, { status: 'disabled' })).status).toBe(200);
    expect((await read(0)).status).toBe(401);
    expect((await read(1)).status).toBe(401);
    // Active again for the launches of the other tests; the tokens of the disabled tool stay refused.
    expect((await admin.patch(`/api/v1/lti/providers/${placed.providerId}`, { status: 'active' })).status).toBe(200);
    expect((await read(0)).status).toBe(401);
  });

  it('should refuse on one instance a jti the other accepted, and the tool’s old key at once when the other changes it', async () => {
    const tokenUrl = placed.platform.tokenUrl;
    const tool = { clientId: placed.platform.clientId, privateKey: placed.toolPrivateKey };
    const signedFor = async (index: number, signer: typeof tool) => {
      const assertion = await signClientAssertion(signer, tokenUrl);
      return [index, assertion] as const;
    };
    const send = async ([index, assertion]: readonly [number, string]) => {
      const response = await fetch(`${proxy.via[index]}/lti/1p3/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: tokenRequestForm(assertion, [AGS_LINE_ITEMS]),
      });
      expect(response.headers.get('x-upstream')).toBe(upstreamOf(index));
      return response.status;
    };
    const used = await signedFor(0, tool);
    expect(await send(used)).toBe(200);
    expect(await send([1, used[1]])).toBe(401);
    // Each worker of instance 1 may keep the tool now, with the key it had.
    for (let i = 0; i < 3; i++) expect(await send(await signedFor(1, tool))).toBe(200);

    const next = { ...tool, privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey };
    const admin = await ApiClient.signIn(proxy.via[0], ADMIN_EMAIL, ADMIN_PASSWORD);
    const keyOf = (signer: typeof tool) =>
      String(createPublicKey(signer.privateKey).export({ type: 'spki', format: 'pem' }));
    const rekey = (signer: typeof tool) =>
      admin.patch(`/api/v1/lti/providers/${placed.providerId}`, { publicKeyPem: keyOf(signer) });
    expect((await rekey(next)).status).toBe(200);
    const answers = [
      await send(await signedFor(1, tool)),
      await send(await signedFor(1, next)),
      await send(await signedFor(0, next)),
    ];
    // The tool's own key again, for the launches of the other tests.
    expect((await rekey(tool)).status).toBe(200);

    expect(answers).toEqual([401, 200, 200]);
  });

  it('should sign with the new key on the other instance at once when one instance rotates the platform keys', async () => {
    const admin = await ApiClient.signIn(proxy.via[0], ADMIN_EMAIL, ADMIN_PASSWORD);
    const rotated = await admin.post('/api/v1/platform-keys/rotate', {});
    expect(rotated.status).toBe(201);

    const published = (await publishedKeys(1)).keys.map((key) => key.kid);
    expect(published).toEqual(
      expect.arrayContaining([rotated.body.created.kid, rotated.body.activated.kid, rotated.body.retired.kid]),
    );
    const { post } = await launchAcross(0, 1);
    expect(decodeProtectedHeader(post!.fields.id_token).kid).toBe(rotated.body.activated.kid);
  });

  it('should lock an account out on both instances when its failed sign-ins are spread across them', async () => {
    const signIn = (index: number, password: string) =>
      fetch(`${proxy.via[index]}/api/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'two-instances-learner@example.com', password }),
      });
    for (const [i, index] of [0, 1, 0].entries()) {
      expect((await signIn(index, `wrong-password-${i}`)).status).toBe(401);
    }
    const refused = [await signIn(1, PASSWORD), await signIn(0, PASSWORD)];
    expect(refused.map((response) => response.status)).toEqual([429, 429]);
    expect(refused.map((response) => response.headers.get('x-upstream'))).toEqual([upstreamOf(1), upstreamOf(0)]);
  });

  it('should serve through the public address from both instances when requests are balanced', async () => {
    const served = new Set<string | null>();
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`${proxy.publicUrl}/health`);
      expect(response.status).toBe(200);
      served.add(response.headers.get('x-upstream'));
    }
    expect(served).toEqual(new Set([upstreamOf(0), upstreamOf(1)]));
  });
});
