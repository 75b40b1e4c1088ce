import { generateKeyPairSync } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { BAD_IDS, deepObject, FuzzRequest, invalidValues, ODD_STRINGS, Schema, SeededRandom } from './fuzz';
import { FuzzBatches } from './fuzz-api';
import { poxRequest, signOutcome } from './lti1p1-fixture';

/** What the tool-facing routes need to get past their first checks. */
export interface LtiWorld {
  readonly baseUrl: string;
  readonly classId: string;
  /** The platform's line item of the placement in the class. */
  readonly lineItemId: string;
  /** The learner's user id as tools know it. */
  readonly ltiUserId: string;
  readonly clientId: string;
  readonly consumer: { readonly key: string; readonly secret: string };
  /** An LTI Advantage access token with every AGS and NRPS scope. */
  readonly serviceToken: string;
  /** A real token of the wrong kind for the services (an API token). */
  readonly apiToken: string;
}

const LINE_ITEM: Record<string, Schema> = {
  label: { type: 'string', maxLength: 1000 },
  scoreMaximum: { type: 'number' },
  resourceLinkId: { type: 'string', maxLength: 255, nullable: true },
  resourceId: { type: 'string', maxLength: 255, nullable: true },
  tag: { type: 'string', maxLength: 255, nullable: true },
  startDateTime: { type: 'string', format: 'date-time', nullable: true },
  endDateTime: { type: 'string', format: 'date-time', nullable: true },
  gradesReleased: { type: 'boolean', nullable: true },
};

const SCORE: Record<string, Schema> = {
  userId: { type: 'string', maxLength: 255 },
  timestamp: { type: 'string', format: 'date-time' },
  activityProgress: { type: 'string', enum: ['Completed'] },
  gradingProgress: { type: 'string', enum: ['FullyGraded'] },
  // No scoreGiven (null or absent) clears the score (AGS 2.0 §3.4): a valid publish.
  scoreGiven: { type: 'number', minimum: 0, nullable: true },
  scoreMaximum: { type: 'number', minimum: 1 },
  comment: { type: 'string', maxLength: 10_000, nullable: true },
};

/** Values no date-time or score field takes, beyond the type-level ones. */
const BAD_SPECIFICS: Record<string, unknown[]> = {
  timestamp: ['2026-02-31T10:00:00Z', '9999-12-31T23:59:59Z', 'yesterday', 1700000000],
  startDateTime: ['not a date'],
  endDateTime: ['2026-13-01T00:00:00Z'],
  scoreMaximum: [0, -5, '10'],
  scoreGiven: [-1, '1', 1e300],
  label: ['', '   '],
  userId: [''],
};

/**
 * Requests for the LTI routes: Basic Outcomes, the token and authorization endpoints, AGS and NRPS,
 * the Deep Linking and Content-Item returns. Refused: every one is unauthenticated, or authenticated
 * with a body or parameter the protocol does not allow. Anything: signed but malformed, and odd text.
 */
export async function ltiRequests(world: LtiWorld, random: SeededRandom): Promise<FuzzBatches> {
  const batches: FuzzBatches = { refused: [], anything: [], last: [] };
  outcomes(batches, world);
  await token(batches, world);
  registration(batches);
  authorize(batches, world);
  services(batches, world);
  returns(batches);
  for (const odd of ODD_STRINGS) {
    const score = { ...validScore(world), comment: odd };
    batches.anything.push(ags('score comment odd', 'POST', scoresPath(world), world.serviceToken, score));
    batches.anything.push(
      ags('line item label odd', 'POST', lineItemsPath(world), world.serviceToken, { label: odd, scoreMaximum: 1 }),
    );
  }
  for (let i = 0; i < 20; i++) {
    batches.anything.push(ags('random score', 'POST', scoresPath(world), world.serviceToken, random.json(3)));
  }
  return batches;
}

