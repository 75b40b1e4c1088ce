import { randomBytes } from 'node:crypto';
import { oauthBodyHash, signOAuthForm } from '@tms/lti';
import { LtiProviderRepository } from '../catalog/lti-provider.repository';
import { Lti1p1Provider, LtiProvider } from '../catalog/lti-provider';
import { lti1p1Provider } from '../testing/catalog.factories';
import { sharedSecretContext } from '../catalog/provider-support';
import { LtiSettings } from '../launch/lti-settings';
import { SecretBox } from '../security/secret-box';
import { Lti1p1RequestRefused, Lti1p1RequestVerifier } from './lti1p1-request-verifier';
import { Lti1p1Signers } from './lti1p1-signers';
import { OAuthNonceRepository } from './oauth-nonce.repository';

const OUTCOMES_URL = 'https://platform.example/lti/1p1/outcomes?tenant=acme';
const CONSUMER_KEY = 'vendor-key';
const WINDOW_SECONDS = 300;
/** Whole seconds, as OAuth timestamps are. */
const now = new Date('2026-04-01T12:00:00.000Z');
const BODY = Buffer.from('<?xml version="1.0"?><imsx_POXEnvelopeRequest/>', 'utf8');

function provider(id: string, overrides: Partial<Lti1p1Provider> = {}): Lti1p1Provider {
  return lti1p1Provider({ id, createdAt: now, updatedAt: now, ...overrides }, { consumerKey: CONSUMER_KEY });
}

/** Providers with their plain secrets; the repository hands out the sealed ones. */
function setUp(registered: ReadonlyArray<{ provider: LtiProvider; secret: string | null }>) {
  const box = new SecretBox(randomBytes(32));
  const sealed = new Map(
    registered.map(({ provider: p, secret }) => [
      p.id,
      secret === null ? null : box.seal(secret, sharedSecretContext(p.id)),
    ]),
  );
  const providers: jest.Mocked<LtiProviderRepository> = {
    findById: jest.fn(),
    findByIds: jest.fn(),
    findVisible: jest.fn(),
    findOwned: jest.fn(),
    list: jest.fn(),
    listOwned: jest.fn(),
    create: jest.fn(),
    update: jest.fn(),
    delete: jest.fn(),
    findSealedSecret: jest.fn(async (id: string) => sealed.get(id) ?? null),
    recordKeyCheck: jest.fn(),
    findByConsumerKey: jest.fn(async (key: string) =>
      registered.filter(({ provider: p }) => p.lti1p1?.consumerKey === key).map(({ provider: p }) => p),
    ),
  };
  const nonces: jest.Mocked<OAuthNonceRepository> = {
    consume: jest.fn(async (_providerId: string, _nonce: string, _expiresAt: Date) => true),
    deleteExpired: jest.fn(),
  };
  const settings: LtiSettings = {
    publicUrl: 'https://platform.example',
    instanceName: 'Example Platform',
    oauthTimestampWindowSeconds: WINDOW_SECONDS,
  };
  const verifier = new Lti1p1RequestVerifier(new Lti1p1Signers(providers, box), nonces, settings);
  return { verifier, providers, nonces };
}

/** A POX post as a tool signs it: the body is represented by its hash (OAuth Request Body Hash). */
function signedPost(
  secret: string,
  options: { body?: Buffer; hashOf?: Buffer | null; signedAt?: Date; consumerKey?: string } = {},
) {
  const body = options.body ?? BODY;
  const hashOf = options.hashOf === undefined ? body : options.hashOf;
  const params = signOAuthForm(
    OUTCOMES_URL,
    {},
    { consumerKey: options.consumerKey ?? CONSUMER_KEY, consumerSecret: secret },
    { now: options.signedAt ?? now, extra: hashOf === null ? {} : { oauth_body_hash: oauthBodyHash(hashOf) } },
  );
  return { method: 'POST', url: OUTCOMES_URL, params, body };
}

/** The refusal, for assertions on its reason and provider. */
async function refusal(promise: Promise<unknown>): Promise<Lti1p1RequestRefused> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Lti1p1RequestRefused) return error;
    throw error;
  }
  throw new Error('expected an Lti1p1RequestRefused');
}

const quiz = provider('provider-quiz');

