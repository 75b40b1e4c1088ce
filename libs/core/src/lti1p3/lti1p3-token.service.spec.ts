import { Logger } from '@nestjs/common';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { AGS_SCOPES, JWT_BEARER_ASSERTION_TYPE, NRPS_SCOPES } from '@tms/lti';
import { LtiProvider } from '../catalog/lti-provider';
import { PlatformUrls } from '../launch/platform-urls';
import { lti1p1Provider, lti1p3Provider } from '../testing/catalog.factories';
import {
  accessTokenHash,
  ACCESS_TOKEN_LIFETIME_SECONDS,
  Lti1p3TokenService,
  TokenRequestRefused,
} from './lti1p3-token.service';
import { Lti1p3Clients } from './lti1p3-clients';
import { ProvidersByClientId, versioned } from '../testing/lti1p3-clients.factories';
import { TokenGrant, TokenGrantOutcome, TokenGrantRepository } from './token-grant.repository';
import { ToolKeySets } from './tool-key-sets';
import { ToolKeys } from './tool-keys';

const TOKEN_URL = 'https://platform.example/lti/1p3/token';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const tool = lti1p3Provider(
  { id: 'provider-1' },
  {
    clientId: 'client-1',
    jwksUrl: null,
    publicKeyPem: String(publicKey.export({ type: 'spki', format: 'pem' })),
    services: ['grades'],
  },
);

/** A client assertion as RFC 7523 §3 and LTI Security 1.0 §4.1.1 write it. */
async function assertion(options: { audience?: string; key?: typeof privateKey } = {}): Promise<string> {
  return new SignJWT({ jti: 'jti-1' })
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer('client-1')
    .setSubject('client-1')
    .setAudience(options.audience ?? TOKEN_URL)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(options.key ?? privateKey);
}

function request(clientAssertion: string, scope = `${AGS_SCOPES.score} ${NRPS_SCOPES.contextMembershipReadOnly}`) {
  return {
    grant_type: 'client_credentials',
    client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
    client_assertion: clientAssertion,
    scope,
  };
}

function setUp(found: LtiProvider | null = tool) {
  const providers: jest.Mocked<ProvidersByClientId> = {
    findByClientId: jest.fn(async (_clientId: string) => found),
  };
  /** What the grant's statement decides next, in turn; then `granted`. */
  const outcomes: TokenGrantOutcome[] = [];
  /** The grants that stored a token: granted, with a scope. */
  const stored: TokenGrant[] = [];
  const grants: jest.Mocked<TokenGrantRepository> = {
    grant: jest.fn(async (grant: TokenGrant): Promise<TokenGrantOutcome> => {
      const outcome = outcomes.shift() ?? 'granted';
      if (outcome === 'granted' && grant.scopes.length > 0) stored.push(grant);
      return outcome;
    }),
  };
  const urls = new PlatformUrls({
    publicUrl: 'https://platform.example',
    instanceName: 'P',
    oauthTimestampWindowSeconds: 300,
  });
  const service = new Lti1p3TokenService(
    new Lti1p3Clients(versioned(providers)),
    new ToolKeys({} as ToolKeySets),
    grants,
    urls,
  );
  return { service, providers, grants, outcomes, stored };
}

/** The refusal, and that no token was stored. */
async function expectRefused(
  mocks: ReturnType<typeof setUp>,
  params: Record<string, unknown>,
  oauthError: string,
  description: RegExp,
) {
  const refused = await mocks.service.issue(params).catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(TokenRequestRefused);
  expect(refused).toMatchObject({ oauthError, message: expect.stringMatching(description) });
  expect(mocks.stored).toEqual([]);
}

