import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import OAuth from 'oauth-1.0a';

/**
 * OAuth 1.0a (RFC 5849) as LTI 1.1 uses it: HMAC-SHA1 over form posts (launches, Content-Item) and
 * over `oauth_body_hash` for POX bodies (OAuth Request Body Hash, as profiled by LTI 1.1.1 §4.3).
 * The `oauth-1.0a` package builds the base string and the signature; nonces and timestamps are ours,
 * because its own nonce generator is not cryptographically secure.
 */
export type OAuthParams = Record<string, string | readonly string[]>;

export interface OAuthCredentials {
  readonly consumerKey: string;
  readonly consumerSecret: string;
}

export interface OAuthRequest {
  readonly method: string;
  /** The request URL; its query parameters take part in the signature (RFC 5849 §3.4.1.3.1). */
  readonly url: string;
  /** Every other parameter: the form body and the `oauth_*` ones (without `oauth_signature`). */
  readonly params: OAuthParams;
}

export const OAUTH_SIGNATURE_METHOD = 'HMAC-SHA1';
export const OAUTH_VERSION = '1.0';

const hmacSha1 = (base: string, key: string) => createHmac('sha1', key).update(base).digest('base64');

function signer(consumerSecret: string): OAuth {
  return new OAuth({
    consumer: { key: '', secret: consumerSecret },
    signature_method: OAUTH_SIGNATURE_METHOD,
    hash_function: hmacSha1,
  });
}

/**
 * The base string URI and the query parameters of a URL. WHATWG URL parsing already lower-cases
 * the scheme and host and drops a default port (RFC 5849 §3.4.1.2); the query is decoded as
 * `application/x-www-form-urlencoded`, `+` included (§3.4.1.3.1).
 */
function splitUrl(url: string): { base: string; query: Record<string, string[]> } {
  const parsed = new URL(url);
  const query: Record<string, string[]> = {};
  for (const [name, value] of parsed.searchParams) (query[name] ??= []).push(value);
  return { base: `${parsed.protocol}//${parsed.host}${parsed.pathname}`, query };
}

function requestData(request: OAuthRequest): { base: string; data: Record<string, string | string[]> } {
  const { base, query } = splitUrl(request.url);
  const data: Record<string, string | string[]> = {};
  const add = (name: string, values: readonly string[]) => {
    const all = [...(data[name] === undefined ? [] : ([] as string[]).concat(data[name])), ...values];
    data[name] = all.length === 1 ? all[0] : all;
  };
  for (const [name, values] of Object.entries(query)) add(name, values);
  for (const [name, value] of Object.entries(request.params)) {
    if (name !== 'oauth_signature') add(name, typeof value === 'string' ? [value] : value);
  }
  return { base, data };
}

/** The signature base string (RFC 5849 §3.4.1), exposed for spec vectors and diagnostics. */
export function oauthBaseString(request: OAuthRequest): string {
  const { base, data } = requestData(request);
  return signer('').getBaseString({ url: base, method: request.method, data }, {} as OAuth.Data);
}

/** HMAC-SHA1 signature with the consumer secret and no token secret (RFC 5849 §3.4.2). */
export function oauthSignature(request: OAuthRequest, consumerSecret: string): string {
  const { base, data } = requestData(request);
  return signer(consumerSecret).getSignature({ url: base, method: request.method, data }, undefined, {} as OAuth.Data);
}

