import type { TenantScope } from '../access/tenant-scope';
import type { UserIdSource } from '../catalog/lti-provider';
import type { ToolFacingPerson } from '../identity/user';
import { Page, PageRequest } from '../shared/page';
import type { RosterContext } from './membership-change.repository';
import { Enrollment, EnrollmentKind, EnrollmentRole, EnrollmentStatus } from './learning';

export interface NewEnrollment {
  readonly kind: EnrollmentKind;
  readonly courseId: string;
  readonly classId: string | null;
  readonly userId: string;
  readonly role: EnrollmentRole;
  readonly dueAt: Date | null;
}

/** An enrollment with the person's name, for rosters. */
export interface RosterEntry extends Enrollment {
  readonly userName: string;
  readonly userEmail: string;
}

/** A person's membership of one LTI context (NRPS): their latest enrollment's role and status there, and the person. */
export interface ContextMembership {
  readonly role: EnrollmentRole;
  readonly status: EnrollmentStatus;
  readonly person: ToolFacingPerson;
}

/** Whose roster: a class's, or a whole course's (its classes and its self-paced offering). */
export type RosterOf = { readonly classId: string } | { readonly courseId: string };

/**
 * Which memberships of a context to read: `limit` of the roster from `offset` on, in roster order,
 * counting only the memberships in one of `roles` of people who have the identifier `identifiedBy`
 * names (`ltiUserIdOf`: a tool knows no one else); or the memberships of the people named, any order.
 */
export type MembershipSelection =
  | {
      readonly offset: number;
      readonly limit: number;
      readonly roles: readonly EnrollmentRole[];
      readonly identifiedBy: UserIdSource;
    }
  | { readonly people: readonly string[] };

/**
 * Port: enrollments. An enrollment is in a scope when the scope covers its class's or its course's
 * organization; writes need that (`not_found` otherwise).
 */
export abstract class EnrollmentRepository {
  /** Unscoped: the signed-in learner's own enrollment (launch), or one a tool's score names. */
  abstract findById(id: string): Promise<Enrollment | null>;
  abstract findInScope(scope: TenantScope, id: string): Promise<Enrollment | null>;
  /** Throws `conflict` when the person already has a live enrollment there. */
  abstract create(scope: TenantScope, input: NewEnrollment): Promise<Enrollment>;
  abstract end(scope: TenantScope, id: string, status: Exclude<EnrollmentStatus, 'active'>): Promise<void>;
  /** Every enrollment of a class the scope covers, ended ones included (history), by name. */
  abstract classRoster(scope: TenantScope, classId: string): Promise<RosterEntry[]>;
  /**
   * One page of a roster the scope covers, ended enrollments included, in roster order: by name,
   * then by enrollment time.
   */
  abstract rosterPage(scope: TenantScope, of: RosterOf, page: PageRequest): Promise<Page<RosterEntry>>;
  /**
   * The next `limit` entries of a roster after `after` (null: from the start), in roster order: the
   * keyset batches an export streams, whatever the roster's size.
   */
  abstract rosterAfter(
    scope: TenantScope,
    of: RosterOf,
    after: RosterEntry | null,
    limit: number,
  ): Promise<RosterEntry[]>;
  /**
   * Unscoped: members of a context a tool is authorized for (NRPS). Each person once, by their
   * latest enrollment there: a live one over a removed one over a closed one (a retake closes the
   * old), then the newest. A stretch of the roster in roster order, or the memberships of given people.
   */
  abstract contextMemberships(context: RosterContext, selection: MembershipSelection): Promise<ContextMembership[]>;
  /** The signed-in person's own enrollments. */
  abstract listForUser(userId: string): Promise<Enrollment[]>;
  abstract findActiveSelfPaced(scope: TenantScope, courseId: string, userId: string): Promise<Enrollment | null>;
  abstract listSelfPaced(
    scope: TenantScope,
    query: PageRequest & { courseId?: string; userId?: string },
  ): Promise<Page<RosterEntry>>;
}
