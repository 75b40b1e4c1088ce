import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { ApiClient } from './api-client';
import { FormSession } from './form-session';
import { Lti1p1Tool, Lti1p1ToolLaunch } from './lti1p1-tool';

/**
 * Shared helpers of the LTI 1.1 launch and outcomes e2e tests. Everything here is written against the
 * wire formats (HTML, form posts, POX, OAuth 1.0a with the npm package oauth-1.0a), never with the
 * application's own code, so an application bug cannot be mirrored by a helper.
 */

export const PASSWORD = 'a-long-test-password';

/** Decodes the character references eta (and any HTML escaper) may write into attribute values. */
export function decodeHtml(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return String.fromCodePoint(code);
    }
    return named[ref.toLowerCase()] ?? whole;
  });
}

function attribute(tag: string, name: string): string | null {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'i').exec(tag);
  return match ? decodeHtml(match[1] ?? match[2]) : null;
}

export interface LaunchForm {
  readonly action: string;
  readonly method: string;
  /** Every hidden input, decoded; a name given twice fails (a launch never repeats a field). */
  readonly fields: Record<string, string>;
}

/** The `form.lti-launch` of a launch page and its hidden inputs, as a browser would submit them. */
export function parseLaunchForm(html: string): LaunchForm {
  const form = /<form\b[^>]*class="[^"]*\blti-launch\b[^"]*"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new Error(`No form.lti-launch in the page:\n${html.slice(0, 2000)}`);
  const openTag = /<form\b[^>]*>/i.exec(form[0])![0];
  const action = attribute(openTag, 'action');
  if (!action) throw new Error('The launch form has no action');
  const fields: Record<string, string> = {};
  for (const input of form[1].matchAll(/<input\b[^>]*>/gi)) {
    if ((attribute(input[0], 'type') ?? '').toLowerCase() !== 'hidden') continue;
    const name = attribute(input[0], 'name');
    if (name === null) continue;
    if (Object.prototype.hasOwnProperty.call(fields, name)) throw new Error(`The launch form repeats ${name}`);
    fields[name] = attribute(input[0], 'value') ?? '';
  }
  return { action, method: (attribute(openTag, 'method') ?? 'get').toLowerCase(), fields };
}

export interface BrowserLaunch {
  /** The launch page response (already read). */
  readonly page: Response;
  readonly html: string;
  readonly form: LaunchForm;
  /** What the tool received, with ims-lti's verdict. */
  readonly launch: Lti1p1ToolLaunch;
  /** The tool's answer to the form post. */
  readonly toolStatus: number;
}

/**
 * Launches like a browser: GETs the launch page with the session, POSTs the form's hidden inputs to
 * its action as application/x-www-form-urlencoded, and returns what the tool received (found by the
 * form's oauth_nonce, so concurrent launches to one tool do not mix).
 */
export async function launchLikeBrowser(session: FormSession, path: string, tool: Lti1p1Tool): Promise<BrowserLaunch> {
  const page = await session.get(path);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`GET ${path} answered ${page.status}:\n${html.slice(0, 1000)}`);
  const form = parseLaunchForm(html);
  if (form.method !== 'post') throw new Error(`The launch form's method is ${form.method}`);
  const before = tool.launches.length;
  const response = await fetch(form.action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form.fields).toString(),
    redirect: 'manual',
  });
  await response.text();
  await tool.waitForLaunch(before + 1);
  const launch = tool.launches.find((l) => l.params.oauth_nonce === form.fields.oauth_nonce);
  if (!launch) throw new Error(`The tool received no launch with oauth_nonce ${form.fields.oauth_nonce}`);
  return { page, html, form, launch, toolStatus: response.status };
}

/** A user with a password, optional person fields and one role, created through the API. */
export async function createUser(
  root: ApiClient,
  input: {
    email: string;
    name?: string;
    givenName?: string;
    familyName?: string;
    sisId?: string;
    loginId?: string;
    organizationId: string;
    role: string;
  },
  options: { signIn?: boolean } = {},
): Promise<{ id: string; email: string; client: ApiClient }> {
  const { role, ...fields } = input;
  const created = await root.post('/api/v1/users', {
    name: input.email.split('@')[0],
    ...fields,
    password: PASSWORD,
  });
  if (created.status !== 201) throw new Error(`creating ${input.email}: ${created.status} ${created.text}`);
  const membership = await root.post(`/api/v1/users/${created.body.id}/memberships`, {
    organizationId: input.organizationId,
    role,
  });
  if (membership.status !== 201) throw new Error(`role for ${input.email}: ${membership.status} ${membership.text}`);
  return {
    id: created.body.id,
    email: input.email,
    // Signing in costs a password hash; a caller that never uses the API client can skip it.
    client:
      options.signIn === false
        ? new ApiClient(root.baseUrl)
        : await ApiClient.signIn(root.baseUrl, input.email, PASSWORD),
  };
}

/** A browser session signed in through the login form. */
export async function browserOf(baseUrl: string, email: string): Promise<FormSession> {
  const session = new FormSession(baseUrl);
  await session.signIn(email, PASSWORD);
  return session;
}

/** Fails loudly on anything but the expected status, with the answer's text. */
export function created<T = any>(response: { status: number; text: string; body: T }, what: string): T {
  if (response.status !== 201) throw new Error(`${what}: ${response.status} ${response.text}`);
  return response.body;
}

export const learnerLaunchPath = (enrollmentId: string, activityId: string) =>
  `/learn/enrollments/${enrollmentId}/activities/${activityId}/launch`;