beforeEach(() => {
  jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('Lti1p3TokenService.issue', () => {
  it('should store only the hash of a new token granting what was asked and allowed when the assertion is valid', async () => {
    const mocks = setUp();
    const now = new Date();

    const issued = await mocks.service.issue(request(await assertion()), now);

    expect(issued).toEqual({
      access_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
      scope: AGS_SCOPES.score,
    });
    expect(mocks.grants.grant).toHaveBeenCalledWith({
      client: tool,
      jti: 'jti-1',
      jtiExpiresAt: expect.any(Date),
      tokenHash: accessTokenHash(issued.access_token),
      scopes: [AGS_SCOPES.score],
      expiresAt: new Date(now.getTime() + ACCESS_TOKEN_LIFETIME_SECONDS * 1000),
    });
    expect(JSON.stringify(mocks.grants.grant.mock.calls)).not.toContain(issued.access_token);
  });

  it('should refuse with the form’s own error before looking for a client when the grant type is not client credentials', async () => {
    const mocks = setUp();
    await expectRefused(
      mocks,
      { ...request('x'), grant_type: 'password' },
      'unsupported_grant_type',
      /client_credentials/,
    );
    expect(mocks.providers.findByClientId).not.toHaveBeenCalled();
  });

  it('should refuse as invalid_client when the assertion names no LTI 1.3 tool', async () => {
    await expectRefused(setUp(null), request(await assertion()), 'invalid_client', /no registered LTI 1.3 tool/);
    await expectRefused(setUp(lti1p1Provider()), request(await assertion()), 'invalid_client', /no registered/);
  });

  it('should refuse as invalid_client when the tool is disabled', async () => {
    await expectRefused(
      setUp(lti1p3Provider({ status: 'disabled' })),
      request(await assertion()),
      'invalid_client',
      /no registered/,
    );
  });

  it('should refuse and consume no jti when the assertion is signed with another key', async () => {
    const mocks = setUp();
    await expectRefused(mocks, request(await assertion({ key: otherKey })), 'invalid_client', /signature/);
    expect(mocks.grants.grant).not.toHaveBeenCalled();
  });

  it('should refuse and consume no jti when the assertion is for another audience', async () => {
    const mocks = setUp();
    await expectRefused(
      mocks,
      request(await assertion({ audience: 'https://elsewhere.example/token' })),
      'invalid_client',
      /aud/,
    );
    expect(mocks.grants.grant).not.toHaveBeenCalled();
  });

  it('should refuse when the jti was already used (a replayed assertion)', async () => {
    const mocks = setUp();
    mocks.outcomes.push('jti_used');
    await expectRefused(mocks, request(await assertion()), 'invalid_client', /already used/);
  });

  it('should refuse as invalid_scope when none of the scopes asked is allowed for the tool', async () => {
    await expectRefused(
      setUp(),
      request(await assertion(), NRPS_SCOPES.contextMembershipReadOnly),
      'invalid_scope',
      /None/,
    );
  });
});

describe('Lti1p3TokenService.issue with the tool this process keeps', () => {
  const rotated = lti1p3Provider(
    { id: 'provider-1' },
    {
      clientId: 'client-1',
      jwksUrl: null,
      publicKeyPem: String(createPublicKey(otherKey).export({ type: 'spki', format: 'pem' })),
      services: ['grades'],
    },
  );

  /** A service that issued a token, so keeps the tool; its mocks' calls so far forgotten. */
  async function keptTool() {
    const mocks = setUp();
    await mocks.service.issue(request(await assertion()));
    mocks.providers.findByClientId.mockClear();
    mocks.grants.grant.mockClear();
    mocks.stored.length = 0;
    return mocks;
  }

  it('should read the tool once when it issues tokens to it again', async () => {
    const mocks = await keptTool();
    await mocks.service.issue(request(await assertion()));
    expect(mocks.providers.findByClientId).not.toHaveBeenCalled();
    expect(mocks.grants.grant).toHaveBeenCalledTimes(1);
  });

  it('should read the tool again and issue on it when the grant finds the kept one changed', async () => {
    const mocks = await keptTool();
    mocks.outcomes.push('client_changed');
    const issued = await mocks.service.issue(request(await assertion()));
    expect(issued.scope).toBe(AGS_SCOPES.score);
    expect(mocks.providers.findByClientId).toHaveBeenCalledTimes(1);
    expect(mocks.grants.grant).toHaveBeenCalledTimes(2);
  });

  it('should refuse as invalid_client when the tool read again is not current either', async () => {
    const mocks = setUp();
    mocks.outcomes.push('client_changed', 'client_changed');
    await expectRefused(mocks, request(await assertion()), 'invalid_client', /no registered LTI 1.3 tool/);
  });

  it('should refuse an assertion of the old key when the tool’s key changed after it was kept', async () => {
    const mocks = await keptTool();
    mocks.providers.findByClientId.mockResolvedValue(rotated);
    // The kept key still verifies the old assertion; the grant's statement sees the new key.
    mocks.outcomes.push('client_changed');
    await expectRefused(mocks, request(await assertion()), 'invalid_client', /signature/);
    expect(mocks.grants.grant).toHaveBeenCalledTimes(1);
  });

  it('should accept an assertion of the new key when the tool’s key changed after it was kept', async () => {
    const mocks = await keptTool();
    mocks.providers.findByClientId.mockResolvedValue(rotated);
    const issued = await mocks.service.issue(request(await assertion({ key: otherKey })));
    expect(issued.scope).toBe(AGS_SCOPES.score);
    expect(mocks.grants.grant).toHaveBeenLastCalledWith(expect.objectContaining({ client: rotated }));
  });

  it('should read the tool again when it was disabled and refuse, keeping nothing of it', async () => {
    const mocks = await keptTool();
    mocks.providers.findByClientId.mockResolvedValue(lti1p3Provider({ id: 'provider-1', status: 'disabled' }));
    mocks.outcomes.push('client_changed');
    await expectRefused(mocks, request(await assertion()), 'invalid_client', /no registered/);
    await expectRefused(mocks, request(await assertion()), 'invalid_client', /no registered/);
    expect(mocks.providers.findByClientId).toHaveBeenCalledTimes(2);
  });
});
