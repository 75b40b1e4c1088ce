/**
 * The URLs an administrator registers for a tool (launch URL, OIDC login initiation URL, redirect
 * URIs, JWKS URL). LTI Core 1.3 and the Security Framework require TLS for everything exchanged
 * with a tool; plain http is allowed only for loopback hosts, where a tool runs on the same machine
 * (development and tests) and nothing crosses a network. These are checks of the spelling; a URL the
 * platform fetches itself (the JWKS URL) is also judged by the outbound client, on the address it
 * connects to, when it is fetched.
 */
export type ToolUrlCheck =
  { readonly ok: true; readonly url: string } | { readonly ok: false; readonly reason: string };

export const TOOL_URL_MAX_LENGTH = 2048;

const NOT_AN_ADDRESS = 'is not a web address (it must start with https://)';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(?:\.\d{1,3}){3}$/.test(hostname) || hostname.endsWith('.localhost');
}

/**
 * An absolute https URL (http on loopback), without credentials or fragment. A fragment is refused
 * because redirect URIs are compared exactly and a fragment never reaches a server (RFC 6749 §3.1.2).
 * Returns the URL exactly as written (trimmed), since later comparisons are exact.
 */
export function checkToolUrl(input: string): ToolUrlCheck {
  const text = input.trim();
  if (text === '') return { ok: false, reason: 'is empty' };
  if (text.length > TOOL_URL_MAX_LENGTH)
    return { ok: false, reason: `is longer than ${TOOL_URL_MAX_LENGTH} characters` };
  // Words with spaces ("not a url") are no address at all; an address with a space inside is a typo.
  if (/\s/.test(text)) return { ok: false, reason: /^https?:\/\//i.test(text) ? 'contains spaces' : NOT_AN_ADDRESS };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: NOT_AN_ADDRESS };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { ok: false, reason: 'must start with https:// (http:// only on this machine: localhost or 127.0.0.1)' };
  // `https:host/path` parses here with a host, yet a browser on an https page resolves it as a relative path.
  if (!/^https?:\/\//i.test(text)) return { ok: false, reason: NOT_AN_ADDRESS };
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return { ok: false, reason: 'must use https (http only for localhost or 127.0.0.1)' };
  }
  if (url.username || url.password) return { ok: false, reason: 'must not contain a user name or password' };
  if (text.includes('#')) return { ok: false, reason: 'must not contain a fragment (#…)' };
  return { ok: true, url: text };
}