function outcomes(batches: FuzzBatches, world: LtiWorld): void {
  const url = `${world.baseUrl}/lti/1p1/outcomes`;
  const pox = poxRequest({ operation: 'replaceResult', sourcedId: 'not-issued', score: '0.5' }).xml;
  const key = world.consumer.key;
  const authorizations = [
    null,
    'OAuth',
    'Bearer x',
    `OAuth oauth_consumer_key="${key}"`,
    'OAuth oauth_consumer_key="%ZZ", oauth_signature="%"',
    `OAuth ${'a="b",'.repeat(3000)}`,
    signOutcome({ url, body: pox, key, secret: 'not-the-secret' }).authorization,
    signOutcome({ url, body: pox, key, secret: world.consumer.secret, timestamp: 1 }).authorization,
    signOutcome({ url, body: 'another body', key, secret: world.consumer.secret }).authorization,
  ];
  const bodies: Array<[string, string]> = [
    ['application/xml', pox],
    ['application/xml', ''],
    ['text/xml', 'not xml at all'],
    ['application/xml', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'],
    ['application/xml', '<a>'.repeat(20_000)],
    ['application/xml', 'x'.repeat(70_000)],
    ['application/json', JSON.stringify(deepObject(2000))],
    ['text/plain', pox],
  ];
  for (const authorization of authorizations) {
    for (const [type, body] of bodies) {
      const headers: Record<string, string> = { 'content-type': type };
      if (authorization) headers.authorization = authorization;
      batches.refused.push({
        label: `outcomes ${type} as ${authorization?.slice(0, 30)}`,
        method: 'POST',
        path: '/lti/1p1/outcomes',
        headers,
        body,
      });
    }
  }
  // Signed by the tool: past authentication (each consumes its nonce), then the XML is refused.
  for (const [type, body] of bodies.filter(([, body]) => body.length < 60_000)) {
    const signed = signOutcome({ url, body, key, secret: world.consumer.secret });
    const headers = { 'content-type': type, authorization: signed.authorization };
    batches.anything.push({
      label: `signed outcomes ${type}`,
      method: 'POST',
      path: '/lti/1p1/outcomes',
      headers,
      body,
    });
  }
}

async function token(batches: FuzzBatches, world: LtiWorld): Promise<void> {
  const aud = `${world.baseUrl}/lti/1p3/token`;
  const claims = { iss: world.clientId, sub: world.clientId, aud, jti: 'fuzz' };
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const forged = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuedAt()
    .setExpirationTime('1m')
    .sign(stranger);
  const unsigned = new UnsecuredJWT(claims).setIssuedAt().setExpirationTime('1m').encode();
  const grant =
    'grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer';
  const forms = [
    '',
    'grant_type=password&username=a&password=b',
    grant,
    `${grant}&client_assertion=a.b.c&scope=x`,
    `${grant}&client_assertion=${'a'.repeat(100_000)}`,
    `${grant}&client_assertion=${forged}&scope=x`,
    `${grant}&client_assertion=${unsigned}&scope=x`,
    `${grant}&client_assertion=${forged}&client_assertion=${forged}`,
    `${grant}&grant_type=client_credentials&client_assertion=${forged}`,
    `grant_type=client_credentials&client_assertion_type=x&client_assertion=${forged}`,
    '%ZZ=%ZZ',
  ];
  for (const form of forms) {
    batches.refused.push({
      label: `token form ${form.slice(0, 40)}`,
      method: 'POST',
      path: '/lti/1p3/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
  }
  for (const body of [{ grant_type: {} }, [], { client_assertion: ['a'] }, deepObject(2000), { grant_type: null }]) {
    batches.refused.push({
      label: 'token JSON',
      method: 'POST',
      path: '/lti/1p3/token',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }
  batches.refused.push({
    label: 'token text',
    method: 'POST',
    path: '/lti/1p3/token',
    headers: { 'content-type': 'text/plain' },
    body: grant,
  });
  batches.refused.push({ label: 'token GET', method: 'GET', path: '/lti/1p3/token' });
}

/** The Dynamic Registration endpoint: no token, a made-up token, odd bodies; each a 4xx (RFC 7591 / RFC 6750). */
function registration(batches: FuzzBatches): void {
  const bearers = [undefined, 'Bearer x', 'Bearer ' + 'a'.repeat(5000), 'Basic abc', 'Bearer'];
  const bodies = ['{}', '[]', 'null', JSON.stringify(deepObject(2000)), '{"redirect_uris":{}}', '%ZZ'];
  for (const authorization of bearers) {
    for (const body of bodies) {
      batches.refused.push({
        label: `registration ${authorization?.slice(0, 12) ?? 'anonymous'} ${body.slice(0, 20)}`,
        method: 'POST',
        path: '/lti/1p3/registrations',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body,
      });
    }
  }
  batches.refused.push({ label: 'registration GET', method: 'GET', path: '/lti/1p3/registrations' });
}

function authorize(batches: FuzzBatches, world: LtiWorld): void {
  const redirect = encodeURIComponent('http://127.0.0.1:9/launch');
  const queries = [
    '',
    'client_id=unknown',
    `client_id=${world.clientId}&redirect_uri=https%3A%2F%2Fevil.example`,
    `client_id=${world.clientId}&redirect_uri=${redirect}&state=s&nonce=n&scope=openid&response_type=id_token&response_mode=form_post&prompt=none&login_hint=x&lti_message_hint=y`,
    `client_id=${world.clientId}&redirect_uri=${redirect}&login_hint=${'x'.repeat(5000)}&lti_message_hint=%ZZ`,
    `client_id=${world.clientId}&client_id=other&redirect_uri=${redirect}`,
    `client_id=${world.clientId}&redirect_uri=${redirect}&state=${encodeURIComponent(ODD_STRINGS.join('').toWellFormed())}`,
  ];
  for (const query of queries) {
    batches.refused.push({
      label: `authorize GET ${query.slice(0, 40)}`,
      method: 'GET',
      path: `/lti/1p3/authorize?${query}`,
    });
    batches.refused.push({
      label: `authorize POST ${query.slice(0, 40)}`,
      method: 'POST',
      path: '/lti/1p3/authorize',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: query,
    });
  }
  batches.refused.push({
    label: 'authorize JSON',
    method: 'POST',
    path: '/lti/1p3/authorize',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: {}, redirect_uri: [], nested: deepObject(20) }),
  });
}

const lineItemsPath = (world: LtiWorld, context = world.classId) => `/lti/1p3/ags/contexts/${context}/lineitems`;
const scoresPath = (world: LtiWorld) => `${lineItemsPath(world)}/${world.lineItemId}/scores`;

const validScore = (world: LtiWorld) => ({
  userId: world.ltiUserId,
  timestamp: new Date().toISOString(),
  activityProgress: 'Completed',
  gradingProgress: 'FullyGraded',
  scoreGiven: 1,
  scoreMaximum: 1,
});

function ags(
  label: string,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
  type?: string,
): FuzzRequest {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body === undefined) return { label, method, path, headers };
  const mediaType =
    type ??
    (path.endsWith('/scores') ? 'application/vnd.ims.lis.v1.score+json' : 'application/vnd.ims.lis.v2.lineitem+json');
  return {
    label,
    method,
    path,
    headers: { ...headers, 'content-type': mediaType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

function services(batches: FuzzBatches, world: LtiWorld): void {
  const item = `${lineItemsPath(world)}/${world.lineItemId}`;
  const nrps = `/lti/1p3/nrps/contexts/${world.classId}/memberships`;
  const routes: Array<[string, string, unknown]> = [
    ['GET', lineItemsPath(world), undefined],
    ['POST', lineItemsPath(world), { label: 'L', scoreMaximum: 1 }],
    ['GET', item, undefined],
    ['PUT', item, { label: 'L', scoreMaximum: 1 }],
    ['DELETE', item, undefined],
    ['POST', `${item}/scores`, validScore(world)],
    ['GET', `${item}/results`, undefined],
    ['GET', nrps, undefined],
  ];
  for (const [method, path, body] of routes) {
    for (const token of [null, 'not-a-token', 'a'.repeat(5000), world.apiToken]) {
      batches.refused.push(ags(`${method} ${path} as a stranger`, method, path, token, body));
    }
    for (const bad of BAD_IDS) {
      const at = path.replace(world.classId, bad);
      batches.refused.push(ags(`${method} context ${bad.slice(0, 20)}`, method, at, world.serviceToken, body));
      if (path.includes(world.lineItemId)) {
        batches.refused.push(
          ags(
            `${method} line item ${bad.slice(0, 20)}`,
            method,
            path.replace(world.lineItemId, bad),
            world.serviceToken,
            body,
          ),
        );
      }
    }
    if (method === 'GET') {
      for (const query of [
        'limit=abc',
        'limit=0',
        'limit=100000',
        'page=-1',
        'limit=1&limit=2',
        'role=x&role=y',
        'user_id=a&user_id=b',
        'rlid=a&rlid=b',
      ]) {
        batches.refused.push(ags(`${method} ${path}?${query}`, method, `${path}?${query}`, world.serviceToken));
      }
    }
    if (body === undefined) continue;
    // The platform's own line item cannot be deleted, so DELETE above is refused as well.
    for (const type of ['application/json', 'text/plain', 'application/xml']) {
      batches.refused.push(ags(`${method} ${path} as ${type}`, method, path, world.serviceToken, body, type));
    }
    for (const raw of ['{"label":', '[]', '"x"', 'null', JSON.stringify(deepObject(2000)), '']) {
      batches.refused.push(ags(`${method} ${path} body ${raw.slice(0, 20)}`, method, path, world.serviceToken, raw));
    }
    const schema = path.endsWith('/scores') ? SCORE : LINE_ITEM;
    for (const [field, fieldSchema] of Object.entries(schema)) {
      for (const value of [...invalidValues(fieldSchema), ...(BAD_SPECIFICS[field] ?? [])]) {
        const label = `${method} ${path.split('/').pop()} ${field}=${JSON.stringify(value)?.slice(0, 30)}`;
        batches.refused.push(ags(label, method, path, world.serviceToken, { ...(body as object), [field]: value }));
      }
    }
  }
  // NRPS differences links are ours alone (HMAC tokens): anything else is refused.
  for (const query of ['since=forged', 'since=a.b', 'since=a&since=b', 'anchor=x', 'since=&anchor=']) {
    batches.refused.push(ags(`GET ${nrps}?${query}`, 'GET', `${nrps}?${query}`, world.serviceToken));
  }
  // Notice handlers (LTI PNS): a token without the noticehandlers scope, or none, reaches nothing.
  const handlers = '/lti/1p3/pns/notice-handlers';
  const registration = { notice_type: 'LtiHelloWorldNotice', handler: 'https://tool.example/notices' };
  for (const token of [null, 'not-a-token', world.apiToken, world.serviceToken]) {
    batches.refused.push(ags(`GET ${handlers}`, 'GET', handlers, token));
    batches.refused.push(ags(`PUT ${handlers}`, 'PUT', handlers, token, registration, 'application/json'));
  }
}

function returns(batches: FuzzBatches): void {
  const unsigned = new UnsecuredJWT({ iss: 'x', aud: 'y' }).encode();
  const forms = [
    '',
    'JWT=',
    'JWT=a.b.c',
    `JWT=${'a'.repeat(100_000)}`,
    `JWT=${unsigned}`,
    `JWT=${unsigned}&JWT=${unsigned}`,
    '%ZZ',
  ];
  const contentItemForms = [
    '',
    'lti_message_type=ContentItemSelection&content_items=%7B%7D',
    'oauth_consumer_key=x&oauth_signature=y&data=z',
  ];
  for (const [path, bodies] of [
    ['/lti/1p3/deep-linking/return', forms],
    ['/lti/1p1/content-items/return', contentItemForms],
  ] as const) {
    for (const body of bodies) {
      batches.refused.push({
        label: `${path} ${body.slice(0, 30)}`,
        method: 'POST',
        path,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
    }
    for (const json of [{ JWT: {} }, { JWT: ['a'] }, deepObject(2000), []]) {
      batches.refused.push({
        label: `${path} JSON`,
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(json),
      });
    }
  }
}
