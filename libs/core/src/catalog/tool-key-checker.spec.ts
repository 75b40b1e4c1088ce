import { generateKeyPairSync } from 'node:crypto';
import { OutboundError, OutboundHttp, OutboundRequest, OutboundResponse } from '../shared/outbound-http';
import { TOOL_KEY_SET_MAX_BYTES, ToolKeyChecker } from './tool-key-checker';

const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' });
const KEY_SET = { keys: [{ ...jwk, kid: 'k1', alg: 'RS256', use: 'sig' }] };

function answer(body: unknown, status = 200, headers: Record<string, string> = {}): OutboundResponse {
  return {
    status,
    header: (name) => headers[name],
    body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  };
}

function checkerAnswering(result: OutboundResponse | OutboundError) {
  const requests: OutboundRequest[] = [];
  const http: OutboundHttp = {
    fetch: async (request) => {
      requests.push(request);
      if (result instanceof OutboundError) throw result;
      return result;
    },
  };
  return { checker: new ToolKeyChecker(http), requests };
}

describe('ToolKeyChecker', () => {
  it('should fetch with GET through the outbound client, capped at 64 KiB and 5 s, when checking a JWKS URL', async () => {
    const { checker, requests } = checkerAnswering(answer(KEY_SET));
    expect(await checker.checkJwksUrl('https://tool.example/jwks')).toBeUndefined();
    expect(requests).toEqual([
      {
        method: 'GET',
        url: 'https://tool.example/jwks',
        headers: { accept: 'application/json' },
        maxBytes: 64 * 1024,
        timeoutMs: 5_000,
      },
    ]);
    expect(TOOL_KEY_SET_MAX_BYTES).toBe(65_536);
  });

  it.each([
    [new OutboundError('unreachable'), 'could not be fetched'],
    [new OutboundError('not-allowed'), 'is not an allowed address (private or local networks are refused)'],
    [OutboundError.tooLarge(TOOL_KEY_SET_MAX_BYTES), 'answered with more than 64 KiB'],
    [answer('not found', 404), 'answered HTTP 404'],
    [answer('<html>'), 'does not serve JSON'],
    [answer({ keys: 'none' }), 'does not serve a JWK Set ({"keys": [...]})'],
    [answer({ keys: [{ kty: 'EC' }] }), 'has no RSA signing key of at least 2048 bits'],
  ])('should give the reason when the fetch ends in %p', async (result, reason) => {
    const { checker } = checkerAnswering(result);
    expect(await checker.checkJwksUrl('https://tool.example/jwks')).toBe(reason);
  });

  it.each([
    [{ 'cache-control': 'public, max-age=300' }, 300],
    [{ 'cache-control': 's-maxage=5, max-age="60"' }, 60],
    [{ 'cache-control': 'no-store' }, 0],
    [{ 'cache-control': 'max-age=600, no-cache' }, 0],
    [{ 'cache-control': 'max-age=soon' }, undefined],
    [{}, undefined],
  ])('should read the max-age when the answer says %p', async (headers, maxAgeSeconds) => {
    const { checker } = checkerAnswering(answer(KEY_SET, 200, headers));
    expect(await checker.fetchKeySet('https://tool.example/jwks')).toEqual({
      ok: true,
      keySet: KEY_SET,
      maxAgeSeconds,
    });
  });
});
