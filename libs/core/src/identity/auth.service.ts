import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { SessionCheck } from '../access/principal';
import type { Role } from '../access/role';
import { DomainError } from '../errors/domain-error';
import { IdentitySettings } from './identity-settings';
import { SignInThrottle } from './sign-in-throttle/sign-in-throttle';
import { UNUSABLE_PASSWORD_HASH, verifyPassword } from './password-hasher';
import { LiveSession, SessionKind, SessionRecord, SessionRepository } from './session.repository';
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

/** Sessions this process read recently; a person launching keeps one for hours. */
const MAX_KEPT_SESSIONS = 10_000;

@Injectable()
export class AuthService {
  /** By the token's hash in hex; entries are only ever trusted with a check in the statement that acts. */
  private readonly kept = new LRUCache<string, LiveSession>({ max: MAX_KEPT_SESSIONS });

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
    const tokenHash = hashToken(token);
    const found = await this.sessions.findLive(tokenHash, new Date());
    if (found) this.kept.set(tokenHash.toString('hex'), found);
    else this.kept.delete(tokenHash.toString('hex'));
    return found && isUsable(found, kind) ? found : null;
  }

  /**
   * Like {@link authenticate}, but a session this process read before is taken from its cache, with
   * the check (`check`) the route's own statement must make: still live, and the person and their
   * roles unchanged (another process may have signed it out or suspended the person). A statement that
   * finds it changed throws `KeptSessionChanged`; the caller then decides on {@link authenticate}.
   */
  async authenticateRechecked(
    token: string,
    kind: SessionKind,
    now = new Date(),
  ): Promise<(Authenticated & { readonly check?: SessionCheck }) | null> {
    if (!token || token.length > 200) return null;
    const tokenHash = hashToken(token);
    const known = this.kept.get(tokenHash.toString('hex'));
    if (known && known.session.expiresAt > now && isUsable(known, kind)) {
      return { ...known, check: { tokenHash, version: known.version } };
    }
    return this.authenticate(token, kind);
  }

  /** Drops a session from this process's cache: its check failed, the next request reads it again. */
  forget(session: SessionCheck): void {
    this.kept.delete(session.tokenHash.toString('hex'));
  }

  async signOut(token: string): Promise<void> {
    const tokenHash = hashToken(token);
    this.kept.delete(tokenHash.toString('hex'));
    await this.sessions.revoke(tokenHash);
  }
}

/** Suspended users are locked out at once; a browser session is no API token and the other way round. */
function isUsable(found: LiveSession, kind: SessionKind): boolean {
  return found.session.kind === kind && found.user.status === 'active';
}
