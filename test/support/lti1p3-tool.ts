import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import {
  LtijsContextToken,
  LtijsDeepLinkingOptions,
  LtijsIdToken,
  LtijsPlatform,
  LtijsProvider,
  Provider as ltijsInstance,
} from 'ltijs';
import LtijsSequelize from 'ltijs-sequelize';
import { ApiClient } from './api-client';
import { createTestDatabase } from './test-database';

/**
 * A real third-party LTI 1.3 tool for e2e tests, built on the npm package ltijs (5.x): the OIDC login, the id_token's
 * signature and claims, the tool's keys, its client_credentials assertions (AGS, NRPS) and its deep linking responses
 * are all ltijs' own code, not ours, so a platform bug and a matching verifier bug cannot cancel out.
 *
 * How it is served: `setup()` builds ltijs' express app, this module opens ltijs' store itself (what
 * `deploy({ serverless: true })` would do, minus deploy's `process.exit()` on a store error and its SIGINT listener)
 * and serves `lti.app` from its own `http.createServer(...).listen(0, '127.0.0.1')`. ltijs' store is ltijs-sequelize on
 * a database of its own, created on the tests' PostgreSQL and dropped by close().
 *
 * Instances: `require('ltijs').Provider` is a ready-made singleton (and setup() throws PROVIDER_ALREADY_SETUP the
 * second time), but its class is reachable as `Provider.constructor` and keeps all state per instance (private
 * fields, its own express app, store and services), so every startLti1p3Tool() builds a new, independent Provider:
 * several tools in one Jest test file work (the self-test runs two at once). Each Jest test file also gets its own
 * module registry, hence its own ltijs.
 *
 * ltijs 5.9 quirks a platform test must stay clear of (measured on 5.9.9 with ltijs-sequelize 2.4.4):
 * - Keys: ltijs has no tool key until a platform is registered: registerPlatform() generates a 4096-bit RSA pair
 *   per (issuer, clientId), with a random kid. The JWKS is empty before that, and holds one key per registration
 *   after; publicKeyPem() is the key of the last registration.
 * - Registration: issuer + clientId identify a platform; ltijs finds it by (iss, aud) of the id_token (an aud array
 *   tries each entry, and azp must then equal the clientId). Registering the same pair again updates endpoints
 *   and authConfig but keeps the key pair.
 * - OIDC login (GET or POST on loginUrl): needs iss, login_hint and target_link_uri (else 400
 *   MISSING_LOGIN_PARAMETERS); an unknown iss/client_id answers 400 UNREGISTERED_PLATFORM. It redirects to the
 *   authentication endpoint built with fast-url-parser's format({ pathname: endpoint, query }), so that endpoint
 *   must carry no query string of its own. redirect_uri is target_link_uri with its query cut off (the query is kept
 *   in ltijs' store and re-appended after the launch), client_id echoes the login's, lti_message_hint and
 *   lti_deployment_id are passed through, prompt=none, response_mode=form_post.
 * - State: kept in a signed cookie `state<state>` (value: the issuer, 1 min) and not in the store; the id_token
 *   POST is refused with MISSING_VALIDATION_COOKIE without it, and ISS_CLAIM_DOES_NOT_MATCH when iss differs.
 *   The cookies have no SameSite attribute unless one is configured: this harness sets SameSite=Lax, not Secure,
 *   which a browser sends on the platform's form_post only when platform and tool are the same site (both on
 *   127.0.0.1 here; Debian's Chromium blocks third-party cookies).
 * - Nonce: ltijs does NOT compare the id_token's nonce with the one it sent; it only refuses a nonce it has seen in
 *   the last 10 s (NONCE_ALREADY_RECEIVED). This harness adds the missing check (see NONCE_MISMATCH below) in a
 *   middleware ahead of ltijs, so a platform that fails to echo the nonce is caught.
 * - id_token: RS256 only; iat must be at most 10 s old (tokenMaxAge, TOKEN_TOO_OLD), exp is enforced by
 *   jsonwebtoken; a JWK_SET platform needs a kid in the header and ltijs fetches the JWKS on every launch (no
 *   cache). Required claims: message_type LtiResourceLinkRequest or LtiDeepLinkingRequest, version 1.3.0,
 *   deployment_id, sub, roles, and for resource links target_link_uri and resource_link.id.
 * - After a valid id_token ltijs does not call the launch handler: it sets a session cookie and answers 302 to the
 *   same path with `?ltik=<its own JWT>`; the handler runs on that GET (cookies required). A browser follows it by
 *   itself; a fetch-driven test must follow it with the tool's cookies.
 * - res.locals.token is ltijs' digest of the id_token (iss, user, userInfo, clientId, deploymentId, platformContext
 *   with roles, resource, context, custom, endpoint (AGS), namesRoles, deepLinkingSettings, lis…), not its claims;
 *   this harness keeps the posted JWT and its payload too (raw, claims).
 * - Services: the access token request is client_credentials with a client_assertion signed by the registration's
 *   key (iss = sub = clientId, aud = the token endpoint URL, since ltijs-sequelize's platform model drops
 *   authorizationServer, jti, exp 60 s, kid header). The response must carry token_type (ltijs capitalises it and
 *   throws without it) and expires_in (without it the cached token is reused until the store expires it, 1 h).
 *   Grade.submitScore overwrites score.timestamp with now and defaults score.userId to the launch's sub.
 * - Deep linking: the response JWT has iss = clientId, aud = the platform's issuer, exp 60 s; content items whose
 *   type is not in deep_link_settings.accept_types are silently dropped, and only the first is kept unless
 *   accept_multiple; options.errMessage lands under a misspelt claim ("…/errormsg " with a trailing space).
 */
