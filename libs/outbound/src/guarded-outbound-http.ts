import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { lookup as dnsLookup, LookupAddress, LookupOptions } from 'node:dns';
import type { Readable } from 'node:stream';
import { Agent, Dispatcher } from 'undici';
import { OutboundError, OutboundHttp, OutboundRequest, OutboundResponse } from '@tms/core';
import { AddressPolicy, AddressStanding } from './address-policy';

/** The deployment's allow-list (TMS_OUTBOUND_ALLOW, TMS_OUTBOUND_ALLOW_HTTP); provided by the app. */
export abstract class OutboundSettings {
  /** `loopback` and CIDR networks reachable although private or local. */
  abstract readonly allow: readonly string[];
  /** Plain http to allow-listed addresses (never to public ones). */
  abstract readonly allowHttp: boolean;
}

type Scheme = 'https' | 'http';
type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;

/**
 * The one outbound HTTP client (undici). The address is judged where the connection is made: an IP
 * literal before connecting, a name by the DNS lookup hook of the connector, on every address the
 * name resolves to, so a name that resolves once to a public address and then to a private one
 * (DNS rebinding) is refused on the connection it would have served. No redirects are followed, a
 * body past the caller's cap aborts the transfer as soon as it is exceeded, and the caller's time
 * limit covers connecting, headers and body. Failures on the way all read "could not be fetched".
 */
@Injectable()
export class GuardedOutboundHttp extends OutboundHttp implements OnModuleDestroy {
  private readonly logger = new Logger('OutboundHttp');
  private readonly policy: AddressPolicy;
  private readonly agents: Record<Scheme, Agent>;

  constructor(private readonly settings: OutboundSettings) {
    super();
    this.policy = new AddressPolicy(settings.allow);
    this.agents = { https: this.agent('https'), http: this.agent('http') };
  }

  async fetch(request: OutboundRequest): Promise<OutboundResponse> {
    const url = this.destination(request.url);
    const scheme: Scheme = url.protocol === 'https:' ? 'https' : 'http';
    let answer: Dispatcher.ResponseData;
    try {
      answer = await this.agents[scheme].request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        ...bodyOf(request),
        signal: AbortSignal.timeout(request.timeoutMs),
        headersTimeout: request.timeoutMs,
        bodyTimeout: request.timeoutMs,
      });
    } catch (error) {
      throw this.failure(error, url);
    }
    try {
      if (answer.statusCode >= 300 && answer.statusCode < 400) throw new OutboundError('redirect');
      if (Number(answer.headers['content-length']) > request.maxBytes) throw OutboundError.tooLarge(request.maxBytes);
      const body = await readCapped(answer.body, request.maxBytes);
      const headers = answer.headers;
      return { status: answer.statusCode, header: (name) => joined(headers[name.toLowerCase()]), body };
    } catch (error) {
      // Destroying the body closes the connection: nothing more is read from a refused answer.
      answer.body.on('error', () => undefined).destroy();
      throw this.failure(error, url);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(Object.values(this.agents).map((agent) => agent.destroy()));
  }

  /** The URL if its scheme may be fetched and, when its host is an IP literal, that address too. */
  private destination(text: string): URL {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new OutboundError('unreachable');
    }
    const scheme = url.protocol === 'https:' ? 'https' : url.protocol === 'http:' ? 'http' : undefined;
    if (!scheme || (scheme === 'http' && !this.settings.allowHttp)) throw new OutboundError('not-https');
    // The WHATWG parser has already turned decimal, octal and hex IPv4 hosts into dotted form.
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (AddressPolicy.isAddress(host)) {
      const refusal = this.refusal([host], scheme);
      if (refusal) throw refusal;
    }
    return url;
  }

  private refusal(addresses: readonly string[], scheme: Scheme): OutboundError | undefined {
    const standings = addresses.map((address): AddressStanding => this.policy.standing(address));
    if (standings.includes('refused')) return new OutboundError('not-allowed');
    // Plain http only to where the deployment said so: a public address must be reached over TLS.
    if (scheme === 'http' && standings.includes('public')) return new OutboundError('not-https');
    return undefined;
  }

  private agent(scheme: Scheme): Agent {
    const lookup = (hostname: string, options: LookupOptions, callback: LookupCallback) => {
      dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
        if (error) return callback(error, []);
        const refusal =
          addresses.length > 0
            ? this.refusal(
                addresses.map((entry) => entry.address),
                scheme,
              )
            : undefined;
        if (refusal) return callback(refusal, []);
        if (options.all) return callback(null, addresses);
        callback(null, addresses[0].address, addresses[0].family);
      });
    };
    return new Agent({ connect: { lookup }, allowH2: false });
  }

  private failure(error: unknown, url: URL): OutboundError {
    const known = [error, (error as { cause?: unknown } | null)?.cause].find((e) => e instanceof OutboundError);
    if (known) return known as OutboundError;
    const code = (error as { code?: unknown } | null)?.code ?? (error as Error | null)?.name;
    this.logger.debug({ host: url.host, cause: code }, 'Outbound request failed');
    return new OutboundError('unreachable');
  }
}

/** The body, aborted (by the caller) as soon as it grows past the cap, so nothing larger is ever held. */
async function readCapped(body: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw OutboundError.tooLarge(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** The request's body with its content type over the caller's headers; none for a bodiless request. */
function bodyOf(request: OutboundRequest): { headers: Record<string, string>; body?: string } {
  if (request.json !== undefined) {
    return { headers: { ...request.headers, 'content-type': 'application/json' }, body: JSON.stringify(request.json) };
  }
  if (request.form !== undefined) {
    // WHATWG form encoding: what a browser would post for the same fields.
    const body = new URLSearchParams(Object.entries(request.form)).toString();
    return { headers: { ...request.headers, 'content-type': 'application/x-www-form-urlencoded' }, body };
  }
  return { headers: { ...request.headers } };
}

function joined(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
