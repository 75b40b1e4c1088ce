import { createHmac, randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { LtiCallback, OutcomeService, Provider, Stores } from 'ims-lti';
import OAuth from 'oauth-1.0a';

/**
 * A real third-party LTI 1.1 tool for e2e tests: launches are verified by the npm package ims-lti (3.x), not by
 * our code, so a platform bug and a matching verifier bug cannot cancel out.
 *
 * ims-lti 3.x quirks a test must stay clear of (its verdict would be "Invalid Signature" for a correct launch):
 * - Secrets: it builds the HMAC key as `secret + '&'` without percent-encoding the secret, as RFC 5849 requires, so
 *   only secrets made of `A-Za-z0-9-._~` verify; a base64 secret (`+`, `/`, `=`) never does. The outcome client
 *   signs with the same unencoded key.
 * - Parameter order: it sorts the joined `name=value` strings rather than names, so a name that is a prefix of
 *   another followed by a character below `=` (e.g. `custom_x` and `custom_x1`, or `custom_a.b`) sorts wrongly.
 * - Parameter names are not percent-encoded in its base string; values are.
 * - `tool_consumer_info_product_family_code=canvas` makes it drop the URL's query from the signature.
 * - Only `lti_version=LTI-1p0` (which LTI 1.1 launches still send), `lti_message_type=basic-lti-launch-request`
 *   and a `resource_link_id` pass; anything else is "Invalid LTI parameters" before the signature is checked.
 * - A replayed nonce and a timestamp older than 5 minutes both read "Expired nonce"; a future timestamp passes.
 */
export interface Lti1p1ToolLaunch {
  /** Every form field received, as posted. */
  readonly params: Record<string, string>;
  /** ims-lti's verdict (valid_request). */
  readonly valid: boolean;
  /** ims-lti's error message when invalid. */
  readonly error: string | null;
  /** Path and query as received. */
  readonly url: string;
}

export interface Lti1p1Tool {
  /** http://127.0.0.1:<port>; the platform must post to this exact host, which ims-lti signs over. */
  readonly baseUrl: string;
  readonly launchUrl: string;
  readonly launches: Lti1p1ToolLaunch[];
  /** Resolves when the n-th (1-based) launch has arrived. */
  waitForLaunch(count?: number, timeoutMs?: number): Promise<Lti1p1ToolLaunch>;
  /**
   * Through ims-lti's own outcome client of a valid launch. ims-lti refuses anything but a number in [0, 1]
   * before sending (ParameterError), so a string score rejects without reaching the platform.
   */
  sendReplaceResult(launch: Lti1p1ToolLaunch, score: number | string): Promise<boolean>;
  /**
   * With outcome data (the Canvas-originated extension), through ims-lti's own client: it refuses before sending
   * unless the launch announced the type in ext_outcome_data_values_accepted. ims-lti knows `text` and `url`.
   */
  sendReplaceResultWithData(
    launch: Lti1p1ToolLaunch,
    score: number,
    data: { readonly text: string } | { readonly url: string },
  ): Promise<boolean>;
  /**
   * ims-lti parses the response's textString with parseFloat, so this resolves with a number; an empty or
   * non-numeric score (e.g. no result yet) rejects with "Invalid score response" instead of resolving null.
   */
  sendReadResult(launch: Lti1p1ToolLaunch): Promise<number | null | string>;
  sendDeleteResult(launch: Lti1p1ToolLaunch): Promise<boolean>;
  close(): Promise<void>;
}

interface LaunchWaiter {
  readonly count: number;
  readonly resolve: (launch: Lti1p1ToolLaunch) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

const LAUNCH_PATH = '/launch';
const MAX_BODY_BYTES = 1024 * 1024;

export async function startLti1p1Tool(options: { consumerKey: string; consumerSecret: string }): Promise<Lti1p1Tool> {
  const { consumerKey, consumerSecret } = options;
  // One store shared by every Provider: each Provider defaults to its own, which would never see a replay.
  const nonceStore = new Stores.MemoryStore();
  const launches: Lti1p1ToolLaunch[] = [];
  // A Provider per launch because its `body` accumulates across valid_request calls.
  const providers = new WeakMap<Lti1p1ToolLaunch, Provider>();
  const waiters = new Set<LaunchWaiter>();

  const record = (launch: Lti1p1ToolLaunch, provider: Provider): void => {
    launches.push(launch);
    if (launch.valid) providers.set(launch, provider);
    for (const waiter of waiters) {
      if (launches.length >= waiter.count) {
        waiters.delete(waiter);
        clearTimeout(waiter.timer);
        waiter.resolve(launches[waiter.count - 1]);
      }
    }
  };

  const handleLaunch = async (req: IncomingMessage, res: ServerResponse, url: string): Promise<void> => {
    const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (contentType !== 'application/x-www-form-urlencoded') {
      sendHtml(res, 415, '<h1>Unsupported media type</h1><p>Expected application/x-www-form-urlencoded.</p>');
      return;
    }
    const params = Object.fromEntries(new URLSearchParams(await readBody(req)));
    const provider = new Provider(consumerKey, consumerSecret, nonceStore);
    // ims-lti signs over `protocol + '://' + headers.host + pathname` plus the query. A bare IncomingMessage has
    // no `protocol` (it would fall back to the deprecated req.connection), so hand it an explicit view instead.
    const ltiRequest = { method: req.method ?? 'POST', url, protocol: 'http', headers: { host: req.headers.host } };
    const verdict = await new Promise<{ valid: boolean; error: string | null }>((resolve) => {
      try {
        provider.valid_request(ltiRequest, params, (err, valid) =>
          resolve({ valid: !err && valid, error: err ? String(err.message) : valid ? null : 'Invalid launch' }),
        );
      } catch (err) {
        resolve({ valid: false, error: err instanceof Error ? err.message : String(err) });
      }
    });
    const launch: Lti1p1ToolLaunch = { params, url, ...verdict };
    record(launch, provider);
    if (!launch.valid) {
      sendHtml(res, 401, `<h1>Launch refused</h1><p>${escapeHtml(launch.error ?? '')}</p>`);
      return;
    }
    const name =
      params.lis_person_name_full ||
      [params.lis_person_name_given, params.lis_person_name_family].filter(Boolean).join(' ');
    sendHtml(res, 200, `<h1>Tool launched</h1>${name ? `<p>Hello, ${escapeHtml(name)}</p>` : ''}`);
  };

  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const { pathname } = new URL(url, 'http://127.0.0.1');
    if (pathname === LAUNCH_PATH || pathname.startsWith(`${LAUNCH_PATH}/`)) {
      if (req.method !== 'POST') {
        res.setHeader('Allow', 'POST');
        sendHtml(res, 405, '<h1>Method not allowed</h1>');
        return;
      }
      handleLaunch(req, res, url).catch((err: unknown) => {
        if (!res.headersSent) sendHtml(res, 500, `<h1>Tool error</h1><p>${escapeHtml(String(err))}</p>`);
        else res.destroy();
      });
      return;
    }
    if (pathname === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
      sendHtml(res, 200, '<h1>LTI 1.1 test tool</h1><p>Launch by POSTing to /launch.</p>');
      return;
    }
    sendHtml(res, 404, '<h1>Not found</h1>');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const outcomeServiceOf = (launch: Lti1p1ToolLaunch): OutcomeService => {
    const provider = providers.get(launch);
    if (!provider) {
      throw new Error(
        launch.valid
          ? 'This launch was not received by this LTI 1.1 tool'
          : `Cannot send outcomes for a refused LTI 1.1 launch (${launch.error})`,
      );
    }
    if (!provider.outcome_service) {
      throw new Error(
        'The launch carried no lis_outcome_service_url and lis_result_sourcedid, so ims-lti has no outcome service for it',
      );
    }
    return provider.outcome_service;
  };

  return {
    baseUrl,
    launchUrl: `${baseUrl}${LAUNCH_PATH}`,
    launches,
    waitForLaunch(count = 1, timeoutMs = 10_000) {
      if (launches.length >= count) return Promise.resolve(launches[count - 1]);
      return new Promise<Lti1p1ToolLaunch>((resolve, reject) => {
        const waiter: LaunchWaiter = {
          count,
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            reject(
              new Error(
                `Timed out after ${timeoutMs} ms waiting for LTI 1.1 launch #${count}; ${launches.length} arrived`,
              ),
            );
          }, timeoutMs),
        };
        waiters.add(waiter);
      });
    },
    async sendReplaceResult(launch, score) {
      const service = outcomeServiceOf(launch);
      return callOutcome<boolean>((callback) => service.send_replace_result(score, callback));
    },
    async sendReplaceResultWithData(launch, score, data) {
      const service = outcomeServiceOf(launch);
      return callOutcome<boolean>((callback) =>
        'text' in data
          ? service.send_replace_result_with_text(score, data.text, callback)
          : service.send_replace_result_with_url(score, data.url, callback),
      );
    },
    async sendReadResult(launch) {
      const service = outcomeServiceOf(launch);
      return callOutcome<number | false>((callback) => service.send_read_result(callback)) as Promise<number>;
    },
    async sendDeleteResult(launch) {
      const service = outcomeServiceOf(launch);
      return callOutcome<boolean>((callback) => service.send_delete_result(callback));
    },
    async close() {
      for (const waiter of waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error('The LTI 1.1 tool was closed'));
      }
      waiters.clear();
      // fetch keeps connections alive, and close() alone would wait for them to time out.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

/**
 * Signs an LTI 1.1 launch form with oauth-1.0a, independently of our application's signer, and returns the
 * params plus the oauth_* fields. The URL's query takes part in the signature but stays out of the form. Write
 * spaces in that query as %20: oauth-1.0a does not decode `+` as a space, while receivers (ims-lti included) do.
 */
export function signLti1p1Form(
  url: string,
  params: Record<string, string>,
  key: string,
  secret: string,
): Record<string, string> {
  const oauth = new OAuth({
    consumer: { key, secret },
    signature_method: 'HMAC-SHA1',
    hash_function: (base, signingKey) => createHmac('sha1', signingKey).update(base).digest('base64'),
  });
  // oauth-1.0a draws its nonce from Math.random.
  oauth.getNonce = () => randomBytes(16).toString('hex');
  // authorize() returns its oauth data after merging the form and the URL's query into it (and into `data`), so
  // pass a copy and keep only oauth_* fields: a query parameter copied into the form would be signed twice.
  const authorization = oauth.authorize({ url, method: 'POST', data: { ...params } });
  const signed: Record<string, string> = { ...params };
  for (const [name, value] of Object.entries(authorization)) {
    if (name.startsWith('oauth_')) signed[name] = String(value);
  }
  return signed;
}

/** Turns ims-lti's callback API into a promise that settles once (xml2js 0.4 may call back twice). */
function callOutcome<T>(send: (callback: LtiCallback<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const callback: LtiCallback<T> = (err, result) => {
      if (settled) return;
      settled = true;
      if (err) {
        // ims-lti's message is the response's imsx_description, undefined when the platform sent none (or no XML).
        if (!err.message) err.message = 'ims-lti outcome request failed (the response had no imsx_description)';
        reject(err);
      } else {
        resolve(result);
      }
    };
    try {
      send(callback);
    } catch (err) {
      if (!settled) {
        settled = true;
        reject(err);
      }
    }
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('Launch body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendHtml(res: ServerResponse, status: number, body: string): void {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>LTI 1.1 test tool</title></head><body>${body}</body></html>`;
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html) });
  res.end(html);
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );
}
