import { Injectable } from '@nestjs/common';
import { checkJwkSet } from '@tms/lti';

const TIMEOUT_MS = 5_000;
const MAX_BYTES = 256 * 1024;

/**
 * Checks, when a provider is saved, that its JWKS URL serves a usable key set: a typo found now
 * costs nothing, found at the first launch it costs a failed class.
 */
@Injectable()
export class ToolKeyChecker {
  /** Undefined when the URL serves a JWK Set with an RS256 key; otherwise why not. */
  async checkJwksUrl(url: string): Promise<string | undefined> {
    let response: Response;
    try {
      // Redirects are not followed: the registered URL is the one later fetched, so it must answer itself.
      response = await fetch(url, {
        redirect: 'manual',
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      return `could not be fetched (no answer within ${TIMEOUT_MS / 1000} s)`;
    }
    if (response.status >= 300 && response.status < 400) return 'redirects elsewhere; register the final URL';
    if (!response.ok) return `answered HTTP ${response.status}`;
    const body = await readLimited(response);
    if (body === undefined) return 'serves a document too large for a key set';
    let document: unknown;
    try {
      document = JSON.parse(body);
    } catch {
      return 'does not serve JSON';
    }
    return checkJwkSet(document).reason;
  }
}

async function readLimited(response: Response): Promise<string | undefined> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BYTES) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
