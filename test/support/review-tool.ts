import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify, JWTPayload } from 'jose';

/**
 * The receiving end of an LtiSubmissionReviewRequest for the e2e tests. ltijs 5.9 accepts only
 * LtiResourceLinkRequest and LtiDeepLinkingRequest (its Auth refuses any other message_type with
 * NO_MESSAGE_TYPE_CLAIM), so a line item's `submissionReview.url` points here instead: ltijs still
 * runs the OIDC login (its login URL is the provider's), and the platform posts the id_token to this
 * URL, one of the provider's registered redirect URIs. The id_token is verified with jose against
 * the platform's JWKS: signature (RS256), `iss`, `aud`, `exp`. The nonce is ltijs' (which keeps
 * none to compare with), so it is only required to be present.
 */
export interface ReviewToolLaunch {
  readonly claims: JWTPayload & Record<string, unknown>;
  /** jose's error when the id_token did not verify; null when it did. */
  readonly error: string | null;
}

export interface ReviewTool {
  readonly url: string;
  readonly launches: ReviewToolLaunch[];
  /** The platform's issuer and the client id the id_token must be for. */
  trust(platform: { readonly issuer: string; readonly clientId: string }): void;
  waitForLaunch(count?: number, timeoutMs?: number): Promise<ReviewToolLaunch>;
  close(): Promise<void>;
}

export async function startReviewTool(): Promise<ReviewTool> {
  const launches: ReviewToolLaunch[] = [];
  let platform: { issuer: string; clientId: string } | null = null;
  let jwks: ReturnType<typeof createRemoteJWKSet> | null = null;

  const verify = async (idToken: string): Promise<ReviewToolLaunch> => {
    if (!platform || !jwks) return { claims: {}, error: 'no platform is trusted' };
    try {
      const { payload } = await jwtVerify(idToken, jwks, {
        issuer: platform.issuer,
        audience: platform.clientId,
        algorithms: ['RS256'],
      });
      if (typeof payload.nonce !== 'string' || payload.nonce === '') {
        return { claims: payload as ReviewToolLaunch['claims'], error: 'no nonce' };
      }
      return { claims: payload as ReviewToolLaunch['claims'], error: null };
    } catch (error) {
      return { claims: {}, error: error instanceof Error ? error.message : String(error) };
    }
  };

  const server: Server = createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST' }).end();
      return;
    }
    readForm(req)
      .then(async (form) => {
        const launch = await verify(form.get('id_token') ?? '');
        launches.push(launch);
        const heading = launch.error ? 'Review refused' : 'Review tool received the submission review';
        res.writeHead(launch.error ? 401 : 200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(`<!doctype html><html><body><h1>${heading}</h1></body></html>`);
      })
      .catch(() => res.writeHead(400).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/review`;

  return {
    url,
    launches,
    trust(trusted) {
      platform = trusted;
      jwks = createRemoteJWKSet(new URL(`${trusted.issuer}/.well-known/jwks.json`));
    },
    async waitForLaunch(count = 1, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (launches.length < count) {
        if (Date.now() > deadline) throw new Error(`No review launch #${count} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return launches[count - 1];
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}
