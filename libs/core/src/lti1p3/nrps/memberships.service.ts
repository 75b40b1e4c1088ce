import { Injectable } from '@nestjs/common';
import { LIS_ROLES } from '@tms/lti';
import { LtiProvider } from '../../catalog/lti-provider';
import { DomainError } from '../../errors/domain-error';
import { ToolFacingPerson, User } from '../../identity/user';
import { UserRepository } from '../../identity/user.repository';
import { launchIdentity } from '../../launch/launch-identity';
import { ENROLLMENT_ROLES, EnrollmentRole } from '../../learning/learning';
import { LtiContext } from '../../learning/lti-context';
import { ContextMembership, EnrollmentRepository } from '../../learning/enrollment.repository';
import { MembershipChangeRepository, RosterContext } from '../../learning/membership-change.repository';
import { ServiceContexts } from '../service-contexts';
import { DifferencesTokens } from './differences-tokens';
import { isVisibleChange } from './visible-changes';

export const NRPS_DEFAULT_LIMIT = 100;
export const NRPS_MAX_LIMIT = 1000;

/** One member as NRPS 2.0 §2.2 describes it; person fields only as the tool's privacy setting allows. */
export interface ContextMember {
  readonly status: 'Active' | 'Inactive' | 'Deleted';
  readonly user_id: string;
  readonly roles: readonly string[];
  readonly name?: string;
  readonly given_name?: string;
  readonly family_name?: string;
  readonly email?: string;
  readonly lis_person_sourcedid?: string;
}

export interface MembershipQuery {
  readonly role?: string;
  readonly rlid?: string;
  readonly limit?: number;
  readonly offset?: number;
  /** A differences link's token: only the members whose membership changed since it was given. */
  readonly since?: string;
  /** The differences token of this answer's first page, carried by its `next` links. */
  readonly anchor?: string;
}

export interface MembershipPage {
  readonly context: LtiContext;
  readonly members: readonly ContextMember[];
  /** Offset of the next page, when there is one. */
  readonly next: number | null;
  /** The token of this answer's `rel="differences"` link (NRPS 2.0 §2.4.1). */
  readonly differences: string;
  /** What was answered: the differences asked for, or the whole roster (asked for, or for a link past the window). */
  readonly answered: 'roster' | 'differences' | 'roster_for_expired_differences';
}

/**
 * Names and Role Provisioning (NRPS 2.0) for one LTI context: a class, or a course's self-paced
 * offering. A tool sees only contexts where one of its links is placed. Members carry the same
 * `user_id` as the launches' `sub`; removed learners are `Deleted`, suspended people and closed
 * enrollments `Inactive`. Every answer names a differences link: the members changed since it
 * (the membership change log), while the link is younger than the log's window.
 */
@Injectable()
export class MembershipsService {
  constructor(
    private readonly contexts: ServiceContexts,
    private readonly enrollments: EnrollmentRepository,
    private readonly users: UserRepository,
    private readonly changes: MembershipChangeRepository,
    private readonly tokens: DifferencesTokens,
  ) {}

  async list(provider: LtiProvider, contextId: string, query: MembershipQuery): Promise<MembershipPage> {
    const { course, courseClass, context, placements } = await this.contexts.resolve(provider, contextId);
    if (query.rlid && !placements.some((placement) => placement.resourceLinkId === query.rlid)) {
      throw DomainError.notFound('Resource link');
    }
    const since = query.since === undefined ? undefined : this.mark(provider, context.id, query.since, 'since');
    if (query.anchor !== undefined) this.mark(provider, context.id, query.anchor, 'anchor');
    const now = new Date();
    // The position is taken before the roster is read: a change committed in between is reported again, never lost.
    const differences =
      query.anchor ??
      this.tokens.sign({
        providerId: provider.id,
        contextId: context.id,
        position: await this.changes.currentPosition(),
        issuedAt: now,
      });
    const rosterContext = { courseId: course.id, classId: courseClass?.id ?? null };
    const expired = since !== undefined && this.tokens.isExpired(since, now);
    const limit = Math.min(Math.max(query.limit ?? NRPS_DEFAULT_LIMIT, 1), NRPS_MAX_LIMIT);
    const offset = Math.max(query.offset ?? 0, 0);
    // One member past the page says whether there is a next one.
    const members =
      since && !expired
        ? (await this.changedMembers(provider, rosterContext, since.position, query.role)).slice(offset)
        : await this.roster(provider, rosterContext, { role: query.role, offset, limit: limit + 1 });
    return {
      context,
      members: members.slice(0, limit),
      next: members.length > limit ? offset + limit : null,
      differences,
      answered: since === undefined ? 'roster' : expired ? 'roster_for_expired_differences' : 'differences',
    };
  }

