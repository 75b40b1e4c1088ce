import type { Role } from '../access/role';
import { User } from './user';

export type SessionKind = 'browser' | 'api';

export interface SessionRecord {
  readonly id: string;
  readonly userId: string;
  readonly kind: SessionKind;
  readonly expiresAt: Date;
}

export interface LiveSession {
  readonly session: SessionRecord;
  readonly user: User;
  readonly roles: readonly Role[];
  /**
   * A digest of the session, the person and their roles as read: a statement that acts for a session
   * kept per process checks it is still this (`SessionCheck`).
   */
  readonly version: string;
}

/**
 * Port: server-side sessions and API tokens. Only a SHA-256 of each token is stored, so a copy of
 * the database does not hand out live sessions.
 */
export abstract class SessionRepository {
  abstract create(input: {
    tokenHash: Buffer;
    userId: string;
    kind: SessionKind;
    expiresAt: Date;
  }): Promise<SessionRecord>;
  /**
   * The unexpired session with this hash, its user whatever the user's status, and the roles of the
   * user's memberships (each once), in one round trip: every signed-in request starts with it.
   */
  abstract findLive(tokenHash: Buffer, now: Date): Promise<LiveSession | null>;
  abstract revoke(tokenHash: Buffer): Promise<void>;
  abstract revokeAllForUser(userId: string): Promise<void>;
  abstract deleteExpired(now: Date): Promise<number>;
}
