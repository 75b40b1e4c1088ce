import { once } from 'node:events';
import { createServer as createHttpServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo, createServer as createTcpServer, Server, Socket } from 'node:net';

/** Size of the oversized key set, and the pieces it is streamed in. */
export const HUGE_BYTES = 50 * 1024 * 1024;
export const HUGE_CHUNK_BYTES = 16 * 1024;

/** One oversized answer: how much of it the server had written when the client hung up. */
export interface HugeTransfer {
  sent: number;
  readonly closed: Promise<unknown>;
}

/**
 * Key servers on 127.0.0.1 for the outbound guard's tests and benchmark, good and bad:
 * - `/keys`: the JWK Set given to `serveKeys` (200, JSON);
 * - `/huge`: a valid JWK Set of 50 MB (those keys and a padding member), without a length (chunked),
 *   16 KiB every 5 ms until the client hangs up, so that what was sent tells where it stopped reading;
 * - `/huge-fast`: the same 50 MB as fast as the client takes it (what was sent then includes what
 *   sat in the sockets' buffers when the client hung up);
 * - `/declared-huge`: a Content-Length of 50 MB, then one chunk;
 * - `/drip`: 200 and a space every 200 ms, never ending;
 * - `/silent`: never answers;
 * and beside it a TCP port that answers garbage, one that accepts and never speaks, and a closed one.
 */
export class KeyServers {
  /** Connections the HTTP key server accepted. */
  connections = 0;
  readonly hugeTransfers: HugeTransfer[] = [];
  private keySet: unknown = { keys: [] };
  private readonly sockets = new Set<Socket>();
  private readonly servers: Server[] = [];
  private ports = { http: 0, garbage: 0, silent: 0, closed: 0 };

  static async start(): Promise<KeyServers> {
    const servers = new KeyServers();
    const http = createHttpServer((request, response) => servers.route(request, response));
    http.on('connection', () => servers.connections++);
    servers.ports = {
      http: await servers.listen(http),
      garbage: await servers.listen(createTcpServer((socket) => socket.end('SSH-2.0-OpenSSH_9.2\r\n\r\n'))),
      silent: await servers.listen(createTcpServer(() => undefined)),
      closed: await closedPort(),
    };
    return servers;
  }

  /** `http://127.0.0.1:<port><path>` on the HTTP key server. */
  url(path: string): string {
    return `http://127.0.0.1:${this.ports.http}${path}`;
  }

  get port(): number {
    return this.ports.http;
  }

  /** Addresses where nothing answers HTTP: a closed port, garbage, silence, and a body that never ends. */
  deadEnds(): Record<'closed port' | 'garbage' | 'silent port' | 'dripping body', string> {
    return {
      'closed port': `http://127.0.0.1:${this.ports.closed}/keys`,
      garbage: `http://127.0.0.1:${this.ports.garbage}/keys`,
      'silent port': `http://127.0.0.1:${this.ports.silent}/keys`,
      'dripping body': this.url('/drip'),
    };
  }

  serveKeys(keySet: unknown): void {
    this.keySet = keySet;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await Promise.all(this.servers.map((server) => new Promise((done) => server.close(done))));
  }

  /** Paths may carry a query (`/huge?tool=2`), so that several tools have URLs of their own. */
  private route(request: IncomingMessage, response: ServerResponse): void {
    const path = new URL(request.url ?? '/', 'http://key-server').pathname;
    if (path === '/keys') {
      response.writeHead(200, { 'content-type': 'application/json' });
      return void response.end(JSON.stringify(this.keySet));
    }
    if (path === '/huge') return this.streamHuge(response, 5);
    if (path === '/huge-fast') return this.streamHuge(response, 0);
    if (path === '/declared-huge') {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(HUGE_BYTES) });
      return void response.write(Buffer.alloc(HUGE_CHUNK_BYTES, 0x20));
    }
    if (path === '/drip') {
      response.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => response.write(' '), 200);
      return void response.on('close', () => clearInterval(timer));
    }
    if (path === '/silent') return;
    response.writeHead(404).end();
  }

  private streamHuge(response: ServerResponse, pauseMs: number): void {
    const transfer: HugeTransfer = { sent: 0, closed: once(response, 'close') };
    this.hugeTransfers.push(transfer);
    response.writeHead(200, { 'content-type': 'application/json' });
    const keys = JSON.stringify((this.keySet as { keys?: unknown }).keys ?? []);
    const head = Buffer.from(`{"keys":${keys},"padding":"`);
    const padding = Buffer.alloc(HUGE_CHUNK_BYTES, 'a');
    const next = () => {
      if (response.destroyed) return;
      if (transfer.sent >= HUGE_BYTES) return void response.end('"}');
      const chunk = transfer.sent === 0 ? Buffer.concat([head, padding.subarray(head.length)]) : padding;
      transfer.sent += chunk.length;
      if (pauseMs > 0) response.write(chunk, () => setTimeout(next, pauseMs));
      else if (response.write(chunk)) setImmediate(next);
      else response.once('drain', next);
    };
    next();
  }

  private async listen(server: Server): Promise<number> {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return (server.address() as AddressInfo).port;
  }
}

/** A port that was just free on 127.0.0.1 and is closed again: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createTcpServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  await new Promise((done) => server.close(done));
  return port;
}
