import { generateKeyPairSync, KeyObject, randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { buildSync } from 'esbuild';
import express, { Request, Response } from 'express';
import { createRemoteJWKSet, jwtVerify, JWTPayload } from 'jose';
import { AGS_SCOPES, requestServiceToken } from './lti-services-client';

/**
 * A third-party LTI 1.3 tool that survives blocked third-party cookies the way tools do in the field:
 * its pages run the browser code of the npm package `@atomicjolt/lti-client` (`initOIDCLaunch` on the
 * login page, `ltiLaunch` on the launch page), which keeps the OIDC `state` in the platform's storage
 * (LTI Platform Storage: `lti.put_data` / `lti.get_data` to the frame named by `lti_storage_target`)
 * when no cookie can be set. Its server side is written here against the wire formats: the login
 * initiation, the id_token verified with jose against the platform's JWKS (issuer, audience, the nonce
 * it sent), and a score through the platform's token endpoint and AGS once the browser has proved the
 * state. The package ships ES modules for a bundler, not a browser file: esbuild bundles its entry
 * points once, and the tool serves that bundle as `/lti-client.js`.
 *
 * It listens on 127.0.0.1; tests register it as `localhost` (`urls`), another site than a platform on
 * 127.0.0.1, so inside the platform's frame its cookies are third-party and Debian's Chromium drops them.
 */
export interface StorageToolLaunch {
  readonly state: string;
  readonly claims: JWTPayload & Record<string, unknown>;
  /** What the platform posted beside the id_token. */
  readonly storageTarget: string | null;
  /** Whether the browser brought the tool's own state cookie to the launch (never, when it is blocked). */
  readonly stateCookieArrived: boolean;
  /** Set once the launch page read the state back from the platform's storage and it matched. */
  verifiedInBrowser: boolean;
  /** The AGS score's HTTP status, once posted. */
  scoreStatus: number | null;
}

export interface StorageTool {
  /** The tool's URLs as a platform registers them: on `localhost`, another site than 127.0.0.1. */
  readonly urls: { readonly origin: string; readonly login: string; readonly launch: string; readonly probe: string };
  readonly publicKeyPem: string;
  readonly launches: StorageToolLaunch[];
  /** Why launches were refused (an unknown state, an id_token that did not verify). */
  readonly refusals: string[];
  /** The platform this tool is registered with (the provider's client_id and the platform's issuer). */
  register(platform: { issuer: string; clientId: string }): void;
  close(): Promise<void>;
}

interface PendingLogin {
  readonly nonce: string;
  readonly at: number;
}

const COOKIE_PREFIX = 'aj_open_id_';
const LOGIN_TTL_MS = 5 * 60_000;

/** Bundled once per test file: the entry points a tool's pages call, as one global `AtomicLti`. */
let bundle: string | null = null;
function clientBundle(): string {
  bundle ??= buildSync({
    stdin: {
      contents: "export { initOIDCLaunch, ltiLaunch } from '@atomicjolt/lti-client';",
      resolveDir: __dirname,
      loader: 'js',
    },
    bundle: true,
    format: 'iife',
    globalName: 'AtomicLti',
    platform: 'browser',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
  }).outputFiles[0].text;
  return bundle;
}

export async function startStorageTool(): Promise<StorageTool> {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pending = new Map<string, PendingLogin>();
  const launches: StorageToolLaunch[] = [];
  const refusals: string[] = [];
  const launchTokens = new Map<string, StorageToolLaunch>();
  let platform: { issuer: string; clientId: string } | null = null;

  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.use(express.json());
  app.get('/lti-client.js', (_req, res) => {
    res.type('text/javascript').send(clientBundle());
  });

  // OIDC third-party initiated login (LTI Security 1.0 §5.1.1.1), GET or POST.
  app.all('/login', (req: Request, res: Response) => {
    const params = { ...(req.query as Record<string, string>), ...(req.body as Record<string, string>) };
    if (!platform || params.iss !== platform.issuer || params.client_id !== platform.clientId) {
      refusals.push(`login from an unknown platform (${params.iss}, ${params.client_id})`);
      res.status(400).type('text').send('Unknown platform');
      return;
    }
    const state = randomBytes(24).toString('base64url');
    const nonce = randomBytes(24).toString('base64url');
    pending.set(state, { nonce, at: Date.now() });
    const authorizeUrl = `${platform.issuer}/lti/1p3/authorize`;
    const response = new URL(authorizeUrl);
    response.search = new URLSearchParams({
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: platform.clientId,
      redirect_uri: urls.launch,
      login_hint: params.login_hint ?? '',
      lti_message_hint: params.lti_message_hint ?? '',
      state,
      nonce,
    }).toString();
    // What a tool does first: a state cookie. Inside a cross-site frame the browser drops it.
    res.cookie(`${COOKIE_PREFIX}${state}`, '1', { sameSite: 'none', secure: true, maxAge: 60_000 });
    page(res, 'Storage tool login', '<div id="main-content"></div>', 'initOIDCLaunch', {
      state,
      responseUrl: response.toString(),
      ltiStorageParams: params.lti_storage_target
        ? { target: params.lti_storage_target, originSupportBroken: false, platformOIDCUrl: authorizeUrl }
        : null,
      relaunchInitUrl: `${urls.login}?${new URLSearchParams(params).toString()}`,
      openIdCookiePrefix: COOKIE_PREFIX,
    });
  });

  // The id_token arrives (form_post); the browser then proves the state through platform storage.
  app.post('/launch', async (req: Request, res: Response) => {
    const body = req.body as Record<string, string>;
    const { id_token: idToken, state, lti_storage_target: storageTarget } = body;
    if (body.error) {
      refusals.push(`the platform answered ${body.error}: ${body.error_description}`);
      res.status(401).type('html').send('<h1>Launch refused</h1>');
      return;
    }
    const login = state ? pending.get(state) : undefined;
    if (!platform || !login || Date.now() - login.at > LOGIN_TTL_MS) {
      refusals.push(`launch with a state this tool did not issue (${state})`);
      res.status(401).type('html').send('<h1>Launch refused</h1>');
      return;
    }
    pending.delete(state);
    let claims: StorageToolLaunch['claims'];
    try {
      const jwks = createRemoteJWKSet(new URL(`${platform.issuer}/.well-known/jwks.json`));
      ({ payload: claims } = await jwtVerify(idToken ?? '', jwks, {
        issuer: platform.issuer,
        audience: platform.clientId,
        algorithms: ['RS256'],
      }));
      if (claims.nonce !== login.nonce) throw new Error('the nonce is not the one the tool sent');
    } catch (error) {
      refusals.push(`id_token refused: ${(error as Error).message}`);
      res.status(401).type('html').send('<h1>Launch refused</h1>');
      return;
    }
    const launch: StorageToolLaunch = {
      state,
      claims,
      storageTarget: storageTarget ?? null,
      stateCookieArrived: Boolean(req.headers.cookie?.includes(`${COOKIE_PREFIX}${state}=`)),
      verifiedInBrowser: false,
      scoreStatus: null,
    };
    launches.push(launch);
    const token = randomBytes(24).toString('base64url');
    launchTokens.set(token, launch);
    const platformOIDCUrl = `${platform.issuer}/lti/1p3/authorize`;
    const name = String(claims.name ?? claims.sub);
    page(res, 'Storage tool', `<h1 id="status">Checking the launch…</h1><p>Hello, ${escapeHtml(name)}</p>`, 'launch', {
      token,
      settings: {
        stateVerified: launch.stateCookieArrived,
        state,
        ltiStorageParams: storageTarget ? { target: storageTarget, originSupportBroken: false, platformOIDCUrl } : null,
      },
    });
  });

  // The launch page's word that the state it read back from platform storage matched; then the score.
  app.post('/launch/verified', async (req: Request, res: Response) => {
    const launch = launchTokens.get(String((req.body as { token?: unknown }).token));
    if (!launch || !platform) {
      res.status(404).json({ verified: false });
      return;
    }
    launchTokens.delete(String((req.body as { token?: unknown }).token));
    launch.verifiedInBrowser = true;
    launch.scoreStatus = await postScore(platform, keys.privateKey, launch);
    res.json({ verified: true, scoreStatus: launch.scoreStatus });
  });

  // A plain page of this tool, for tests that need a window of its origin.
  app.get('/probe', (_req, res) => {
    res.type('html').send('<!doctype html><title>Probe</title><p>Probe</p>');
  });

  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://localhost:${port}`;
  const urls: StorageTool['urls'] = {
    origin,
    login: `${origin}/login`,
    launch: `${origin}/launch`,
    probe: `${origin}/probe`,
  };

  return {
    urls,
    publicKeyPem: String(keys.publicKey.export({ type: 'spki', format: 'pem' })),
    launches,
    refusals,
    register(registration) {
      platform = registration;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** AGS 2.0 §3.4: the learner's score on the placement's line item, with a token for the score scope. */
async function postScore(
  platform: { issuer: string; clientId: string },
  privateKey: KeyObject,
  launch: StorageToolLaunch,
): Promise<number> {
  const endpoint = launch.claims['https://purl.imsglobal.org/spec/lti-ags/claim/endpoint'] as
    { lineitem?: string } | undefined;
  if (!endpoint?.lineitem) return 0;
  const token = await requestServiceToken(
    platform.issuer,
    { clientId: platform.clientId, privateKey },
    AGS_SCOPES.score,
  );
  const lineItem = new URL(endpoint.lineitem);
  lineItem.pathname = `${lineItem.pathname}/scores`;
  const response = await fetch(lineItem, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/vnd.ims.lis.v1.score+json' },
    body: JSON.stringify({
      userId: launch.claims.sub,
      scoreGiven: 9,
      scoreMaximum: 10,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      timestamp: new Date().toISOString(),
    }),
  });
  return response.status;
}

/**
 * A tool page: the bundle, then one call with its settings. The tool's own pages, not the platform's:
 * an inline script is the tool's business.
 */
function page(res: Response, title: string, body: string, call: 'initOIDCLaunch' | 'launch', settings: unknown): void {
  const script =
    call === 'initOIDCLaunch'
      ? `AtomicLti.initOIDCLaunch(${JSON.stringify(settings)});`
      : `(function (s) {
          var status = document.getElementById('status');
          AtomicLti.ltiLaunch(s.settings).then(function (ok) {
            if (!ok) { status.textContent = 'Launch refused: the state did not match'; return; }
            return fetch('/launch/verified', {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ token: s.token }),
            }).then(function (r) { return r.json(); }).then(function (answer) {
              status.textContent = answer.verified ? 'Storage tool launched' : 'Launch refused';
            });
          });
        })(${JSON.stringify(settings)});`;
  res
    .type('html')
    .send(
      `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}` +
        `<script src="/lti-client.js"></script><script>${script.replace(/</g, '\\u003c')}</script></body></html>`,
    );
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );
}
