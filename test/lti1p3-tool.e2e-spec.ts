import { createPublicKey, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { createLocalJWKSet, exportJWK, generateKeyPair, JSONWebKeySet, JWK, jwtVerify, SignJWT } from 'jose';
import { launchBrowser } from './support/browser';
import { Lti1p3Tool, startLti1p3Tool } from './support/lti1p3-tool';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
const DEPLOYMENT_ID = 'deployment-1';

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/** A cookie jar for one browser-like client of the tool (ltijs keeps state and session in signed cookies). */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const expired = attributes.some((attribute) => {
        const [key, val = ''] = attribute.split('=');
        if (key.toLowerCase() === 'expires') return Date.parse(val) <= Date.now();
        if (key.toLowerCase() === 'max-age') return Number(val) <= 0;
        return false;
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

interface FakePlatform {
  readonly issuer: string;
  readonly authUrl: string;
  readonly tokenUrl: string;
  readonly jwksUrl: string;
  readonly membershipsUrl: string;
  readonly lineItemUrl: string;
  readonly kid: string;
  readonly privateKey: SigningKey;
  readonly tokenRequests: Record<string, string>[];
  readonly scores: { authorization: string; contentType: string; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A minimal LTI 1.3 platform: a JWKS, a token endpoint that checks the tool's assertion, NRPS and AGS scores. */
async function startFakePlatform(toolJwksUrl: () => string, clientId: () => string): Promise<FakePlatform> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const kid = randomUUID();
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const tokenRequests: Record<string, string>[] = [];
  const scores: FakePlatform['scores'] = [];
  const accessToken = randomUUID();
  let issuer = '';

  const server: Server = createServer((req, res) => {
    const send = (status: number, body: unknown, type = 'application/json'): void => {
      res.writeHead(status, { 'Content-Type': type });
      res.end(JSON.stringify(body));
    };
    const path = new URL(req.url ?? '/', issuer).pathname;
    readBody(req)
      .then(async (body) => {
        if (path === '/jwks') return send(200, { keys: [jwk] });
        if (path === '/auth') {
          // The OIDC authorization endpoint: answers with an auto-submitting form_post of the id_token, as ours does.
          const query = new URL(req.url ?? '/', issuer).searchParams;
          const redirectUri = query.get('redirect_uri') ?? '';
          const idToken = await signIdToken(self, {
            clientId: query.get('client_id') ?? '',
            nonce: query.get('nonce'),
            targetLinkUri: redirectUri,
          });
          const field = (name: string, value: string) =>
            `<input type="hidden" name="${name}" value="${value.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}">`;
          res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
          res.end(
            `<!doctype html><html><body><form method="post" action="${redirectUri}">` +
              field('id_token', idToken) +
              field('state', query.get('state') ?? '') +
              '</form><script>document.forms[0].submit()</script></body></html>',
          );
          return;
        }
        if (path === '/token' && req.method === 'POST') {
          const form = Object.fromEntries(new URLSearchParams(body));
          tokenRequests.push(form);
          const keys = (await (await fetch(toolJwksUrl())).json()) as JSONWebKeySet;
          await jwtVerify(form.client_assertion, createLocalJWKSet(keys), {
            issuer: clientId(),
            subject: clientId(),
            audience: `${issuer}/token`,
            algorithms: ['RS256'],
          });
          return send(200, { access_token: accessToken, token_type: 'bearer', expires_in: 3600, scope: form.scope });
        }
        if (req.headers.authorization !== `Bearer ${accessToken}`) return send(401, { error: 'invalid_token' });
        if (path === '/nrps/memberships') {
          return send(
            200,
            {
              id: `${issuer}/nrps/memberships`,
              context: { id: 'course-1' },
              members: [{ user_id: 'user-1', roles: [`http://purl.imsglobal.org/vocab/lis/v2/membership#Learner`] }],
            },
            'application/vnd.ims.lti-nrps.v2.membershipcontainer+json',
          );
        }
        if (path === '/ags/lineitems/1/scores' && req.method === 'POST') {
          scores.push({
            authorization: req.headers.authorization ?? '',
            contentType: req.headers['content-type'] ?? '',
            body: JSON.parse(body) as Record<string, unknown>,
          });
          res.writeHead(204).end();
          return;
        }
        return send(404, { error: 'not found' });
      })
      .catch((err: unknown) => send(400, { error: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const self: FakePlatform = {
    issuer,
    authUrl: `${issuer}/auth`,
    tokenUrl: `${issuer}/token`,
    jwksUrl: `${issuer}/jwks`,
    membershipsUrl: `${issuer}/nrps/memberships`,
    lineItemUrl: `${issuer}/ags/lineitems/1`,
    kid,
    privateKey,
    tokenRequests,
    scores,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return self;
}

interface IdTokenFields {
  readonly clientId: string;
  readonly nonce: string | null;
  readonly targetLinkUri: string;
  readonly messageType?: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';
  readonly extraClaims?: Record<string, unknown>;
  readonly iat?: number;
}

/** An id_token with every claim ltijs requires, signed RS256 with the platform's kid. */
function signIdToken(platform: FakePlatform, fields: IdTokenFields, key: SigningKey = platform.privateKey) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    nonce: fields.nonce,
    name: 'Ada Lovelace',
    [`${LTI}message_type`]: fields.messageType ?? 'LtiResourceLinkRequest',
    [`${LTI}version`]: '1.3.0',
    [`${LTI}deployment_id`]: DEPLOYMENT_ID,
    [`${LTI}target_link_uri`]: fields.targetLinkUri,
    [`${LTI}resource_link`]: { id: 'resource-1', title: 'Lesson 1' },
    [`${LTI}roles`]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
    [`${LTI}context`]: { id: 'course-1', title: 'Course 1' },
    ...fields.extraClaims,
  })
    .setProtectedHeader({ alg: 'RS256', kid: platform.kid, typ: 'JWT' })
    .setIssuer(platform.issuer)
    .setAudience(fields.clientId)
    .setSubject('user-1')
    .setIssuedAt(fields.iat ?? now)
    .setExpirationTime(now + 300)
    .sign(key);
}

interface LaunchOptions {
  readonly targetLinkUri?: string;
  readonly messageType?: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';
  readonly extraClaims?: Record<string, unknown>;
  /** Replace the nonce the tool sent. */
  readonly nonce?: string;
  readonly signWith?: SigningKey;
  readonly iat?: number;
  readonly dropCookies?: boolean;
}

interface LaunchResult {
  readonly loginRedirect: URL;
  readonly idTokenResponse: Response;
  readonly page: Response | null;
  readonly html: string;
}

/** Drives the OIDC third-party initiated login and the id_token form_post by hand, as a browser would. */
async function launchTool(
  tool: Lti1p3Tool,
  platform: FakePlatform,
  clientId: string,
  options: LaunchOptions = {},
): Promise<LaunchResult> {
  const jar = new CookieJar();
  const targetLinkUri = options.targetLinkUri ?? tool.launchUrl;
  const login = await fetch(tool.loginUrl, {
    method: 'POST',
    body: new URLSearchParams({
      iss: platform.issuer,
      login_hint: 'user-1',
      target_link_uri: targetLinkUri,
      lti_message_hint: 'hint-1',
      client_id: clientId,
      lti_deployment_id: DEPLOYMENT_ID,
    }),
    redirect: 'manual',
  });
  expect(login.status).toBe(302);
  jar.store(login);
  const loginRedirect = new URL(login.headers.get('location') ?? '');
  const query = loginRedirect.searchParams;
  const idToken = await signIdToken(
    platform,
    {
      clientId,
      nonce: options.nonce ?? query.get('nonce'),
      targetLinkUri,
      messageType: options.messageType,
      extraClaims: options.extraClaims,
      iat: options.iat,
    },
    options.signWith,
  );
  const idTokenResponse = await fetch(query.get('redirect_uri') ?? '', {
    method: 'POST',
    headers: options.dropCookies ? {} : { cookie: jar.header() },
    body: new URLSearchParams({ id_token: idToken, state: query.get('state') ?? '' }),
    redirect: 'manual',
  });
  jar.store(idTokenResponse);
  if (idTokenResponse.status !== 302) {
    return { loginRedirect, idTokenResponse, page: null, html: await idTokenResponse.text() };
  }
  const page = await fetch(new URL(idTokenResponse.headers.get('location') ?? '', tool.baseUrl), {
    headers: { cookie: jar.header() },
    redirect: 'manual',
  });
  return { loginRedirect, idTokenResponse, page, html: await page.text() };
}

describe('LTI 1.3 test tool (ltijs)', () => {
  let tool: Lti1p3Tool;
  let platform: FakePlatform;
  const clientId = `client-${randomUUID()}`;

  beforeAll(async () => {
    tool = await startLti1p3Tool();
    platform = await startFakePlatform(
      () => tool.jwksUrl,
      () => clientId,
    );
  });

  afterAll(async () => {
    await tool?.close();
    await platform?.close();
  });

  it('should publish an RSA public JWK set when a platform is registered', async () => {
    const before = (await (await fetch(tool.jwksUrl)).json()) as JSONWebKeySet;
    expect(before.keys).toEqual([]);
    await expect(tool.publicKeyPem()).rejects.toThrow(/no key until a platform is registered/);

    await tool.registerPlatform({
      url: platform.issuer,
      name: 'Fake platform',
      clientId,
      authenticationEndpoint: platform.authUrl,
      accesstokenEndpoint: platform.tokenUrl,
      jwksUrl: platform.jwksUrl,
    });

    const response = await fetch(tool.jwksUrl);
    expect(response.status).toBe(200);
    const { keys } = (await response.json()) as JSONWebKeySet;
    expect(keys).toHaveLength(1);
    const [key] = keys;
    expect(key).toEqual(expect.objectContaining({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: await tool.keyId() }));
    expect(key).not.toHaveProperty('d');
    const pem = await tool.publicKeyPem();
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n?$/);
    expect(createPublicKey(pem).export({ format: 'jwk' })).toEqual({ kty: 'RSA', n: key.n, e: key.e });
  });

  it('should accept a resource link launch when the platform follows the OIDC flow', async () => {
    const { loginRedirect, idTokenResponse, page, html } = await launchTool(tool, platform, clientId);

    expect(`${loginRedirect.origin}${loginRedirect.pathname}`).toBe(platform.authUrl);
    expect(Object.fromEntries(loginRedirect.searchParams)).toEqual({
      response_type: 'id_token',
      response_mode: 'form_post',
      id_token_signed_response_alg: 'RS256',
      scope: 'openid',
      client_id: clientId,
      redirect_uri: tool.launchUrl,
      login_hint: 'user-1',
      lti_message_hint: 'hint-1',
      lti_deployment_id: DEPLOYMENT_ID,
      prompt: 'none',
      nonce: expect.any(String),
      state: expect.any(String),
    });
    expect(idTokenResponse.headers.get('location')).toMatch(/^\/launch\?ltik=/);
    expect(page?.status).toBe(200);
    expect(html).toContain('<h1>LTI 1.3 tool launched</h1><p>Hello, Ada Lovelace</p>');

    const launch = await tool.waitForLaunch(1);
    expect(launch.messageType).toBe('LtiResourceLinkRequest');
    expect(launch.path).toBe('/launch');
    expect(launch.idToken).toEqual(
      expect.objectContaining({ iss: platform.issuer, user: 'user-1', clientId, deploymentId: DEPLOYMENT_ID }),
    );
    expect(launch.context).toEqual(
      expect.objectContaining({
        resource: { id: 'resource-1', title: 'Lesson 1' },
        context: { id: 'course-1', title: 'Course 1' },
        targetLinkUri: tool.launchUrl,
      }),
    );
    expect(launch.claims).toEqual(
      expect.objectContaining({
        iss: platform.issuer,
        aud: clientId,
        sub: 'user-1',
        nonce: loginRedirect.searchParams.get('nonce'),
        [`${LTI}message_type`]: 'LtiResourceLinkRequest',
      }),
    );
    expect(launch.raw).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('should refuse an id_token when it is signed by another key', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const refusals = tool.refusals.length;

    const { idTokenResponse, page } = await launchTool(tool, platform, clientId, { signWith: privateKey });

    expect(idTokenResponse.status).toBe(401);
    expect(page).toBeNull();
    expect(tool.refusals.slice(refusals)).toEqual([expect.objectContaining({ message: 'invalid signature' })]);
    expect(tool.launches).toHaveLength(1);
  });

  it('should refuse an id_token when its nonce is not the one the tool sent', async () => {
    const refusals = tool.refusals.length;

    const { idTokenResponse } = await launchTool(tool, platform, clientId, { nonce: randomUUID() });

    expect(idTokenResponse.status).toBe(401);
    expect(tool.refusals.slice(refusals)).toEqual([expect.objectContaining({ message: 'NONCE_MISMATCH' })]);
    expect(tool.launches).toHaveLength(1);
  });

  it('should refuse an id_token when its iat is more than 10 s old', async () => {
    const refusals = tool.refusals.length;

    const { idTokenResponse } = await launchTool(tool, platform, clientId, {
      iat: Math.floor(Date.now() / 1000) - 30,
    });

    expect(idTokenResponse.status).toBe(401);
    expect(tool.refusals.slice(refusals)).toEqual([expect.objectContaining({ message: 'TOKEN_TOO_OLD' })]);
  });

  it('should refuse an id_token when the state cookie is not sent back', async () => {
    const refusals = tool.refusals.length;

    const { idTokenResponse } = await launchTool(tool, platform, clientId, { dropCookies: true });

    expect(idTokenResponse.status).toBe(401);
    expect(tool.refusals.slice(refusals)).toEqual([expect.objectContaining({ message: 'MISSING_VALIDATION_COOKIE' })]);
    expect(tool.launches).toHaveLength(1);
  });

  it('should sign a deep linking response when the platform sends a deep linking request', async () => {
    const returnUrl = `${platform.issuer}/deep-linking/return?x=1`;
    const settings = {
      deep_link_return_url: returnUrl,
      accept_types: ['ltiResourceLink'],
      accept_presentation_document_targets: ['iframe', 'window'],
      accept_multiple: true,
      data: 'opaque-data',
    };
    const { html } = await launchTool(tool, platform, clientId, {
      targetLinkUri: tool.deepLinkUrl,
      messageType: 'LtiDeepLinkingRequest',
      extraClaims: {
        [`${LTI}resource_link`]: undefined,
        [`https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings`]: settings,
      },
    });
    expect(html).toContain('<h1>LTI 1.3 deep linking request</h1>');
    const launch = await tool.waitForLaunch(2);
    expect(launch.messageType).toBe('LtiDeepLinkingRequest');
    expect(launch.path).toBe('/deep-link');

    const items = [
      { type: 'ltiResourceLink', title: 'Chapter 1', url: tool.launchUrl, custom: { chapter: '1' } },
      { type: 'file', title: 'Dropped: not in accept_types', url: `${tool.baseUrl}/file.pdf` },
    ];
    const { jwt, returnUrl: target } = await tool.deepLinkingResponse(launch, items, { message: 'Done' });
    expect(target).toBe(returnUrl);
    const keys = (await (await fetch(tool.jwksUrl)).json()) as JSONWebKeySet;
    const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(keys), {
      issuer: clientId,
      audience: platform.issuer,
      algorithms: ['RS256'],
    });
    expect(protectedHeader.kid).toBe(await tool.keyId());
    expect(payload).toEqual(
      expect.objectContaining({
        nonce: expect.any(String),
        [`${LTI}message_type`]: 'LtiDeepLinkingResponse',
        [`${LTI}version`]: '1.3.0',
        [`${LTI}deployment_id`]: DEPLOYMENT_ID,
        'https://purl.imsglobal.org/spec/lti-dl/claim/data': 'opaque-data',
        'https://purl.imsglobal.org/spec/lti-dl/claim/msg': 'Done',
        'https://purl.imsglobal.org/spec/lti-dl/claim/content_items': [items[0]],
      }),
    );

    // With a reply set, the tool answers the deep linking launch with ltijs' auto-submitting form.
    tool.setDeepLinkingReply(() => ({ items: [items[0]] }));
    try {
      const { html: form } = await launchTool(tool, platform, clientId, {
        targetLinkUri: tool.deepLinkUrl,
        messageType: 'LtiDeepLinkingRequest',
        extraClaims: { [`https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings`]: settings },
      });
      expect(form).toContain(`action="${returnUrl}" method="POST"`);
      const posted = /name="JWT" value="([^"]+)"/.exec(form)?.[1] ?? '';
      await expect(jwtVerify(posted, createLocalJWKSet(keys), { audience: platform.issuer })).resolves.toBeDefined();
    } finally {
      tool.setDeepLinkingReply(null);
    }
  });

  it('should call the platform token, NRPS and AGS endpoints when ltijs services are used', async () => {
    await launchTool(tool, platform, clientId, {
      extraClaims: {
        'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice': {
          context_memberships_url: platform.membershipsUrl,
          service_versions: ['2.0'],
        },
        'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint': {
          scope: ['https://purl.imsglobal.org/spec/lti-ags/scope/score'],
          lineitem: platform.lineItemUrl,
        },
      },
    });
    const launch = await tool.waitForLaunch(tool.launches.length);

    const members = await tool.lti.NamesAndRoles.getMembers(launch.idToken);
    expect(members.members).toEqual([expect.objectContaining({ user_id: 'user-1' })]);
    await tool.lti.Grade.submitScore(launch.idToken, platform.lineItemUrl, {
      scoreGiven: 8,
      scoreMaximum: 10,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
    });

    expect(platform.tokenRequests.map((r) => [r.grant_type, r.client_assertion_type, r.scope])).toEqual([
      [
        'client_credentials',
        'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
      ],
      [
        'client_credentials',
        'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        'https://purl.imsglobal.org/spec/lti-ags/scope/score',
      ],
    ]);
    expect(platform.scores).toEqual([
      {
        authorization: expect.stringMatching(/^Bearer /),
        contentType: 'application/vnd.ims.lis.v1.score+json',
        body: expect.objectContaining({ scoreGiven: 8, userId: 'user-1', timestamp: expect.any(String) }),
      },
    ]);
  });

  it('should run an independent second tool when started twice in one test file', async () => {
    const second = await startLti1p3Tool();
    try {
      const secondClientId = `client-${randomUUID()}`;
      await second.registerPlatform({
        url: platform.issuer,
        name: 'Fake platform',
        clientId: secondClientId,
        authenticationEndpoint: platform.authUrl,
        accesstokenEndpoint: platform.tokenUrl,
        jwksUrl: platform.jwksUrl,
      });
      expect(second.baseUrl).not.toBe(tool.baseUrl);
      expect(await second.publicKeyPem()).not.toBe(await tool.publicKeyPem());

      const { html } = await launchTool(second, platform, secondClientId);

      expect(html).toContain('<h1>LTI 1.3 tool launched</h1>');
      expect((await second.waitForLaunch(1)).idToken.clientId).toBe(secondClientId);
      // The first tool does not know the second's client id.
      const login = await fetch(tool.loginUrl, {
        method: 'POST',
        body: new URLSearchParams({
          iss: platform.issuer,
          login_hint: 'user-1',
          target_link_uri: tool.launchUrl,
          client_id: secondClientId,
        }),
        redirect: 'manual',
      });
      expect(login.status).toBe(400);
    } finally {
      await second.close();
    }
  });

  it('should accept a launch when Chromium carries the tool cookies through the platform form_post', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const login = new URL(tool.loginUrl);
      login.search = new URLSearchParams({
        iss: platform.issuer,
        login_hint: 'user-1',
        target_link_uri: tool.launchUrl,
        client_id: clientId,
        lti_deployment_id: DEPLOYMENT_ID,
      }).toString();
      const count = tool.launches.length;

      await page.goto(login.toString());

      await page.waitForURL((url) => url.pathname === '/launch' && url.searchParams.has('ltik'));
      expect(await page.locator('h1').textContent()).toBe('LTI 1.3 tool launched');
      expect((await tool.waitForLaunch(count + 1)).claims).toEqual(expect.objectContaining({ sub: 'user-1' }));
    } finally {
      await browser.close();
    }
  });
});