export interface Lti1p3ToolLaunch {
  /** ltijs' res.locals.token: its digest of the id_token, with platformContext. Pass this to ltijs' services. */
  readonly idToken: LtijsIdToken;
  /** ltijs' res.locals.context (the same object as idToken.platformContext). */
  readonly context: LtijsContextToken;
  /** Every claim of the id_token ltijs verified, as posted (null only if the harness missed the POST). */
  readonly claims: Record<string, unknown> | null;
  /** The id_token JWT as posted by the platform. */
  readonly raw: string | null;
  readonly messageType: string;
  /** The tool path the id_token was posted to (launchUrl's or deepLinkUrl's). */
  readonly path: string;
  /** ltijs' launch token (query `ltik`), which authorises further requests to this tool within the launch. */
  readonly ltik: string;
}

/** A launch ltijs (or the harness's nonce check) refused. */
export interface Lti1p3ToolRefusal {
  readonly path: string;
  readonly status: number;
  /** ltijs' error code, e.g. MISSING_VALIDATION_COOKIE, TOKEN_TOO_OLD, invalid signature, NONCE_MISMATCH. */
  readonly message: string;
  readonly body: unknown;
}

export interface Lti1p3PlatformRegistration {
  /** The platform's issuer (our PUBLIC_URL). */
  readonly url: string;
  readonly name: string;
  readonly clientId: string;
  /** OIDC authorization endpoint, without a query string. */
  readonly authenticationEndpoint: string;
  /** OAuth 2 token endpoint (also the client assertion's aud). */
  readonly accesstokenEndpoint: string;
  readonly jwksUrl: string;
}

export interface Lti1p3DeepLinkingReply {
  readonly items: Record<string, unknown>[];
  readonly options?: LtijsDeepLinkingOptions;
}

