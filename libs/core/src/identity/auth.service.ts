import { Injectable } from '@nestjs/common';
import type { Role } from '../access/role';
import { DomainError } from '../errors/domain-error';
import { IdentitySettings } from './identity-settings';
import { SignInThrottle } from './sign-in-throttle/sign-in-throttle';
import { UNUSABLE_PASSWORD_HASH, verifyPassword } from './password-hasher';
import { SessionKind, SessionRecord, SessionRepository } from './session.repository';
import { hashToken, newOpaqueToken } from './tokens';
import { User } from './user';
import { UserRepository } from './user.repository';

export interface IssuedSession {
  /** Shown once to the client; only its hash is stored. */
  readonly token: string;
  readonly expiresAt: Date;
  readonly expiresIn: number;
  readonly user: User;
}

export interface Authenticated {
  readonly user: User;
  readonly session: SessionRecord;
  /** The roles of the user's memberships, each once. */
  readonly roles: readonly Role[];
}

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly settings: IdentitySettings,
    private readonly throttle: SignInThrottle,
  ) {}

  /**
   * One message for every failure, so sign-in does not reveal which accounts exist or are suspended.
   * The throttle counts the attempt first and refuses it while the account or the client address
   * is locked out (`too_many_attempts`), before any password is hashed.
   */
  async signIn(
    email: string,
    password: string,
    kind: SessionKind,
    clientAddress: string | undefined,
  ): Promise<IssuedSession> {
    const normalized = email.trim().toLowerCase();
    const attempt = await this.throttle.admit(normalized, clientAddress);
    const found = await this.users.findCredentialsByEmail(normalized);
    const valid = await verifyPassword(password, found?.passwordHash ?? UNUSABLE_PASSWORD_HASH);
    if (!found || !valid || found.user.status !== 'active') {
      await this.throttle.failed(attempt);
      throw new DomainError('invalid_credentials', 'Email or password is incorrect, or the account is suspended');
    }
    await this.throttle.succeeded(attempt);
    const ttl = kind === 'api' ? this.settings.apiTokenTtlSeconds : this.settings.sessionTtlSeconds;
    const token = newOpaqueToken();
    const expiresAt = new Date(Date.now() + ttl * 1000);
    await this.sessions.create({ tokenHash: hashToken(token), userId: found.user.id, kind, expiresAt });
    return { token, expiresAt, expiresIn: ttl, user: found.user };
  }

  /** The session's user when the token is live and the user active; suspended users are locked out at once. */
  async authenticate(token: string, kind: SessionKind): Promise<Authenticated | null> {
    if (!token || token.length > 200) return null;
    const found = await this.sessions.findLive(hashToken(token), new Date());
    if (!found || found.session.kind !== kind || found.user.status !== 'active') return null;
    return found;
  }

  async signOut(token: string): Promise<void> {
    await this.sessions.revoke(hashToken(token));
  }
}
