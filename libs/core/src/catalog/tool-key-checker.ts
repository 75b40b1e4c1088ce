import { Injectable } from '@nestjs/common';
import type { JSONWebKeySet } from 'jose';
import { checkJwkSet } from '@tms/lti';
import { OutboundError, OutboundHttp, OutboundResponse } from '../shared/outbound-http';

/** A key set is a few kilobytes; anything past this is not one (and is not held in memory). */
export const TOOL_KEY_SET_MAX_BYTES = 64 * 1024;
const TIMEOUT_MS = 5_000;

export type ToolKeySetFetch =
  | {
      readonly ok: true;
      readonly keySet: JSONWebKeySet;
      /** Cache-Control max-age of the answer in seconds (0 for no-store/no-cache), if it gave one. */
      readonly maxAgeSeconds: number | undefined;
    }
  | {
      readonly ok: false;
      readonly reason: string;
      /** The guarded client refused the address itself (private, local, not https): no tool can serve a key there. */
      readonly refusedAddress?: boolean;
    };

/**
 * Fetches a tool's JWK Set through the guarded outbound client, with the same checks when a provider
 * is saved (a typo found now costs nothing, found at the first launch it costs a failed class) and
 * when a tool's JWT is verified later.
 */
@Injectable()
export class ToolKeyChecker {
  constructor(private readonly http: OutboundHttp) {}

  /** Undefined when the URL serves a JWK Set with an RS256 key; otherwise why not. */
  async checkJwksUrl(url: string): Promise<string | undefined> {
    const fetched = await this.fetchKeySet(url);
    return fetched.ok ? undefined : fetched.reason;
  }

  /** The reason, when there is one, reads after the URL's name: "jwksUrl could not be fetched". */
  async fetchKeySet(url: string): Promise<ToolKeySetFetch> {
    let response: OutboundResponse;
    try {
      response = await this.http.fetch({
        method: 'GET',
        url,
        headers: { accept: 'application/json' },
        maxBytes: TOOL_KEY_SET_MAX_BYTES,
        timeoutMs: TIMEOUT_MS,
      });
    } catch (error) {
      if (error instanceof OutboundError) {
        const refusedAddress = error.failure === 'not-allowed' || error.failure === 'not-https';
        return { ok: false, reason: error.message, refusedAddress };
      }
      throw error;
    }
    if (response.status < 200 || response.status > 299)
      return { ok: false, reason: `answered HTTP ${response.status}` };
    let document: unknown;
    try {
      document = JSON.parse(response.body.toString('utf8'));
    } catch {
      return { ok: false, reason: 'does not serve JSON' };
    }
    const check = checkJwkSet(document);
    if (check.reason) return { ok: false, reason: check.reason };
    return { ok: true, keySet: document as JSONWebKeySet, maxAgeSeconds: maxAge(response.header('cache-control')) };
  }
}

/** RFC 9111 §5.2.2: max-age in seconds; no-store and no-cache ask for no reuse (0). */
function maxAge(cacheControl: string | undefined): number | undefined {
  if (!cacheControl) return undefined;
  if (/(?:^|,)\s*no-(?:store|cache)\b/i.test(cacheControl)) return 0;
  const match = /(?:^|,)\s*max-age\s*=\s*"?(\d{1,10})"?\s*(?:,|$)/i.exec(cacheControl);
  return match ? Number(match[1]) : undefined;
}