export interface Lti1p3Tool {
  /** http://127.0.0.1:<port> */
  readonly baseUrl: string;
  /** OIDC third-party initiated login (GET or POST). */
  readonly loginUrl: string;
  /** Target link URI and redirect URI of resource link launches (ltijs' appRoute). */
  readonly launchUrl: string;
  /**
   * Target link URI and redirect URI of deep linking requests. Both launchUrl and deepLinkUrl accept either message
   * type (ltijs dispatches on message_type); they differ only so a platform can tell them apart.
   */
  readonly deepLinkUrl: string;
  readonly jwksUrl: string;
  /** ltijs' Dynamic Registration initiation URL (served only with options.dynamicRegistration). */
  readonly registrationUrl: string;
  /** Accepted launches, in order (one per ltik, however often the ltik page is reloaded). */
  readonly launches: Lti1p3ToolLaunch[];
  readonly refusals: Lti1p3ToolRefusal[];
  /** The ltijs Provider serving this tool: its Grade, NamesAndRoles and DeepLinking services take launch.idToken. */
  readonly lti: LtijsProvider;
  /** Resolves when the n-th (1-based) launch has arrived. */
  waitForLaunch(count?: number, timeoutMs?: number): Promise<Lti1p3ToolLaunch>;
  /** Registers a platform with ltijs (authConfig JWK_SET on jwksUrl), which generates the tool's key pair for it. */
  registerPlatform(platform: Lti1p3PlatformRegistration): Promise<void>;
  /** The tool's public key (SPKI PEM) for the last registered platform; throws before any registration. */
  publicKeyPem(): Promise<string>;
  /** The kid of that key, as published in the JWKS and put in the tool's JWT headers. */
  keyId(): Promise<string>;
  /** ltijs' DeepLinking.createDeepLinkingMessage for a recorded deep linking launch, with its return URL. */
  deepLinkingResponse(
    launch: Lti1p3ToolLaunch,
    items: Record<string, unknown>[],
    options?: LtijsDeepLinkingOptions,
  ): Promise<{ jwt: string; returnUrl: string }>;
  /**
   * When set, a deep linking launch is answered with ltijs' auto-submitting form (createDeepLinkingForm) carrying the
   * items the function returns, instead of the tool's page; null (or returning null) restores the page.
   */
  setDeepLinkingReply(
    reply:
      ((launch: Lti1p3ToolLaunch) => Lti1p3DeepLinkingReply | null | Promise<Lti1p3DeepLinkingReply | null>) | null,
  ): void;
  /** Stops the server, closes ltijs' store and drops its database (unless options.database was given). */
  close(): Promise<void>;
}

interface LaunchWaiter {
  readonly count: number;
  readonly resolve: (launch: Lti1p3ToolLaunch) => void;
  readonly timer: NodeJS.Timeout;
  readonly reject: (error: Error) => void;
}

const LOGIN_PATH = '/login';
const LAUNCH_PATH = '/launch';
const DEEP_LINK_PATH = '/deep-link';
const KEYSET_PATH = '/keys';
const REGISTER_PATH = '/register';

/** A port free on 127.0.0.1 right now. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
/** How long a state the tool issued waits for its id_token (ltijs' state cookie lives 1 min). */
const STATE_TTL_MS = 5 * 60_000;

/**
 * Starts an ltijs tool on 127.0.0.1. options.database: a PostgreSQL URL for ltijs' store (left in place by close());
 * by default a fresh database on the tests' server (DATABASE_URL, see test/setup/global-setup.cjs), dropped by close().
 */
