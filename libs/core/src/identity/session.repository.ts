import { User } from './user';

export type SessionKind = 'browser' | 'api';

export interface SessionRecord {
  readonly id: string;
  readonly userId: string;
  readonly kind: SessionKind;
  readonly expiresAt: Date;
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
  /** The unexpired session with this hash and its user, whatever the user's status. */
  abstract findLive(tokenHash: Buffer, now: Date): Promise<{ session: SessionRecord; user: User } | null>;
  abstract revoke(tokenHash: Buffer): Promise<void>;
  abstract revokeAllForUser(userId: string): Promise<void>;
  abstract deleteExpired(now: Date): Promise<number>;
}
