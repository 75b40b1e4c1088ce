import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { parseLaunchForm } from './lti1p1-fixtures';

/** What a tool needs from our login initiation (LTI Security 1.0 §5.1.1.1): the launch page's form. */
export const LOGIN_FIELDS = [
  'iss',
  'login_hint',
  'target_link_uri',
  'lti_message_hint',
  'client_id',
  'lti_deployment_id',
] as const;

export type LoginFields = Readonly<Record<(typeof LOGIN_FIELDS)[number], string>>;

/** A plain keep-alive HTTP/1.1 client of the app: at most `connections` sockets, nothing else on the path. */
export class BenchHttpClient {
  private readonly agent: Agent;
  private readonly url: URL;

  constructor(baseUrl: string, connections: number) {
    this.url = new URL(baseUrl);
    this.agent = new Agent({ keepAlive: true, maxSockets: connections });
  }

  get(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
    return this.send('GET', path, headers);
  }

  post(path: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
    return this.send('POST', path, { ...headers, 'content-length': String(Buffer.byteLength(body)) }, body);
  }

  close(): void {
    this.agent.destroy();
  }

  private send(
    method: string,
    path: string,
    headers: Record<string, string>,
    payload?: string,
  ): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(
        { agent: this.agent, host: this.url.hostname, port: this.url.port, method, path, headers },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
          response.on('error', reject);
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
      req.on('error', reject);
      req.end(payload);
    });
  }
}

/** One complete three-hop launch, or why not. Milliseconds. */
export type LaunchOutcome =
  | {
      readonly ok: true;
      readonly loginMs: number;
      readonly authorizeMs: number;
      readonly totalMs: number;
      readonly idToken: string;
      readonly nonce: string;
      readonly login: LoginFields;
    }
  | { readonly ok: false; readonly failure: string };

/**
 * A learner's launch as a browser and a tool make it together:
 *  1. the launch page (the learner's session cookie): its `form.lti-launch` is the login initiation;
 *  2. the tool's part, simulated: straight back to our authorization endpoint with the form's
 *     hints, a registered redirect_uri, a fresh nonce and state, in the same browser (cookie);
 *  3. the answer: `form.form-post` to the redirect_uri with the id_token and the state echoed.
 */
export async function launchOnce(
  client: BenchHttpClient,
  launch: { readonly path: string; readonly cookie: string; readonly redirectUri: string },
  /** Runs between the hops, outside their timings (to read the app's query counter, say). */
  betweenHops?: () => Promise<void>,
): Promise<LaunchOutcome> {
  const headers = { cookie: launch.cookie };
  const started = performance.now();
  let page: { status: number; body: string };
  try {
    page = await client.get(launch.path, headers);
  } catch (error) {
    return { ok: false, failure: `the launch page failed: ${String(error)}` };
  }
  const loggedIn = performance.now();
  if (page.status !== 200) return { ok: false, failure: `the launch page answered ${page.status}: ${snippet(page)}` };
  let login: LoginFields;
  try {
    login = loginFields(page.body);
  } catch (error) {
    return { ok: false, failure: `${(error as Error).message}: ${snippet(page)}` };
  }

  await betweenHops?.();
  const nonce = randomToken();
  const state = randomToken();
  const authorizing = performance.now();
  let answer: { status: number; body: string };
  try {
    answer = await client.get(authorizePath(login, launch.redirectUri, nonce, state), headers);
  } catch (error) {
    return { ok: false, failure: `the authorization endpoint failed: ${String(error)}` };
  }
  const ended = performance.now();
  if (answer.status !== 200) {
    return { ok: false, failure: `the authorization endpoint answered ${answer.status}: ${snippet(answer)}` };
  }
  const post = parseFormPost(answer.body);
  if (!post) return { ok: false, failure: `the authorization answer has no form_post: ${snippet(answer)}` };
  if (post.action !== launch.redirectUri) return { ok: false, failure: `the id_token is posted to ${post.action}` };
  if (post.fields.error) {
    return {
      ok: false,
      failure: `the authorization endpoint posted ${post.fields.error}: ${post.fields.error_description}`,
    };
  }
  const idToken = post.fields.id_token;
  if (!idToken || idToken.split('.').length !== 3) return { ok: false, failure: 'the form_post has no id_token' };
  if (post.fields.state !== state) return { ok: false, failure: `the state came back as ${post.fields.state}` };
  return {
    ok: true,
    loginMs: loggedIn - started,
    authorizeMs: ended - authorizing,
    totalMs: loggedIn - started + (ended - authorizing),
    idToken,
    nonce,
    login,
  };
}

/** The login initiation's six fields from the launch page (HTML entities decoded). */
export function loginFields(html: string): LoginFields {
  const { fields } = parseLaunchForm(html);
  const missing = LOGIN_FIELDS.filter((name) => !fields[name]);
  if (missing.length > 0) throw new Error(`the launch page's form lacks ${missing.join(', ')}`);
  return Object.fromEntries(LOGIN_FIELDS.map((name) => [name, fields[name]])) as LoginFields;
}

/** The authentication request a tool sends back (LTI Security 1.0 §5.1.1.2), as a GET. */
export function authorizePath(login: LoginFields, redirectUri: string, nonce: string, state: string): string {
  const query = new URLSearchParams({
    scope: 'openid',
    response_type: 'id_token',
    response_mode: 'form_post',
    prompt: 'none',
    client_id: login.client_id,
    redirect_uri: redirectUri,
    login_hint: login.login_hint,
    lti_message_hint: login.lti_message_hint,
    nonce,
    state,
  });
  return `/lti/1p3/authorize?${query}`;
}

/** The OIDC form_post page (`form.form-post`): its action and hidden inputs, entities decoded; null if absent. */
export function parseFormPost(html: string): { action: string; fields: Record<string, string> } | null {
  const action = /<form class="form-post" method="post" action="([^"]*)"/.exec(html)?.[1];
  if (action === undefined) return null;
  const fields: Record<string, string> = {};
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields[unescapeHtml(name)] = unescapeHtml(value);
  }
  return { action: unescapeHtml(action), fields };
}

/** Undoes Eta's escaping (& < > " '). */
function unescapeHtml(text: string): string {
  const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
  return text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => entities[entity]);
}

/** 128 random bits, as a tool makes its nonce and state. */
function randomToken(): string {
  return randomBytes(16).toString('base64url');
}

function snippet(response: { body: string }): string {
  return response.body.replace(/\s+/g, ' ').slice(0, 300);
}