/** A nonce from node:crypto: 128 bits, URL-safe, never repeated in practice. */
export function oauthNonce(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * Signs a form post: returns the form fields plus every `oauth_*` field, `oauth_signature` last.
 * `extra` adds protocol parameters such as `oauth_callback` or `oauth_body_hash`.
 */
export function signOAuthForm(
  url: string,
  params: Readonly<Record<string, string>>,
  credentials: OAuthCredentials,
  options: { now?: Date; extra?: Readonly<Record<string, string>> } = {},
): Record<string, string> {
  const oauth = {
    oauth_consumer_key: credentials.consumerKey,
    oauth_nonce: oauthNonce(),
    oauth_signature_method: OAUTH_SIGNATURE_METHOD,
    oauth_timestamp: String(Math.floor((options.now ?? new Date()).getTime() / 1000)),
    oauth_version: OAUTH_VERSION,
    ...options.extra,
  };
  const signed = { ...params, ...oauth };
  return {
    ...signed,
    oauth_signature: oauthSignature({ method: 'POST', url, params: signed }, credentials.consumerSecret),
  };
}

/** Compares in constant time; a signature that is not even base64 of the right length is simply wrong. */
export function isOAuthSignatureValid(request: OAuthRequest, signature: string, consumerSecret: string): boolean {
  const expected = Buffer.from(oauthSignature(request, consumerSecret), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** `oauth_body_hash`: base64 of the SHA-1 of the raw body bytes (OAuth Request Body Hash §3.1). */
export function oauthBodyHash(body: Buffer | string): string {
  return createHash('sha1').update(body).digest('base64');
}

/**
 * The parameters of an `Authorization: OAuth …` header (RFC 5849 §3.5.1), percent-decoded, `realm`
 * left out (it is not signed). Null when the header is not an OAuth one or is malformed.
 */
export function parseOAuthAuthorizationHeader(header: string | undefined): Record<string, string> | null {
  const match = /^\s*OAuth\s+(.*)$/is.exec(header ?? '');
  if (!match) return null;
  const params: Record<string, string> = {};
  const pair = /\s*([A-Za-z0-9_.~%-]+)\s*=\s*"([^"]*)"\s*(?:,|$)/y;
  let rest = match[1].trim();
  while (rest.length > 0) {
    pair.lastIndex = 0;
    const found = pair.exec(rest);
    if (!found) return null;
    try {
      const name = decodeURIComponent(found[1]);
      if (name in params) return null; // a repeated protocol parameter is ambiguous: refuse it
      if (name !== 'realm') params[name] = decodeURIComponent(found[2]);
    } catch {
      return null;
    }
    rest = rest.slice(pair.lastIndex);
  }
  return params;
}

export type OAuthCheckFailure =
  | { readonly code: 'missing_parameter'; readonly message: string }
  | { readonly code: 'unsupported_signature_method'; readonly message: string }
  | { readonly code: 'timestamp_out_of_window'; readonly message: string };

/**
 * The checks that need no secret and no storage (RFC 5849 §3.2): every protocol parameter present,
 * HMAC-SHA1, version 1.0 when given, and a timestamp within `windowSeconds` of now either way.
 */
export function checkOAuthProtocolParams(
  params: Readonly<Record<string, string | readonly string[] | undefined>>,
  options: { now: Date; windowSeconds: number },
): OAuthCheckFailure | null {
  for (const name of [
    'oauth_consumer_key',
    'oauth_signature',
    'oauth_signature_method',
    'oauth_timestamp',
    'oauth_nonce',
  ]) {
    const value = params[name];
    if (typeof value !== 'string' || value === '') {
      return { code: 'missing_parameter', message: `The OAuth parameter ${name} is missing` };
    }
  }
  if (params.oauth_signature_method !== OAUTH_SIGNATURE_METHOD) {
    return { code: 'unsupported_signature_method', message: 'Only the HMAC-SHA1 signature method is accepted' };
  }
  if (params.oauth_version !== undefined && params.oauth_version !== OAUTH_VERSION) {
    return { code: 'missing_parameter', message: 'oauth_version must be 1.0' };
  }
  const timestamp = Number(params.oauth_timestamp);
  const skew = Math.abs(options.now.getTime() / 1000 - timestamp);
  if (!/^\d{1,12}$/.test(String(params.oauth_timestamp)) || skew > options.windowSeconds) {
    return {
      code: 'timestamp_out_of_window',
      message: `oauth_timestamp is more than ${options.windowSeconds} seconds away from the server's clock`,
    };
  }
  return null;
}
