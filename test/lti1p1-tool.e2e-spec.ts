import { createHash, createHmac } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import OAuth from 'oauth-1.0a';
import { Lti1p1Tool, signLti1p1Form, startLti1p1Tool } from './support/lti1p1-tool';

// Only unreserved characters: ims-lti 3.x does not percent-encode the secret in the signing key.
const KEY = 'tool-consumer-key';
const SECRET = 'tool-secret-0123456789._~';

const POX_NS = 'http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0';

function poxResponse(codeMajor: string, body: string, description?: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><imsx_POXEnvelopeResponse xmlns="${POX_NS}"><imsx_POXHeader>` +
    '<imsx_POXResponseHeaderInfo><imsx_version>V1.0</imsx_version><imsx_messageIdentifier>1</imsx_messageIdentifier>' +
    `<imsx_statusInfo><imsx_codeMajor>${codeMajor}</imsx_codeMajor><imsx_severity>status</imsx_severity>` +
    (description ? `<imsx_description>${description}</imsx_description>` : '') +
    '<imsx_messageRefIdentifier>ref</imsx_messageRefIdentifier></imsx_statusInfo></imsx_POXResponseHeaderInfo>' +
    `</imsx_POXHeader><imsx_POXBody>${body}</imsx_POXBody></imsx_POXEnvelopeResponse>`
  );
}

interface OutcomeRequest {
  readonly url: string;
  readonly body: string;
  readonly oauth: Record<string, string>;
  readonly bodyHashMatches: boolean;
  readonly signatureMatches: boolean;
}

/** A stand-in for the platform's outcomes endpoint that checks ims-lti's OAuth body signing independently. */
async function startFakeOutcomes(): Promise<{
  server: Server;
  url: string;
  requests: OutcomeRequest[];
  respondWith: (xml: string) => void;
}> {
  const requests: OutcomeRequest[] = [];
  let response = poxResponse('success', '<replaceResultResponse/>');
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const authorization = req.headers.authorization ?? '';
      const oauth: Record<string, string> = {};
      if (authorization.startsWith('OAuth ')) {
        for (const match of authorization.slice('OAuth '.length).matchAll(/([\w]+)="([^"]*)"/g)) {
          oauth[decodeURIComponent(match[1])] = decodeURIComponent(match[2]);
        }
      }
      const bodyHashMatches = oauth.oauth_body_hash === createHash('sha1').update(body).digest('base64');
      // Recompute the signature with oauth-1.0a: with a body hash, only oauth_* and the URL's query are signed.
      const { realm: _realm, oauth_signature: signature, ...signed } = oauth;
      const verifier = new OAuth({
        consumer: { key: KEY, secret: SECRET },
        signature_method: 'HMAC-SHA1',
        hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
      });
      const expected = verifier.getSignature(
        { url: `http://${req.headers.host}${req.url}`, method: req.method ?? 'POST' },
        undefined,
        signed as unknown as OAuth.Data,
      );
      requests.push({ url: req.url ?? '', body, oauth, bodyHashMatches, signatureMatches: expected === signature });
      res.writeHead(200, { 'Content-Type': 'application/xml' });
      res.end(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}/lti/outcomes?tenant=a%20b`,
    requests,
    respondWith: (xml) => {
      response = xml;
    },
  };
}

function launchParams(extra: Record<string, string> = {}): Record<string, string> {
  return {
    lti_message_type: 'basic-lti-launch-request',
    lti_version: 'LTI-1p0',
    resource_link_id: 'rl-1',
    user_id: 'user-42',
    roles: 'Learner',
    lis_person_name_full: 'Zoë <Tester>',
    context_id: 'course-7',
    custom_chapter: 'one two',
    ...extra,
  };
}

async function postForm(url: string, form: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

describe('LTI 1.1 test tool (ims-lti)', () => {
  let tool: Lti1p1Tool;

  beforeAll(async () => {
    tool = await startLti1p1Tool({ consumerKey: KEY, consumerSecret: SECRET });
  });

  afterAll(() => tool.close());

  it('should serve a home page', async () => {
    const response = await fetch(`${tool.baseUrl}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('LTI 1.1 test tool');
  });

  it('should accept a launch signed with oauth-1.0a, including a query parameter with a space', async () => {
    const url = `${tool.launchUrl}?x=a%20b`;
    const form = signLti1p1Form(url, launchParams(), KEY, SECRET);
    expect(form).toEqual(
      expect.objectContaining({
        oauth_consumer_key: KEY,
        oauth_signature_method: 'HMAC-SHA1',
        oauth_version: '1.0',
        oauth_nonce: expect.stringMatching(/^[0-9a-f]{32}$/),
        oauth_timestamp: expect.stringMatching(/^\d+$/),
        oauth_signature: expect.any(String),
      }),
    );
    expect(form).not.toHaveProperty('x');
    const before = tool.launches.length;

    const response = await postForm(url, form);

    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<h1>Tool launched</h1>');
    expect(html).toContain('Zoë &lt;Tester&gt;');
    const launch = await tool.waitForLaunch(before + 1);
    expect(launch).toEqual({ params: form, valid: true, error: null, url: '/launch?x=a%20b' });
  });

  it('should refuse a launch signed with the wrong secret', async () => {
    const before = tool.launches.length;
    const response = await postForm(tool.launchUrl, signLti1p1Form(tool.launchUrl, launchParams(), KEY, 'wrong'));

    expect(response.status).toBe(401);
    const html = await response.text();
    expect(html).toContain('<h1>Launch refused</h1>');
    expect(html).toContain('Invalid Signature');
    expect(await tool.waitForLaunch(before + 1)).toEqual(
      expect.objectContaining({ valid: false, error: 'Invalid Signature' }),
    );
  });

  it('should refuse a replayed nonce', async () => {
    const before = tool.launches.length;
    const form = signLti1p1Form(tool.launchUrl, launchParams(), KEY, SECRET);

    expect((await postForm(tool.launchUrl, form)).status).toBe(200);
    const replay = await postForm(tool.launchUrl, form);

    expect(replay.status).toBe(401);
    expect(tool.launches[before].valid).toBe(true);
    // ims-lti reports a replay with the same message as an expired timestamp.
    expect(tool.launches[before + 1]).toEqual(expect.objectContaining({ valid: false, error: 'Expired nonce' }));
  });

  it('should time out waiting for a launch that never comes', async () => {
    await expect(tool.waitForLaunch(tool.launches.length + 1, 50)).rejects.toThrow(/Timed out after 50 ms/);
  });

  describe('outcomes through ims-lti', () => {
    let outcomes: Awaited<ReturnType<typeof startFakeOutcomes>>;

    beforeAll(async () => {
      outcomes = await startFakeOutcomes();
    });

    afterAll(async () => {
      outcomes.server.closeAllConnections();
      await new Promise((resolve) => outcomes.server.close(resolve));
    });

    async function launchWithOutcomes() {
      const form = signLti1p1Form(
        tool.launchUrl,
        launchParams({ lis_outcome_service_url: outcomes.url, lis_result_sourcedid: 'sourced-id-1' }),
        KEY,
        SECRET,
      );
      expect((await postForm(tool.launchUrl, form)).status).toBe(200);
      return tool.launches[tool.launches.length - 1];
    }

    it('should send replaceResult signed with an oauth_body_hash', async () => {
      const launch = await launchWithOutcomes();
      outcomes.respondWith(poxResponse('success', '<replaceResultResponse/>'));
      const before = outcomes.requests.length;

      await expect(tool.sendReplaceResult(launch, 0.5)).resolves.toBe(true);

      const request = outcomes.requests[before];
      expect(request.url).toBe('/lti/outcomes?tenant=a%20b');
      expect(request.oauth).toEqual(expect.objectContaining({ oauth_consumer_key: KEY }));
      expect(request.bodyHashMatches).toBe(true);
      expect(request.signatureMatches).toBe(true);
      expect(request.body).toContain('<replaceResultRequest>');
      expect(request.body).toContain('<sourcedId>sourced-id-1</sourcedId>');
      expect(request.body).toContain('<textString>0.5</textString>');
    });

    it('should reject when the platform answers codeMajor failure', async () => {
      const launch = await launchWithOutcomes();
      outcomes.respondWith(poxResponse('failure', '<replaceResultResponse/>', 'Score out of range'));

      await expect(tool.sendReplaceResult(launch, 0.7)).rejects.toThrow('Score out of range');
    });

    it('should let ims-lti refuse a string score before sending anything', async () => {
      const launch = await launchWithOutcomes();
      const before = outcomes.requests.length;

      await expect(tool.sendReplaceResult(launch, '0.5')).rejects.toThrow(/Score must be a floating point number/);
      expect(outcomes.requests).toHaveLength(before);
    });

    it('should read the score back as a number', async () => {
      const launch = await launchWithOutcomes();
      outcomes.respondWith(
        poxResponse(
          'success',
          '<readResultResponse><result><resultScore><language>en</language><textString>0.25</textString>' +
            '</resultScore></result></readResultResponse>',
        ),
      );
      const before = outcomes.requests.length;

      await expect(tool.sendReadResult(launch)).resolves.toBe(0.25);
      expect(outcomes.requests[before].body).toContain('<readResultRequest>');
    });

    it('should reject a readResult with an empty score, as ims-lti does', async () => {
      const launch = await launchWithOutcomes();
      outcomes.respondWith(
        poxResponse(
          'success',
          '<readResultResponse><result><resultScore><language>en</language><textString/>' +
            '</resultScore></result></readResultResponse>',
        ),
      );

      await expect(tool.sendReadResult(launch)).rejects.toThrow('Invalid score response');
    });

    it('should send deleteResult', async () => {
      const launch = await launchWithOutcomes();
      outcomes.respondWith(poxResponse('success', '<deleteResultResponse/>'));
      const before = outcomes.requests.length;

      await expect(tool.sendDeleteResult(launch)).resolves.toBe(true);
      expect(outcomes.requests[before].body).toContain('<deleteResultRequest>');
    });

    it('should refuse outcomes for a launch without an outcome service or a refused launch', async () => {
      expect((await postForm(tool.launchUrl, signLti1p1Form(tool.launchUrl, launchParams(), KEY, SECRET))).status).toBe(
        200,
      );
      const plain = tool.launches[tool.launches.length - 1];
      await expect(tool.sendReplaceResult(plain, 1)).rejects.toThrow(/no lis_outcome_service_url/);

      const refused = await postForm(
        tool.launchUrl,
        signLti1p1Form(
          tool.launchUrl,
          launchParams({ lis_outcome_service_url: outcomes.url, lis_result_sourcedid: 'x' }),
          KEY,
          'wrong',
        ),
      );
      expect(refused.status).toBe(401);
      await expect(tool.sendReadResult(tool.launches[tool.launches.length - 1])).rejects.toThrow(/refused/);
    });
  });
});