  /** A token we gave this tool for this context, or a refusal naming the parameter. */
  private mark(provider: LtiProvider, contextId: string, token: string, field: 'since' | 'anchor') {
    const mark = this.tokens.verify(token, provider.id, contextId);
    if (!mark || !this.changes.isPosition(mark.position)) {
      throw DomainError.invalidField(field, `${field} is not a link this platform gave for this context`);
    }
    return mark;
  }

  /** The roster's members from `offset` on, `limit` of them when there are as many, in roster order. */
  private async roster(
    provider: LtiProvider,
    context: RosterContext,
    query: { role: string | undefined; offset: number; limit: number },
  ): Promise<ContextMember[]> {
    const roles = ENROLLMENT_ROLES.filter((enrollmentRole) => hasRole(lisRolesOf(enrollmentRole), query.role));
    if (roles.length === 0) return [];
    const memberships = await this.enrollments.contextMemberships(context, {
      offset: query.offset,
      limit: query.limit,
      roles,
      identifiedBy: provider.privacy.userIdSource,
    });
    return memberships.map((membership) => toMember(membership, provider)).filter((member) => member !== null);
  }

  /**
   * The members whose membership changed after `position`, as they are now. Someone with no
   * enrollment left there is `Deleted`; with a role filter, someone who changed out of the role is
   * `Deleted` from the filtered roster the tool keeps.
   */
  private async changedMembers(
    provider: LtiProvider,
    context: RosterContext,
    position: string,
    role: string | undefined,
  ): Promise<ContextMember[]> {
    const changed = (await this.changes.changedSince(context, position))
      .filter((change) => isVisibleChange(change, provider.privacy))
      .map((change) => change.userId);
    const memberships = new Map(
      (await this.enrollments.contextMemberships(context, { people: changed })).map((m) => [m.person.id, m]),
    );
    const goneSince = await this.people(changed.filter((userId) => !memberships.has(userId)));
    return changed
      .map((userId) => {
        const membership = memberships.get(userId);
        const member = membership ? toMember(membership, provider) : gone(goneSince.get(userId), provider);
        return member && !hasRole(member.roles, role) ? { ...member, status: 'Deleted' as const } : member;
      })
      .filter((member): member is ContextMember => member !== null)
      .sort((a, b) => a.user_id.localeCompare(b.user_id));
  }

  private async people(userIds: readonly string[]): Promise<Map<string, User>> {
    return new Map((await this.users.findByIds([...new Set(userIds)])).map((u) => [u.id, u]));
  }
}

/** Whether roles answer the NRPS `role` query parameter: a full role URI, or its short name. */
function hasRole(roles: readonly string[], role: string | undefined): boolean {
  return !role || roles.some((r) => r === role || r.endsWith(`#${role}`));
}

/** The LIS roles a tool is told a member holds. */
function lisRolesOf(role: EnrollmentRole): string[] {
  return [role === 'instructor' ? LIS_ROLES.instructor : LIS_ROLES.learner];
}

function toMember({ role, status, person }: ContextMembership, provider: LtiProvider): ContextMember | null {
  const identity = identityOf(person, provider);
  if (!identity) return null;
  const shown =
    status === 'removed' ? 'Deleted' : status === 'closed' || person.status !== 'active' ? 'Inactive' : 'Active';
  const told = identity.person;
  return {
    status: shown,
    user_id: identity.userId,
    roles: lisRolesOf(role),
    ...(told.fullName ? { name: told.fullName } : {}),
    ...(told.givenName ? { given_name: told.givenName } : {}),
    ...(told.familyName ? { family_name: told.familyName } : {}),
    ...(told.email ? { email: told.email } : {}),
    ...(told.sourcedId ? { lis_person_sourcedid: told.sourcedId } : {}),
  };
}

/** A person with no enrollment left in the context (the enrollment itself was deleted). */
function gone(user: User | undefined, provider: LtiProvider): ContextMember | null {
  const identity = user && identityOf(user, provider);
  return identity ? { status: 'Deleted', user_id: identity.userId, roles: [] } : null;
}

function identityOf(user: ToolFacingPerson, provider: LtiProvider) {
  try {
    return launchIdentity(user, provider.privacy);
  } catch {
    return null; // no id the tool knows this person by: they cannot launch it either
  }
}