export async function startLti1p3Tool(
  options: {
    database?: string;
    /**
     * `cross-site`: ltijs' state cookie is `SameSite=None; Secure`, as ltijs asks for when the platform is on
     * another site (the id_token comes back in a cross-site POST, which Lax cookies do not follow). Chromium
     * treats http://localhost as a secure context, so a tool reached as `localhost` can set it over http.
     */
    cookies?: 'same-site' | 'cross-site';
    /**
     * Turns on ltijs' own LTI Dynamic Registration (`dynReg`): its registration route (`registrationUrl`) fetches the
     * platform's OpenID configuration, posts its client registration with the registration token, registers the
     * platform it was given (active at once) and answers the page that posts `org.imsglobal.lti.close`. ltijs needs its
     * own URL at setup, so the tool's port is chosen before it listens.
     */
    dynamicRegistration?: { readonly name: string };
  } = {},
): Promise<Lti1p3Tool> {
  const port = options.dynamicRegistration ? await freePort() : 0;
  const database = options.database
    ? { url: options.database, drop: async () => undefined }
    : await createTestDatabase();
  const dbUrl = new URL(database.url);
  const store = new LtijsSequelize(
    decodeURIComponent(dbUrl.pathname.slice(1)),
    decodeURIComponent(dbUrl.username),
    decodeURIComponent(dbUrl.password),
    { host: dbUrl.hostname, port: Number(dbUrl.port || 5432), dialect: 'postgres', logging: false },
  );

  const lti = new ltijsInstance.constructor();
  const launches: Lti1p3ToolLaunch[] = [];
  const refusals: Lti1p3ToolRefusal[] = [];
  const waiters = new Set<LaunchWaiter>();
  /** state → nonce the tool sent in its authentication request (ltijs keeps no nonce). */
  const issued = new Map<string, { nonce: string; at: number }>();
  /** state → id_token posted with it, to give launches the claims ltijs digests away. */
  const posted = new Map<string, { jwt: string; claims: Record<string, unknown> | null; at: number }>();
  const seenLtiks = new Set<string>();
  const registrations: LtijsPlatform[] = [];
  let deepLinkingReply: Parameters<Lti1p3Tool['setDeepLinkingReply']>[0] = null;

  const prune = (): void => {
    const cutoff = Date.now() - STATE_TTL_MS;
    for (const [state, entry] of issued) if (entry.at < cutoff) issued.delete(state);
    for (const [state, entry] of posted) if (entry.at < cutoff) posted.delete(state);
  };

  const refuse = (req: Request, res: Response, status: number, body: unknown): void => {
    const details = (body as { details?: { message?: unknown } } | null)?.details;
    refusals.push({ path: req.path, status, message: String(details?.message ?? 'unknown'), body });
    res.status(status).json(body);
  };

  /** Runs after ltijs' body and cookie parsers, before its session validator. */
  const harness = (req: Request, res: Response, next: NextFunction): void => {
    prune();
    if (req.path === LOGIN_PATH) {
      // Capture the nonce ltijs puts in its redirect to the platform's authentication endpoint.
      const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
      (res as unknown as { redirect: (...args: unknown[]) => void }).redirect = (...args: unknown[]) => {
        const location = args[args.length - 1];
        if (typeof location === 'string') {
          try {
            const query = new URL(location).searchParams;
            const state = query.get('state');
            const nonce = query.get('nonce');
            if (state && nonce) issued.set(state, { nonce, at: Date.now() });
          } catch {
            // Not an absolute URL: nothing to capture.
          }
        }
        redirect(...args);
      };
      next();
      return;
    }
    const body = req.body as Record<string, unknown> | undefined;
    if (body && typeof body.id_token === 'string' && typeof body.state === 'string') {
      const claims = decodeJwtPayload(body.id_token);
      const sent = issued.get(body.state);
      if (sent) {
        issued.delete(body.state);
        if (claims?.nonce !== sent.nonce) {
          refuse(req, res, 401, {
            status: 401,
            error: 'Unauthorized',
            details: {
              description: 'The id_token nonce is not the one the tool sent (checked by the test harness, not ltijs)',
              message: 'NONCE_MISMATCH',
            },
          });
          return;
        }
      }
      posted.set(body.state, { jwt: body.id_token, claims, at: Date.now() });
    }
    next();
  };

  lti.setup(
    randomBytes(32).toString('hex'),
    { plugin: store },
    {
      appRoute: LAUNCH_PATH,
      loginRoute: LOGIN_PATH,
      keysetRoute: KEYSET_PATH,
      cookies:
        options.cookies === 'cross-site' ? { secure: true, sameSite: 'None' } : { secure: false, sameSite: 'Lax' },
      devMode: false,
      tokenMaxAge: 10,
      serverAddon: (app) => app.use(harness),
      ...(options.dynamicRegistration
        ? {
            dynRegRoute: REGISTER_PATH,
            dynReg: {
              url: `http://127.0.0.1:${port}`,
              name: options.dynamicRegistration.name,
              autoActivate: true,
              useDeepLinking: false,
            },
          }
        : {}),
    },
  );

  const record = (token: LtijsIdToken, req: Request, res: Response): Lti1p3ToolLaunch | null => {
    const ltik = String(res.locals.ltik);
    if (seenLtiks.has(ltik)) return null;
    seenLtiks.add(ltik);
    const state = decodeJwtPayload(ltik)?.s;
    const idToken = posted.get(String(state));
    const context = res.locals.context as LtijsContextToken;
    const launch: Lti1p3ToolLaunch = {
      idToken: token,
      context,
      claims: idToken?.claims ?? null,
      raw: idToken?.jwt ?? null,
      messageType: context.messageType,
      path: context.path,
      ltik,
    };
    launches.push(launch);
    for (const waiter of waiters) {
      if (launches.length >= waiter.count) {
        waiters.delete(waiter);
        clearTimeout(waiter.timer);
        waiter.resolve(launches[waiter.count - 1]);
      }
    }
    return launch;
  };

  const findLaunch = (ltik: string): Lti1p3ToolLaunch | undefined => launches.find((l) => l.ltik === ltik);

  const handle = async (token: LtijsIdToken, req: Request, res: Response): Promise<void> => {
    const launch = record(token, req, res) ?? findLaunch(String(res.locals.ltik));
    const who = token.userInfo?.name || token.user;
    if (launch && launch.messageType === 'LtiDeepLinkingRequest') {
      const reply = deepLinkingReply ? await deepLinkingReply(launch) : null;
      if (reply) {
        const form = await lti.DeepLinking.createDeepLinkingForm(token, reply.items, reply.options);
        sendHtml(res, 200, form);
        return;
      }
      sendHtml(res, 200, `<h1>LTI 1.3 deep linking request</h1><p>Hello, ${escapeHtml(String(who))}</p>`);
      return;
    }
    // The roles and context the tool received, for tests that look at the tool's page.
    const roles = escapeHtml((token.platformContext?.roles ?? []).join(' '));
    const context = escapeHtml(String(token.platformContext?.context?.id ?? ''));
    sendHtml(
      res,
      200,
      `<h1>LTI 1.3 tool launched</h1><p>Hello, ${escapeHtml(String(who))}</p>` +
        `<div data-roles="${roles}">Roles: ${roles}</div><div data-context="${context}">Context: ${context}</div>`,
    );
  };
  const guarded =
    (fn: (token: LtijsIdToken, req: Request, res: Response) => Promise<void>) =>
    (token: LtijsIdToken, req: Request, res: Response, next: NextFunction): void => {
      fn(token, req, res).catch(next);
    };

  lti.onConnect(guarded(handle));
  lti.onDeepLinking(guarded(handle));
  // The deep linking path is not ltijs' appRoute: route it to the same handler (ltijs' session validator has run).
  lti.app.all(DEEP_LINK_PATH, (req, res, next) => {
    guarded(handle)(res.locals.token as LtijsIdToken, req, res, next);
  });
  const refusalHandler = (status: number) => (req: Request, res: Response) => {
    const body = res.locals.err ?? { status, error: 'Unauthorized', details: { message: 'unknown' } };
    refuse(req, res, status, body);
  };
  lti.onInvalidToken(refusalHandler(401));
  lti.onSessionTimeout(refusalHandler(401));
  lti.onUnregisteredPlatform((req, res) =>
    refuse(req, res, 400, { status: 400, error: 'Bad Request', details: { message: 'UNREGISTERED_PLATFORM' } }),
  );
  lti.onInactivePlatform((req, res) =>
    refuse(req, res, 401, { status: 401, error: 'Unauthorized', details: { message: 'PLATFORM_NOT_ACTIVATED' } }),
  );

  let server: Server | undefined;
  try {
    // deploy({ serverless: true }) does only this, but calls process.exit() when it fails.
    await quietly(() => store.setup());
    server = createServer(lti.app);
    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(port, '127.0.0.1', () => {
        listening.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await store.Close().catch(() => undefined);
    await database.drop().catch(() => undefined);
    throw err;
  }
  const httpServer = server;
  const baseUrl = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;

  const lastRegistration = (): LtijsPlatform => {
    const platform = registrations[registrations.length - 1];
    if (!platform) throw new Error('The LTI 1.3 tool has no key until a platform is registered (registerPlatform)');
    return platform;
  };

  let closed = false;
  return {
    baseUrl,
    loginUrl: `${baseUrl}${LOGIN_PATH}`,
    launchUrl: `${baseUrl}${LAUNCH_PATH}`,
    deepLinkUrl: `${baseUrl}${DEEP_LINK_PATH}`,
    jwksUrl: `${baseUrl}${KEYSET_PATH}`,
    registrationUrl: `${baseUrl}${REGISTER_PATH}`,
    launches,
    refusals,
    lti,
    waitForLaunch(count = 1, timeoutMs = 10_000) {
      if (launches.length >= count) return Promise.resolve(launches[count - 1]);
      return new Promise<Lti1p3ToolLaunch>((resolve, reject) => {
        const waiter: LaunchWaiter = {
          count,
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            const refused = refusals.map((r) => `${r.status} ${r.message}`).join(', ');
            reject(
              new Error(
                `Timed out after ${timeoutMs} ms waiting for LTI 1.3 launch #${count}; ${launches.length} arrived` +
                  (refused ? `; refused: ${refused}` : ''),
              ),
            );
          }, timeoutMs),
        };
        waiters.add(waiter);
      });
    },
    async registerPlatform(platform) {
      const registered = await lti.registerPlatform({
        url: platform.url,
        name: platform.name,
        clientId: platform.clientId,
        authenticationEndpoint: platform.authenticationEndpoint,
        accesstokenEndpoint: platform.accesstokenEndpoint,
        authConfig: { method: 'JWK_SET', key: platform.jwksUrl },
      });
      registrations.push(registered);
    },
    async publicKeyPem() {
      return lastRegistration().platformPublicKey();
    },
    async keyId() {
      return lastRegistration().platformKid();
    },
    async deepLinkingResponse(launch, items, dlOptions) {
      const returnUrl = launch.context.deepLinkingSettings?.deep_link_return_url;
      if (launch.messageType !== 'LtiDeepLinkingRequest' || !returnUrl) {
        throw new Error(`Not a deep linking launch (message type ${launch.messageType})`);
      }
      const jwt = await lti.DeepLinking.createDeepLinkingMessage(launch.idToken, items, dlOptions);
      return { jwt, returnUrl };
    },
    setDeepLinkingReply(reply) {
      deepLinkingReply = reply;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const waiter of waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error('The LTI 1.3 tool was closed'));
      }
      waiters.clear();
      // fetch keeps connections alive, and close() alone would wait for them to time out.
      httpServer.closeAllConnections();
      await new Promise<void>((resolve, reject) => httpServer.close((err) => (err ? reject(err) : resolve())));
      // ltijs deletes used states without awaiting: let those queries finish before the pool closes.
      await new Promise((resolve) => setTimeout(resolve, 50));
      await store.Close();
      await database.drop();
    },
  };
}

