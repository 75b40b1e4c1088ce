/** What changed about a member: their enrollment (added, removed, closed, role), account status, or a person field. */
export const MEMBERSHIP_CHANGE_KINDS = ['enrollment', 'status', 'name', 'email', 'sis_id', 'login_id'] as const;
export type MembershipChangeKind = (typeof MEMBERSHIP_CHANGE_KINDS)[number];

/** An LTI context as the change log names it: a class, or (classId null) a course's self-paced offering. */
export interface RosterContext {
  readonly courseId: string;
  readonly classId: string | null;
}

/** A person whose membership of one context changed after a roster position, and how. */
export interface ChangedMember {
  readonly userId: string;
  readonly changed: readonly MembershipChangeKind[];
}

/**
 * Port: the membership change log (written by the database itself, in the transaction of each change).
 * A roster position is opaque: the log's view at one moment. Take it before reading the roster it
 * belongs to, so a change committed meanwhile is reported again rather than lost.
 */
export abstract class MembershipChangeRepository {
  abstract currentPosition(): Promise<string>;
  /** Whether a position is one `currentPosition` can have answered (a tampered one is not). */
  abstract isPosition(value: string): boolean;
  /** Everyone whose membership of the context changed after `position`, each once. */
  abstract changedSince(context: RosterContext, position: string): Promise<ChangedMember[]>;
  /** Forgets changes made before `cutoff`; how many rows went. */
  abstract deleteOlderThan(cutoff: Date): Promise<number>;
}
