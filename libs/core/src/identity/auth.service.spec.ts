import { DomainError } from '../errors/domain-error';
import { AuthService } from './auth.service';
import { IdentitySettings } from './identity-settings';
import { hashPassword } from './password-hasher';
import { SessionRepository } from './session.repository';
import { AdmittedSignIn, SignInThrottle } from './sign-in-throttle/sign-in-throttle';
import { User } from './user';
import { UserRepository } from './user.repository';

const at = new Date('2026-01-01T00:00:00Z');
const ann: User = Object.freeze({
  id: 'ann',
  email: 'ann@example.com',
  name: 'Ann',
  givenName: null,
  familyName: null,
  sisId: null,
  loginId: null,
  status: 'active',
  platformAdmin: false,
  organizationId: 'org',
  createdAt: at,
  updatedAt: at,
});
const attempt = { address: { key: '203.0.113.7' }, account: { key: 'ann@example.com' } } as AdmittedSignIn;
const settings: IdentitySettings = Object.freeze({ sessionTtlSeconds: 3600, apiTokenTtlSeconds: 600 });

async function setUp(refusal?: DomainError) {
  const passwordHash = await hashPassword('the right password');
  const users = {
    findCredentialsByEmail: jest.fn(async (email: string) =>
      email === ann.email ? { user: ann, passwordHash } : null,
    ),
  } as unknown as jest.Mocked<UserRepository>;
  const sessions = {
    create: jest.fn(async () => ({ id: 's', userId: ann.id, kind: 'api', expiresAt: at })),
  } as unknown as jest.Mocked<SessionRepository>;
  const throttle = {
    admit: jest.fn(async () => {
      if (refusal) throw refusal;
      return attempt;
    }),
    failed: jest.fn(async () => undefined),
    succeeded: jest.fn(async () => undefined),
  } as unknown as jest.Mocked<SignInThrottle>;
  return { auth: new AuthService(users, sessions, settings, throttle), users, sessions, throttle };
}

describe('AuthService.signIn', () => {
  it('should neither look the account up nor hash a password when the throttle refuses the attempt', async () => {
    const { auth, users, sessions, throttle } = await setUp(DomainError.tooManyAttempts('Too many attempts.', 60));
    await expect(auth.signIn(' Ann@Example.com ', 'the right password', 'api', '203.0.113.7')).rejects.toMatchObject({
      code: 'too_many_attempts',
      retryAfterSeconds: 60,
    });
    expect(throttle.admit).toHaveBeenCalledWith('ann@example.com', '203.0.113.7');
    expect(users.findCredentialsByEmail).not.toHaveBeenCalled();
    expect(sessions.create).not.toHaveBeenCalled();
  });

  it('should report a failure to the throttle and issue nothing when the password is wrong', async () => {
    const { auth, sessions, throttle } = await setUp();
    await expect(auth.signIn('ann@example.com', 'a wrong password', 'api', '203.0.113.7')).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    expect(throttle.failed).toHaveBeenCalledWith(attempt);
    expect(throttle.succeeded).not.toHaveBeenCalled();
    expect(sessions.create).not.toHaveBeenCalled();
  });

  it('should count an unknown email as a failure like a wrong password', async () => {
    const { auth, throttle } = await setUp();
    await expect(auth.signIn('nobody@example.com', 'anything', 'browser', undefined)).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    expect(throttle.admit).toHaveBeenCalledWith('nobody@example.com', undefined);
    expect(throttle.failed).toHaveBeenCalledWith(attempt);
  });

  it('should reset the throttle and issue a session when the password is right', async () => {
    const { auth, sessions, throttle } = await setUp();
    const issued = await auth.signIn('ann@example.com', 'the right password', 'api', '203.0.113.7');
    expect(issued).toEqual(expect.objectContaining({ expiresIn: 600, user: ann }));
    expect(throttle.succeeded).toHaveBeenCalledWith(attempt);
    expect(throttle.failed).not.toHaveBeenCalled();
    expect(sessions.create).toHaveBeenCalledTimes(1);
  });
});

describe('AuthService.authenticateRechecked', () => {
  const later = new Date('2026-01-01T01:00:00Z');
  const live = { session: { id: 's', userId: ann.id, kind: 'browser', expiresAt: later }, user: ann, roles: [] };

  async function withSession(found: unknown = { ...live, version: 'v1' }) {
    const set = await setUp();
    set.sessions.findLive = jest.fn(async () => found) as unknown as typeof set.sessions.findLive;
    return set;
  }

  it('should read the session and hand out no check when the process has not kept it', async () => {
    const { auth, sessions } = await withSession();
    const found = await auth.authenticateRechecked('token-1', 'browser', at);
    expect(found).toMatchObject({ user: ann });
    expect(found?.check).toBeUndefined();
    expect(sessions.findLive).toHaveBeenCalledTimes(1);
  });

  it('should take a kept session with the check its statement must make when the process read it before', async () => {
    const { auth, sessions } = await withSession();
    await auth.authenticate('token-1', 'browser');
    const found = await auth.authenticateRechecked('token-1', 'browser', at);
    expect(found?.check).toEqual({ tokenHash: expect.any(Buffer), version: 'v1' });
    expect(found?.session).toEqual(live.session);
    expect(sessions.findLive).toHaveBeenCalledTimes(1);
  });

  it('should read the session again when the kept one has expired by the clock', async () => {
    const { auth, sessions } = await withSession();
    await auth.authenticate('token-1', 'browser');
    expect(await auth.authenticateRechecked('token-1', 'browser', new Date('2026-01-01T02:00:00Z'))).toMatchObject({
      user: ann,
    });
    expect(sessions.findLive).toHaveBeenCalledTimes(2);
  });

  it('should read the session again when it was forgotten after a failed check', async () => {
    const { auth, sessions } = await withSession();
    await auth.authenticate('token-1', 'browser');
    const kept = await auth.authenticateRechecked('token-1', 'browser', at);
    auth.forget(kept!.check!);
    const fresh = await auth.authenticateRechecked('token-1', 'browser', at);
    expect(fresh?.check).toBeUndefined();
    expect(sessions.findLive).toHaveBeenCalledTimes(2);
  });

  it('should keep nothing when the session is gone and answer null', async () => {
    const { auth, sessions } = await withSession(null);
    expect(await auth.authenticate('token-1', 'browser')).toBeNull();
    expect(await auth.authenticateRechecked('token-1', 'browser', at)).toBeNull();
    expect(sessions.findLive).toHaveBeenCalledTimes(2);
  });

  it('should not answer a kept browser session for an API token', async () => {
    const { auth } = await withSession();
    await auth.authenticate('token-1', 'browser');
    expect(await auth.authenticateRechecked('token-1', 'api', at)).toBeNull();
  });
});