describe('Lti1p1RequestVerifier', () => {
  it('should give the provider and consume the nonce when the signature, body hash and nonce are valid', async () => {
    const { verifier, nonces } = setUp([{ provider: quiz, secret: 'quiz-secret' }]);
    const request = signedPost('quiz-secret');

    await expect(verifier.verify(request, now)).resolves.toBe(quiz);
    expect(nonces.consume).toHaveBeenCalledTimes(1);
    expect(nonces.consume).toHaveBeenCalledWith('provider-quiz', request.params.oauth_nonce, expect.any(Date));
  });

  it('should give the provider without a body hash when the request is a form post with no body', async () => {
    const { verifier } = setUp([{ provider: quiz, secret: 'quiz-secret' }]);
    const params = signOAuthForm(
      OUTCOMES_URL,
      { lti_message_type: 'ContentItemSelection', data: 'request-1' },
      { consumerKey: CONSUMER_KEY, consumerSecret: 'quiz-secret' },
      { now },
    );

    await expect(verifier.verify({ method: 'POST', url: OUTCOMES_URL, params }, now)).resolves.toBe(quiz);
  });

  it('should give the second provider when two providers share the key and the second one signed', async () => {
    const first = provider('provider-first');
    const second = provider('provider-second');
    const { verifier, providers, nonces } = setUp([
      { provider: first, secret: 'first-secret' },
      { provider: second, secret: 'second-secret' },
    ]);

    await expect(verifier.verify(signedPost('second-secret'), now)).resolves.toBe(second);
    expect(providers.findByConsumerKey).toHaveBeenCalledWith(CONSUMER_KEY);
    expect(providers.findSealedSecret.mock.calls.map(([id]) => id)).toEqual(['provider-first', 'provider-second']);
    expect(nonces.consume).toHaveBeenCalledWith('provider-second', expect.any(String), expect.any(Date));
  });

  it('should skip a provider without a stored secret when another provider with the key signed', async () => {
    const unsealed = provider('provider-unsealed');
    const { verifier } = setUp([
      { provider: unsealed, secret: null },
      { provider: quiz, secret: 'quiz-secret' },
    ]);

    await expect(verifier.verify(signedPost('quiz-secret'), now)).resolves.toBe(quiz);
  });

  it('should refuse without consuming the nonce when the secret is wrong', async () => {
    const { verifier, nonces } = setUp([{ provider: quiz, secret: 'quiz-secret' }]);

    const error = await refusal(verifier.verify(signedPost('not-the-secret'), now));

    expect(error.reason).toBe('The OAuth signature is not valid for this consumer key');
    expect(error.provider).toBeNull();
    expect(nonces.consume).not.toHaveBeenCalled();
  });

  it('should refuse without consuming the nonce when no provider has the consumer key', async () => {
    const { verifier, nonces } = setUp([{ provider: quiz, secret: 'quiz-secret' }]);

    const error = await refusal(verifier.verify(signedPost('quiz-secret', { consumerKey: 'other-key' }), now));

    expect(error.reason).toBe('The OAuth signature is not valid for this consumer key');
    expect(nonces.consume).not.toHaveBeenCalled();
  });

  it('should refuse without consuming the nonce when a signed parameter was changed', async () => {
    const { verifier, nonces } = setUp([{ provider: quiz, secret: 'quiz-secret' }]);
    const request = signedPost('quiz-secret');

    const tampered = { ...request, url: 'https://platform.example/lti/1p1/outcomes?tenant=other' };
    const error = await refusal(verifier.verify(tampered, now));

    expect(error.reason).toBe('The OAuth signature is not valid for this consumer key');
    expect(nonces.consume).not.toHaveBeenCalled();
  });

  it.each([
    ['older than the window', -(WINDOW_SECONDS + 1)],
    ['further ahead than the window', WINDOW_SECONDS + 1],
  ])('should refuse before any repository call when the timestamp is %s', async (_what, offsetSeconds) => {
    const { verifier, providers, nonces } = setUp([{ provider: quiz, secret: 'quiz-secret' }]);
    const request = signedPost('quiz-secret', { signedAt: new Date(now.getTime() + offsetSeconds * 1000) });

    const error = await refusal(verifier.verify(request, now));

    expect(error.reason).toBe(`oauth_timestamp is more than ${WINDOW_SECONDS} seconds away from the server's clock`);
    expect(providers.findByConsumerKey).not.toHaveBeenCalled();
    expect(providers.findSealedSecret).not.toHaveBeenCalled();
    expect(nonces.consume).not.toHaveBeenCalled();
  });

  it('should accept the request when its timestamp is at the edge of the window', async () => {
    const { verifier } = setUp([{ provider: quiz, secret: 'quiz-secret' }]);
    const request = signedPost('quiz-secret', { signedAt: new Date(now.getTime() - WINDOW_SECONDS * 1000) });

    await expect(verifier.verify(request, now)).resolves.toBe(quiz);
  });

  it('should refuse before any repository call when the body hash is missing and a body is given', async () => {
    const { verifier, providers, nonces } = setUp([{ provider: quiz, secret: 'quiz-secret' }]);

    const error = await refusal(verifier.verify(signedPost('quiz-secret', { hashOf: null }), now));

    expect(error.reason).toBe('The OAuth parameter oauth_body_hash is missing');
    expect(providers.findByConsumerKey).not.toHaveBeenCalled();
    expect(nonces.consume).not.toHaveBeenCalled();
  });

  it('should refuse before any repository call when the body hash does not match the body', async () => {
    const { verifier, providers, nonces } = setUp([{ provider: quiz, secret: 'quiz-secret' }]);
    const request = signedPost('quiz-secret', { hashOf: Buffer.from('<another-body/>') });

    const error = await refusal(verifier.verify(request, now));

    expect(error.reason).toBe('oauth_body_hash does not match the body');
    expect(providers.findByConsumerKey).not.toHaveBeenCalled();
    expect(nonces.consume).not.toHaveBeenCalled();
  });

  it('should refuse when the body was replaced after signing', async () => {
    const { verifier, nonces } = setUp([{ provider: quiz, secret: 'quiz-secret' }]);
    const request = { ...signedPost('quiz-secret'), body: Buffer.from('<imsx_POXEnvelopeRequest/>') };

    const error = await refusal(verifier.verify(request, now));

    expect(error.reason).toBe('oauth_body_hash does not match the body');
    expect(nonces.consume).not.toHaveBeenCalled();
  });

  it('should refuse with the provider and without consuming the nonce when the provider is disabled', async () => {
    const disabled = provider('provider-disabled', { status: 'disabled' });
    const { verifier, nonces } = setUp([{ provider: disabled, secret: 'disabled-secret' }]);

    const error = await refusal(verifier.verify(signedPost('disabled-secret'), now));

    expect(error.reason).toMatch(/disabled/);
    expect(error.provider).toBe(disabled);
    expect(nonces.consume).not.toHaveBeenCalled();
  });

  it('should refuse with the provider when the nonce was already used', async () => {
    const { verifier, nonces } = setUp([{ provider: quiz, secret: 'quiz-secret' }]);
    nonces.consume.mockResolvedValueOnce(false);

    const error = await refusal(verifier.verify(signedPost('quiz-secret'), now));

    expect(error.reason).toBe('This oauth_nonce was already used (a replayed request)');
    expect(error.provider).toBe(quiz);
    expect(nonces.consume).toHaveBeenCalledTimes(1);
  });

  it('should refuse the second of two identical requests when the nonce store remembers the first', async () => {
    const { verifier, nonces } = setUp([{ provider: quiz, secret: 'quiz-secret' }]);
    const seen = new Set<string>();
    nonces.consume.mockImplementation(async (providerId, nonce) => {
      const key = `${providerId}|${nonce}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const request = signedPost('quiz-secret');

    await expect(verifier.verify(request, now)).resolves.toBe(quiz);
    const error = await refusal(verifier.verify(request, now));
    expect(error.reason).toMatch(/already used/);
  });

  it('should keep the nonce until now plus the window when the timestamp is in the past', async () => {
    const { verifier, nonces } = setUp([{ provider: quiz, secret: 'quiz-secret' }]);
    await verifier.verify(signedPost('quiz-secret', { signedAt: new Date(now.getTime() - 120_000) }), now);

    const [, , expiresAt] = nonces.consume.mock.calls[0];
    expect(expiresAt.toISOString()).toBe(new Date(now.getTime() + WINDOW_SECONDS * 1000).toISOString());
  });

  it('should keep the nonce until the timestamp plus the window when the timestamp is ahead of now', async () => {
    const { verifier, nonces } = setUp([{ provider: quiz, secret: 'quiz-secret' }]);
    const signedAt = new Date(now.getTime() + 120_000);
    await verifier.verify(signedPost('quiz-secret', { signedAt }), now);

    const [, , expiresAt] = nonces.consume.mock.calls[0];
    expect(expiresAt.toISOString()).toBe(new Date(signedAt.getTime() + WINDOW_SECONDS * 1000).toISOString());
  });
});