let quieted = 0;
let consoleInfo: typeof console.info = console.info;
/**
 * ltijs-sequelize runs its migrations with umzug's logger set to console, which prints two console.info blocks per
 * tool in Jest's output: mute console.info meanwhile (counted, as tools may start concurrently).
 */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  if (quieted++ === 0) {
    consoleInfo = console.info;
    console.info = () => undefined;
  }
  try {
    return await fn();
  } finally {
    if (--quieted === 0) console.info = consoleInfo;
  }
}

/** The payload of a compact JWT, unverified (ltijs verifies; the harness only reads). */
function decodeJwtPayload(jwt: string): Record<string, unknown> | null {
  const part = jwt.split('.')[1];
  if (!part) return null;
  try {
    const payload: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function sendHtml(res: Response, status: number, body: string): void {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>LTI 1.3 test tool</title></head><body>${body}</body></html>`;
  res.status(status).type('html').send(html);
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );
}

/** An RSA public key nobody holds the private half of: a placeholder until the tool has its own. */
export function standInPublicKeyPem(): string {
  return String(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }));
}

export interface RegisteredTool {
  readonly id: string;
  readonly clientId: string;
  readonly deploymentId: string;
}

/**
 * Registers the tool as an LTI 1.3 provider of the platform at `baseUrl`, and the platform with the tool. ltijs
 * makes its key only when the platform is registered with it, which needs our client_id, so the provider is
 * created with a stand-in key first, then pointed at the tool's JWKS. `body` adds or overrides provider fields.
 */
export async function registerToolAsProvider(
  root: ApiClient,
  tool: Lti1p3Tool,
  baseUrl: string,
  organizationId: string,
  body: Record<string, unknown>,
): Promise<RegisteredTool> {
  const created = await root.post('/api/v1/lti/providers', {
    organizationId,
    ltiVersion: '1.3',
    loginUrl: tool.loginUrl,
    redirectUris: [tool.launchUrl, tool.deepLinkUrl],
    targetLinkUri: tool.launchUrl,
    publicKeyPem: standInPublicKeyPem(),
    availableOrganizationIds: [organizationId],
    ...body,
  });
  if (created.status !== 201) throw new Error(`creating the provider: ${created.status} ${created.text}`);
  const registered = {
    id: created.body.id as string,
    clientId: created.body.platform.clientId as string,
    deploymentId: created.body.platform.deploymentId as string,
  };
  await tool.registerPlatform({
    url: baseUrl,
    name: 'TMS',
    clientId: registered.clientId,
    authenticationEndpoint: `${baseUrl}/lti/1p3/authorize`,
    accesstokenEndpoint: `${baseUrl}/lti/1p3/token`,
    jwksUrl: `${baseUrl}/.well-known/jwks.json`,
  });
  const patched = await root.patch(`/api/v1/lti/providers/${registered.id}`, { jwksUrl: tool.jwksUrl });
  if (patched.status !== 200) throw new Error(`pointing the provider at the tool's JWKS: ${patched.status}`);
  return registered;
}
