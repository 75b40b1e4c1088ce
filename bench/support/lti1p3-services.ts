import { KeyObject, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';

/** A tool as the token endpoint knows it: its client_id, and the key its client assertions are signed with. */
export interface ToolClient {
  readonly clientId: string;
  readonly privateKey: KeyObject;
}

/**
 * A client assertion (LTI Security 1.0 §4.1.1, RFC 7523 §3): RS256, `iss` = `sub` = the client_id,
 * our token URL in `aud`, and a `jti` of its own, so each one is good for one token request only.
 */
export function signClientAssertion(tool: ToolClient, tokenUrl: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: tool.clientId, sub: tool.clientId, aud: tokenUrl, jti: randomUUID() })
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .sign(tool.privateKey);
}

/** The form of a client credentials token request (RFC 6749 §4.4.2) with a JWT client assertion. */
export function tokenRequestForm(assertion: string, scopes: readonly string[]): string {
  return new URLSearchParams({
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
    scope: scopes.join(' '),
  }).toString();
}

/** The access token of a token endpoint's answer granting every one of `scopes`, or why there is none. */
export function grantedToken(
  status: number,
  body: string,
  scopes: readonly string[],
): { ok: true; token: string } | { ok: false; failure: string } {
  let answer: { access_token?: unknown; scope?: unknown };
  try {
    answer = JSON.parse(body) as typeof answer;
  } catch {
    answer = {};
  }
  const granted = typeof answer.scope === 'string' ? answer.scope.split(' ') : [];
  if (status !== 200 || typeof answer.access_token !== 'string' || !scopes.every((s) => granted.includes(s))) {
    return { ok: false, failure: `the token endpoint answered ${status}: ${body.slice(0, 300)}` };
  }
  return { ok: true, token: answer.access_token };
}

/** A token for `scopes`, asked for as a tool does, outside any timed run. */
export async function requestToken(tool: ToolClient, tokenUrl: string, scopes: readonly string[]): Promise<string> {
  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: tokenRequestForm(await signClientAssertion(tool, tokenUrl), scopes),
  });
  const granted = grantedToken(response.status, await response.text(), scopes);
  if (!granted.ok) throw new Error(granted.failure);
  return granted.token;
}
