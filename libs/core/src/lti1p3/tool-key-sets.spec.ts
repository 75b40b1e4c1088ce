import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { ToolKeyChecker } from '../catalog/tool-key-checker';
import { OutboundError, OutboundHttp, OutboundRequest, OutboundResponse } from '../shared/outbound-http';
import { MAX_CACHED_KEY_SETS, ToolKeySets, ToolKeySetUnavailable } from './tool-key-sets';

const URL_A = 'https://tool.example/jwks';
const SECOND = 1000;
const MINUTE = 60 * SECOND;

function toolKey(kid: string) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
}
const first = toolKey('first');
const second = toolKey('second');

const sign = (key: { kid: string; privateKey: KeyObject }) =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid: key.kid })
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key.privateKey);

/** A key server: what it serves (keys and Cache-Control) can change between fetches; each fetch is counted. */
class FakeKeyServer extends OutboundHttp {
  readonly requests: OutboundRequest[] = [];
  keys: unknown[] = [first.jwk];
  cacheControl: string | undefined;
  failure: OutboundError | undefined;
  /** Resolves the fetch only when released, to hold several requests in flight. */
  gate: Promise<void> | undefined;

  async fetch(request: OutboundRequest): Promise<OutboundResponse> {
    this.requests.push(request);
    await this.gate;
    if (this.failure) throw this.failure;
    const cacheControl = this.cacheControl;
    return {
      status: 200,
      header: (name) => (name === 'cache-control' ? cacheControl : undefined),
      body: Buffer.from(JSON.stringify({ keys: this.keys })),
    };
  }
}

describe('ToolKeySets', () => {
  let server: FakeKeyServer;
  let sets: ToolKeySets;
  const verify = async (key: { kid: string; privateKey: KeyObject }, url = URL_A) =>
    (await jwtVerify(await sign(key), sets.resolver(url), { algorithms: ['RS256'] })).protectedHeader.kid;
  const rejection = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: unknown) => error,
    );

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-03-01T08:00:00Z'), doNotFake: ['nextTick', 'setImmediate'] });
    server = new FakeKeyServer();
    sets = new ToolKeySets(new ToolKeyChecker(server));
  });

  afterEach(() => jest.useRealTimers());

  it('should fetch a key set once and verify every JWT with it when the kid is known', async () => {
    for (let i = 0; i < 5; i++) expect(await verify(first)).toBe('first');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ method: 'GET', url: URL_A, maxBytes: 64 * 1024 });
  });

  it.each([
    ['no Cache-Control (10 minutes)', undefined, 10 * MINUTE],
    ['max-age=120', 'max-age=120', 2 * MINUTE],
    ['max-age=5 (raised to a minute)', 'max-age=5', MINUTE],
    ['no-store (a minute)', 'no-store', MINUTE],
    ['max-age of a week (cut to 24 hours)', 'max-age=604800', 24 * 60 * MINUTE],
  ])('should keep the set as long as %s says', async (_, cacheControl, ttl) => {
    server.cacheControl = cacheControl;
    await verify(first);
    jest.advanceTimersByTime(ttl - SECOND);
    await verify(first);
    expect(server.requests).toHaveLength(1);
    jest.advanceTimersByTime(2 * SECOND);
    await verify(first);
    expect(server.requests).toHaveLength(2);
  });

  it('should fetch again for an unknown kid at most once in 30 s, and take the rotated key', async () => {
    await verify(first);
    server.keys = [first.jwk, second.jwk];
    jest.advanceTimersByTime(10 * SECOND);
    expect(await rejection(verify(second))).toBeInstanceOf(joseErrors.JWKSNoMatchingKey);
    expect(server.requests).toHaveLength(1);
    jest.advanceTimersByTime(21 * SECOND);
    expect(await verify(second)).toBe('second');
    expect(server.requests).toHaveLength(2);
    for (let i = 0; i < 5; i++) {
      expect(await rejection(verify(toolKey(`made-up-${i}`)))).toBeInstanceOf(joseErrors.JWKSNoMatchingKey);
    }
    expect(server.requests).toHaveLength(2);
  });

  it('should share one fetch between concurrent verifications when the set is not cached', async () => {
    let release!: () => void;
    server.gate = new Promise((resolve) => (release = resolve));
    const pending = Array.from({ length: 10 }, () => verify(first));
    await jest.advanceTimersByTimeAsync(0);
    release();
    expect(await Promise.all(pending)).toEqual(Array(10).fill('first'));
    expect(server.requests).toHaveLength(1);
  });

  it('should fail with the outbound reason, and fetch again only after 30 s, when the set cannot be fetched', async () => {
    server.failure = OutboundError.tooLarge(64 * 1024);
    for (let i = 0; i < 3; i++) {
      const error = await rejection(verify(first));
      expect(error).toBeInstanceOf(ToolKeySetUnavailable);
      expect((error as Error).message).toBe('the tool’s JWKS URL answered with more than 64 KiB');
    }
    expect(server.requests).toHaveLength(1);
    server.failure = undefined;
    jest.advanceTimersByTime(29 * SECOND);
    expect(await rejection(verify(first))).toBeInstanceOf(ToolKeySetUnavailable);
    jest.advanceTimersByTime(2 * SECOND);
    expect(await verify(first)).toBe('first');
    expect(server.requests).toHaveLength(2);
  });

  it('should keep the set still in date, and not retry for 30 s, when a refetch for an unknown kid fails', async () => {
    await verify(first);
    jest.advanceTimersByTime(31 * SECOND);
    server.failure = new OutboundError('unreachable');
    expect(await rejection(verify(second))).toBeInstanceOf(ToolKeySetUnavailable);
    expect(await verify(first)).toBe('first');
    expect(await rejection(verify(second))).toBeInstanceOf(ToolKeySetUnavailable);
    expect(server.requests).toHaveLength(2);
  });

  it('should refuse a key set that publishes a private key', async () => {
    server.keys = [{ ...first.jwk, d: 'secret' }];
    expect(((await rejection(verify(first))) as Error).message).toContain('publishes a private key');
  });

  it('should hold at most 500 key sets, dropping the least recently used', async () => {
    for (let i = 0; i <= MAX_CACHED_KEY_SETS; i++) await verify(first, `https://tool-${i}.example/jwks`);
    expect(server.requests).toHaveLength(MAX_CACHED_KEY_SETS + 1);
    await verify(first, `https://tool-${MAX_CACHED_KEY_SETS}.example/jwks`);
    expect(server.requests).toHaveLength(MAX_CACHED_KEY_SETS + 1);
    await verify(first, 'https://tool-0.example/jwks');
    expect(server.requests).toHaveLength(MAX_CACHED_KEY_SETS + 2);
  });
});
