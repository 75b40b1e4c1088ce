import dns from 'node:dns';
import { once } from 'node:events';
import { createServer as createHttpServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo, createServer as createTcpServer, Server, Socket } from 'node:net';
import { OutboundError, OutboundRequest } from '@tms/core';
import { GuardedOutboundHttp } from './guarded-outbound-http';

const CAP = 64 * 1024;
const CHUNK = 16 * 1024;
const HUGE = 50 * 1024 * 1024;

/** What the streaming route sent before the connection closed. */
interface Streamed {
  sent: number;
  closed: Promise<unknown>;
}

describe('GuardedOutboundHttp (against servers on 127.0.0.1)', () => {
  const sockets = new Set<Socket>();
  let connections = 0;
  let http: Server;
  let port: number;
  let garbagePort: number;
  let hangPort: number;
  let closedPort: number;
  let streamed: Streamed | undefined;
  const servers: Server[] = [];
  const clients: GuardedOutboundHttp[] = [];

  const client = (allow: string[], allowHttp = true) => {
    const created = new GuardedOutboundHttp({ allow, allowHttp });
    clients.push(created);
    return created;
  };
  const get = (url: string, limits: Partial<OutboundRequest> = {}): OutboundRequest => ({
    method: 'GET',
    url,
    maxBytes: CAP,
    timeoutMs: 2_000,
    ...limits,
  });
  const failureOf = async (promise: Promise<unknown>): Promise<OutboundError> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof OutboundError)) throw new Error(`expected an OutboundError, got ${String(error)}`);
    return error;
  };

  function route(request: IncomingMessage, response: ServerResponse): void {
    if (request.url === '/keys') {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=120' });
      return void response.end('{"keys":[]}');
    }
    if (request.url === '/echo') {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () =>
        response.end(JSON.stringify({ type: request.headers['content-type'], body: Buffer.concat(chunks).toString() })),
      );
      return;
    }
    if (request.url === '/moved') return void response.writeHead(302, { location: '/keys' }).end();
    if (request.url === '/declared-huge') {
      response.writeHead(200, { 'content-length': String(HUGE) });
      return void response.write(Buffer.alloc(CHUNK));
    }
    if (request.url === '/huge') return stream(response);
    if (request.url === '/drip') {
      response.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => response.write(' '), 50);
      return void response.on('close', () => clearInterval(timer));
    }
    response.writeHead(404).end();
  }

  /** 50 MB in 16 KiB chunks (chunked encoding, no length), paced, until the client hangs up. */
  function stream(response: ServerResponse): void {
    const state: Streamed = { sent: 0, closed: once(response, 'close') };
    streamed = state;
    response.writeHead(200, { 'content-type': 'application/json' });
    const next = () => {
      if (response.destroyed || state.sent >= HUGE) return void response.end();
      state.sent += CHUNK;
      response.write(Buffer.alloc(CHUNK, 0x20), () => setTimeout(next, 20));
    };
    next();
  }

  async function listen(server: Server): Promise<number> {
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return (server.address() as AddressInfo).port;
  }

  beforeAll(async () => {
    http = createHttpServer(route);
    http.on('connection', () => connections++);
    port = await listen(http);
    garbagePort = await listen(createTcpServer((socket) => socket.end('NOT HTTP AT ALL\r\n\r\n')));
    hangPort = await listen(createTcpServer(() => undefined));
    const closed = createTcpServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    closedPort = (closed.address() as AddressInfo).port;
    closed.close();
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.onModuleDestroy()));
    for (const socket of sockets) socket.destroy();
    await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  });

  it.each([
    ['loopback', 'https://127.0.0.1:PORT/keys'],
    ['decimal loopback', 'https://2130706433:PORT/keys'],
    ['hex loopback', 'https://0x7f000001:PORT/keys'],
    ['octal loopback', 'https://017700000001:PORT/keys'],
    ['short loopback', 'https://127.1:PORT/keys'],
    ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]:PORT/keys'],
    ['a name that resolves to loopback (/etc/hosts)', 'https://localhost:PORT/keys'],
    ['a name that resolves to loopback, over http', 'http://localhost:PORT/keys'],
    ['loopback over http', 'http://127.0.0.1:PORT/keys'],
  ])('should refuse %s without connecting when loopback is not allowed', async (_, url) => {
    const before = connections;
    const error = await failureOf(client([]).fetch(get(url.replace('PORT', String(port)))));
    expect(error.failure).toBe('not-allowed');
    expect(error.message).toBe('is not an allowed address (private or local networks are refused)');
    expect(connections).toBe(before);
  });

  it.each([
    'https://10.0.0.1/keys',
    'https://167772161/keys',
    'https://012.0.0.1/keys',
    'https://0xa.0.0.1/keys',
    'https://172.16.0.1/keys',
    'https://192.168.0.1/keys',
    'https://169.254.169.254/latest/meta-data/',
    'https://100.64.0.1/keys',
    'https://[fd00::1]/keys',
    'https://[fe80::1]/keys',
    'https://[::ffff:10.0.0.1]/keys',
    'https://[::ffff:a00:1]/keys',
    'https://0.0.0.0/keys',
    'https://[::]/keys',
    'https://224.0.0.1/keys',
    'https://255.255.255.255/keys',
  ])('should refuse %s before any connection even when loopback is allowed', async (url) => {
    expect((await failureOf(client(['loopback']).fetch(get(url)))).failure).toBe('not-allowed');
  });

  it('should judge what a name resolves to when connecting, refusing it when any of its addresses is private (DNS rebinding)', async () => {
    const answers = [['127.0.0.1'], ['127.0.0.1', '10.0.0.1']];
    const lookup = jest.spyOn(dns, 'lookup').mockImplementation(((
      _host: string,
      _options: unknown,
      callback: (error: null, addresses: dns.LookupAddress[]) => void,
    ) =>
      callback(
        null,
        answers.shift()!.map((address) => ({ address, family: 4 })),
      )) as never);
    try {
      const before = connections;
      const first = await client(['loopback']).fetch(get(`http://tool.test:${port}/keys`));
      expect(first.status).toBe(200);
      const second = await failureOf(client(['loopback']).fetch(get(`http://tool.test:${port}/keys`)));
      expect(second.failure).toBe('not-allowed');
      expect(lookup.mock.calls.map((call) => call[0])).toEqual(['tool.test', 'tool.test']);
      expect(connections).toBe(before + 1);
    } finally {
      lookup.mockRestore();
    }
  });

  it('should fetch from an allow-listed address, over http when http is allowed, and give status, headers and body', async () => {
    for (const host of ['127.0.0.1', 'localhost', '2130706433']) {
      const response = await client(['loopback']).fetch(get(`http://${host}:${port}/keys`));
      expect(response.status).toBe(200);
      expect(response.header('Cache-Control')).toBe('public, max-age=120');
      expect(response.body.toString()).toBe('{"keys":[]}');
    }
  });

  it('should refuse plain http when http is not allowed, even to an allow-listed address', async () => {
    const error = await failureOf(client(['loopback'], false).fetch(get(`http://127.0.0.1:${port}/keys`)));
    expect(error).toMatchObject({ failure: 'not-https', message: 'must use https' });
    expect((await failureOf(client(['loopback']).fetch(get(`ftp://127.0.0.1:${port}/keys`)))).failure).toBe(
      'not-https',
    );
  });

  it('should post JSON and read the answer when the method is POST', async () => {
    const response = await client(['loopback']).fetch({
      ...get(`http://127.0.0.1:${port}/echo`),
      method: 'POST',
      json: { client_name: 'Tool' },
    });
    expect(JSON.parse(response.body.toString())).toEqual({
      type: 'application/json',
      body: '{"client_name":"Tool"}',
    });
  });

  it("should post form fields url-encoded over the caller's content type when the body is a form", async () => {
    const response = await client(['loopback']).fetch({
      ...get(`http://127.0.0.1:${port}/echo`),
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      form: { oauth_signature: 'a+b/c=', custom_note: 'é & ü', empty: '' },
    });
    expect(JSON.parse(response.body.toString())).toEqual({
      type: 'application/x-www-form-urlencoded',
      body: 'oauth_signature=a%2Bb%2Fc%3D&custom_note=%C3%A9+%26+%C3%BC&empty=',
    });
  });

  it('should refuse a form post to a private address when it is not allow-listed', async () => {
    const before = connections;
    const error = await failureOf(
      client([]).fetch({ ...get(`http://127.0.0.1:${port}/echo`), method: 'POST', form: { a: '1' } }),
    );
    expect(error.failure).toBe('not-allowed');
    expect(connections).toBe(before);
  });

  it('should not follow a redirect when a form post is answered with one', async () => {
    const error = await failureOf(
      client(['loopback']).fetch({ ...get(`http://127.0.0.1:${port}/moved`), method: 'POST', form: { a: '1' } }),
    );
    expect(error.failure).toBe('redirect');
  });

  it('should not follow a redirect', async () => {
    const error = await failureOf(client(['loopback']).fetch(get(`http://127.0.0.1:${port}/moved`)));
    expect(error.failure).toBe('redirect');
  });

  it('should refuse an answer whose declared length is over the cap without reading it', async () => {
    const error = await failureOf(client(['loopback']).fetch(get(`http://127.0.0.1:${port}/declared-huge`)));
    expect(error).toMatchObject({ failure: 'too-large', message: 'answered with more than 64 KiB' });
  });

  it('should abort a 50 MB answer streamed without a length as soon as it passes the cap', async () => {
    const error = await failureOf(client(['loopback']).fetch(get(`http://127.0.0.1:${port}/huge`)));
    expect(error).toMatchObject({ failure: 'too-large', message: 'answered with more than 64 KiB' });
    await streamed!.closed;
    // The chunk that crossed the cap, and at most one more already on its way when the client hung up.
    expect(streamed!.sent).toBeGreaterThan(CAP);
    expect(streamed!.sent).toBeLessThanOrEqual(CAP + 2 * CHUNK);
  });

  it('should give the same failure for a closed port, a port answering garbage, one that never answers and one that drips', async () => {
    const guarded = client(['loopback']);
    const limits = { timeoutMs: 400 };
    const errors = await Promise.all([
      failureOf(guarded.fetch(get(`http://127.0.0.1:${closedPort}/keys`, limits))),
      failureOf(guarded.fetch(get(`http://127.0.0.1:${garbagePort}/keys`, limits))),
      failureOf(guarded.fetch(get(`http://127.0.0.1:${hangPort}/keys`, limits))),
      failureOf(guarded.fetch(get(`http://127.0.0.1:${port}/drip`, limits))),
    ]);
    expect(errors.map((e) => [e.failure, e.message])).toEqual(Array(4).fill(['unreachable', 'could not be fetched']));
  });
});
