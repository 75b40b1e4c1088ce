import { once } from 'node:events';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import {
  NoticeDeliveryRepository,
  NoticeDispatcher,
  NoticeSettings,
  OutboundHttp,
  PlatformKeysService,
} from '@tms/core';
import { ApiClient } from './support/api-client';
import { registerServiceTool, requestServiceToken, ServiceClient } from './support/lti-services-client';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

const NOTICE_HANDLERS_SCOPE = 'https://purl.imsglobal.org/spec/lti/scope/noticehandlers';
const NOTICE = 'https://purl.imsglobal.org/spec/lti/claim/notice';

const decodeJwtPayload = (jwt: string) => decodeJwt(jwt) as Record<string, { id?: string }>;

interface Received {
  readonly path: string;
  readonly body: { notices: { jwt: string }[] };
}

interface Delivery {
  id: string;
  noticeType: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
}

/** A tool's notice handlers on 127.0.0.1: /ok takes every notice, /flaky fails twice first, /down always fails. */
async function startHandlers(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '';
      received.push({ path, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      const tries = received.filter((r) => r.path === path).length;
      const ok = path === '/ok' || (path === '/flaky' && tries > 2);
      res.writeHead(ok ? 200 : 500).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, server };
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return read();
}

describe('LTI Platform Notification Service', () => {
  let testApp: TestApp;
  let root: ApiClient;
  let handlers: Awaited<ReturnType<typeof startHandlers>>;
  let tool: ServiceClient;
  let providerId: string;
  let deploymentId: string;
  let token: string;

  const noticeHandlers = (method: 'GET' | 'PUT', body?: unknown, bearer = token) =>
    fetch(`${testApp.baseUrl}/lti/1p3/pns/notice-handlers`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const register = async (path: string) =>
    expect(
      (await noticeHandlers('PUT', { notice_type: 'LtiHelloWorldNotice', handler: `${handlers.url}${path}` })).status,
    ).toBe(200);
  const deliveries = async () =>
    (await root.get(`/api/v1/lti/providers/${providerId}/notices`)).body.items as Delivery[];
  const deliveryOf = async (id: string) => (await deliveries()).find((d) => d.id === id)!;
  const settled = (id: string) =>
    eventually(
      () => deliveryOf(id),
      (d) => d.status !== 'pending',
    );

  beforeAll(async () => {
    testApp = await startTestApp({
      TMS_NOTICE_MAX_ATTEMPTS: '3',
      TMS_NOTICE_RETRY_BASE_SECONDS: '1',
      TMS_NOTICE_POLL_MS: '200',
    });
    handlers = await startHandlers();
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const org = (await root.post('/api/v1/organizations', { name: 'Noticed' })).body.id;
    const registered = await registerServiceTool(root, {
      name: 'Listening tool',
      organizationId: org,
      services: ['notices'],
    });
    [providerId, deploymentId, tool] = [registered.id, registered.deploymentId, registered];
    token = await requestServiceToken(testApp.baseUrl, tool, NOTICE_HANDLERS_SCOPE);
  });

  afterAll(async () => {
    handlers?.server.close();
    await testApp?.close();
  });

  it('should list every notice type without a handler, then the one the tool registers with its token', async () => {
    const empty = await noticeHandlers('GET');
    expect(empty.status).toBe(200);
    expect(await empty.json()).toEqual({
      client_id: tool.clientId,
      deployment_id: deploymentId,
      notice_handlers: [
        { notice_type: 'LtiHelloWorldNotice', handler: '' },
        { notice_type: 'LtiContextCopyNotice', handler: '' },
      ],
    });
    const put = await noticeHandlers('PUT', { notice_type: 'LtiHelloWorldNotice', handler: `${handlers.url}/ok` });
    expect(await put.json()).toEqual({ notice_type: 'LtiHelloWorldNotice', handler: `${handlers.url}/ok` });
    const listed = (await (await noticeHandlers('GET')).json()) as { notice_handlers: { handler: string }[] };
    expect(listed.notice_handlers[0].handler).toBe(`${handlers.url}/ok`);
  });

  it('should refuse an unknown notice type, a handler that is no http(s) URL, another media type and no token, changing nothing', async () => {
    const before = await (await noticeHandlers('GET')).text();
    const unknown = await noticeHandlers('PUT', { notice_type: 'LtiSomethingNotice', handler: `${handlers.url}/x` });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('notice_type');
    const ftp = await noticeHandlers('PUT', { notice_type: 'LtiHelloWorldNotice', handler: 'ftp://tool.example/n' });
    expect(ftp.status).toBe(400);
    expect(await ftp.text()).toContain('handler');
    const text = await fetch(`${testApp.baseUrl}/lti/1p3/pns/notice-handlers`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(text.status).toBe(415);
    const anonymous = await noticeHandlers(
      'PUT',
      { notice_type: 'LtiHelloWorldNotice', handler: 'https://x.example' },
      'nope',
    );
    expect(anonymous.status).toBe(401);
    expect(await (await noticeHandlers('GET')).text()).toBe(before);
  });

  it('should deliver a signed LtiHelloWorldNotice that verifies against our JWKS when an administrator sends one', async () => {
    await register('/ok');
    const queued = await root.post(`/api/v1/lti/providers/${providerId}/notices/hello-world`, {});
    expect(queued.status).toBe(202);
    expect(queued.body.status).toBe('pending');
    const sent = await settled(queued.body.id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, nextAttemptAt: null, lastError: null });

    const arrived = handlers.received.filter((r) => r.path === '/ok');
    expect(arrived).toHaveLength(1);
    expect(arrived[0].body.notices).toHaveLength(1);
    const jwt = arrived[0].body.notices[0].jwt;
    const jwks = createRemoteJWKSet(new URL(`${testApp.baseUrl}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(jwt, jwks, {
      issuer: testApp.baseUrl,
      audience: tool.clientId,
    });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(decodeProtectedHeader(jwt).kid).toBeDefined();
    expect(payload[NOTICE]).toEqual({ id: queued.body.id, timestamp: expect.any(String), type: 'LtiHelloWorldNotice' });
    expect(payload['https://purl.imsglobal.org/spec/lti/claim/deployment_id']).toBe(deploymentId);
    expect(payload['https://purl.imsglobal.org/spec/lti/claim/version']).toBe('1.3.0');
    expect(payload.azp).toBe(tool.clientId);
    expect(typeof payload.nonce).toBe('string');
  });

  it('should retry a handler that fails twice with a doubling wait and deliver on the third try', async () => {
    await register('/flaky');
    const queued = (await root.post(`/api/v1/lti/providers/${providerId}/notices/hello-world`, {})).body as Delivery;
    const waits: number[] = [];
    for (const attempts of [1, 2]) {
      const failed = await eventually(
        () => deliveryOf(queued.id),
        (d) => d.attempts === attempts && d.lastError !== null,
      );
      expect(failed).toMatchObject({ status: 'pending', lastError: 'The handler answered HTTP 500' });
      waits.push(Date.parse(failed.nextAttemptAt!) - Date.parse(failed.lastAttemptAt!));
    }
    expect(waits[0]).toBeGreaterThanOrEqual(1000);
    expect(waits[1]).toBeGreaterThanOrEqual(2000);
    expect(await settled(queued.id)).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    expect(handlers.received.filter((r) => r.path === '/flaky')).toHaveLength(3);
  });

  it('should mark a notice failed after its last attempt when the handler keeps failing, and keep it listed', async () => {
    await register('/down');
    const queued = (await root.post(`/api/v1/lti/providers/${providerId}/notices/hello-world`, {})).body as Delivery;
    const failed = await settled(queued.id);
    expect(failed).toMatchObject({
      status: 'failed',
      attempts: 3,
      nextAttemptAt: null,
      lastError: 'The handler answered HTTP 500',
    });
    expect(handlers.received.filter((r) => r.path === '/down')).toHaveLength(3);
    expect((await deliveries()).map((d) => d.status).sort()).toEqual(['failed', 'sent', 'sent']);
  });

  it('should deliver each notice once when several dispatchers work the queue at the same time', async () => {
    await register('/ok');
    const before = handlers.received.filter((r) => r.path === '/ok').length;
    const queued: string[] = [];
    for (let i = 0; i < 20; i++) {
      queued.push((await root.post(`/api/v1/lti/providers/${providerId}/notices/hello-world`, {})).body.id);
    }
    const app = testApp.app;
    const others = [1, 2, 3].map(
      () =>
        new NoticeDispatcher(
          app.get(NoticeDeliveryRepository),
          app.get(PlatformKeysService),
          app.get(OutboundHttp),
          app.get(NoticeSettings),
        ),
    );
    await Promise.all(others.map((dispatcher) => dispatcher.drain()));
    await eventually(deliveries, (all) => queued.every((id) => all.find((d) => d.id === id)?.status === 'sent'));
    const ids = handlers.received
      .filter((r) => r.path === '/ok')
      .slice(before)
      .map((r) => decodeJwtPayload(r.body.notices[0].jwt)[NOTICE].id as string);
    expect(ids.sort()).toEqual([...queued].sort());
    expect((await deliveries()).filter((d) => queued.includes(d.id)).every((d) => d.attempts === 1)).toBe(true);
  });

  it('should refuse a test notice for a tool without a handler, or an unknown tool, queuing nothing', async () => {
    expect((await noticeHandlers('PUT', { notice_type: 'LtiHelloWorldNotice', handler: '' })).status).toBe(200);
    const refused = await root.post(`/api/v1/lti/providers/${providerId}/notices/hello-world`, {});
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('no handler');
    expect(await deliveries()).toHaveLength(23);
    expect(
      (
        await root.post(
          `/api/v1/lti/providers/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/notices/hello-world`,
          {},
        )
      ).status,
    ).toBe(404);
  });
});