// ---------------------------------------------------------------------------------------------
// Basic Outcomes, forged by hand
// ---------------------------------------------------------------------------------------------

export const POX_NS = 'http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0';

/** A POX request envelope as LTI 1.1.1 §6 shows it; `score` is written verbatim into textString. */
export function poxRequest(input: {
  operation: string;
  sourcedId: string;
  score?: string;
  messageIdentifier?: string;
  prolog?: string;
}): { xml: string; messageIdentifier: string } {
  const messageIdentifier = input.messageIdentifier ?? `msg-${randomUUID()}`;
  const result =
    input.score === undefined
      ? ''
      : `<result><resultScore><language>en</language><textString>${input.score}</textString></resultScore></result>`;
  const xml =
    `${input.prolog ?? '<?xml version="1.0" encoding="UTF-8"?>'}\n` +
    `<imsx_POXEnvelopeRequest xmlns="${POX_NS}">` +
    '<imsx_POXHeader><imsx_POXRequestHeaderInfo><imsx_version>V1.0</imsx_version>' +
    `<imsx_messageIdentifier>${messageIdentifier}</imsx_messageIdentifier>` +
    '</imsx_POXRequestHeaderInfo></imsx_POXHeader>' +
    `<imsx_POXBody><${input.operation}Request><resultRecord><sourcedGUID><sourcedId>${input.sourcedId}</sourcedId>` +
    `</sourcedGUID>${result}</resultRecord></${input.operation}Request></imsx_POXBody>` +
    '</imsx_POXEnvelopeRequest>';
  return { xml, messageIdentifier };
}

export interface SignedOutcome {
  readonly url: string;
  readonly authorization: string;
  readonly oauth: Record<string, string>;
  readonly body: string;
}

/**
 * Signs a POX body as a tool does (OAuth 1.0a HMAC-SHA1 with oauth_body_hash, in an Authorization
 * header), with the npm package oauth-1.0a. `timestamp` and `nonce` may be forced.
 */
export function signOutcome(input: {
  url: string;
  body: string;
  key: string;
  secret: string;
  timestamp?: number;
  nonce?: string;
}): SignedOutcome {
  const oauth = new OAuth({
    consumer: { key: input.key, secret: input.secret },
    signature_method: 'HMAC-SHA1',
    hash_function: (base, signingKey) => createHmac('sha1', signingKey).update(base).digest('base64'),
    // oauth_body_hash is a plain SHA-1 of the body, not an HMAC.
    body_hash_function: (body: string) => createHash('sha1').update(body).digest('base64'),
  });
  oauth.getNonce = () => input.nonce ?? randomBytes(16).toString('hex');
  oauth.getTimeStamp = () => input.timestamp ?? Math.floor(Date.now() / 1000);
  const data = oauth.authorize({
    url: input.url,
    method: 'POST',
    data: input.body,
    includeBodyHash: true,
  });
  const authorization = oauth.toHeader(data).Authorization;
  return {
    url: input.url,
    authorization,
    oauth: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, String(v)])),
    body: input.body,
  };
}

/** Replaces one parameter of an Authorization: OAuth header (value percent-encoded). */
export function withOAuthParam(authorization: string, name: string, value: string): string {
  const replaced = authorization.replace(new RegExp(`${name}="[^"]*"`), `${name}="${encodeURIComponent(value)}"`);
  if (replaced === authorization) throw new Error(`${name} is not in the header`);
  return replaced;
}

export interface PoxResponse {
  readonly httpStatus: number;
  readonly contentType: string;
  readonly xml: string;
  readonly codeMajor: string | null;
  readonly severity: string | null;
  readonly description: string | null;
  readonly messageIdentifier: string | null;
  readonly messageRefIdentifier: string | null;
  readonly operationRefIdentifier: string | null;
  /** readResultResponse's textString; null when absent. */
  readonly textString: string | null;
}

function xmlText(xml: string, element: string): string | null {
  const match = new RegExp(`<(?:[\\w-]+:)?${element}(?:\\s[^>]*)?(?:/>|>([\\s\\S]*?)</(?:[\\w-]+:)?${element}>)`).exec(
    xml,
  );
  return match ? decodeHtml(match[1] ?? '') : null;
}

export function parsePoxResponse(httpStatus: number, contentType: string, xml: string): PoxResponse {
  return {
    httpStatus,
    contentType,
    xml,
    codeMajor: xmlText(xml, 'imsx_codeMajor'),
    severity: xmlText(xml, 'imsx_severity'),
    description: xmlText(xml, 'imsx_description'),
    messageIdentifier: xmlText(xml, 'imsx_messageIdentifier'),
    messageRefIdentifier: xmlText(xml, 'imsx_messageRefIdentifier'),
    operationRefIdentifier: xmlText(xml, 'imsx_operationRefIdentifier'),
    textString: xmlText(xml, 'textString'),
  };
}

/** POSTs a POX body as application/xml with the given Authorization header (none when null). */
export async function postOutcome(url: string, body: string, authorization: string | null): Promise<PoxResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/xml' };
  if (authorization !== null) headers.authorization = authorization;
  const response = await fetch(url, { method: 'POST', headers, body });
  return parsePoxResponse(response.status, response.headers.get('content-type') ?? '', await response.text());
}

export async function sendSigned(signed: SignedOutcome): Promise<PoxResponse> {
  return postOutcome(signed.url, signed.body, signed.authorization);
}
