import { Injectable } from '@nestjs/common';
import { LIS_ROLES } from '@tms/lti';
import { LtiProvider } from '../../catalog/lti-provider';
import { DomainError } from '../../errors/domain-error';
import { User } from '../../identity/user';
import { UserRepository } from '../../identity/user.repository';
import { launchIdentity } from '../../launch/launch-identity';
import { LtiContext } from '../../learning/lti-context';
import { EnrollmentRepository, RosterEntry } from '../../learning/enrollment.repository';
import { ServiceContexts } from '../service-contexts';

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

export interface MembershipPage {
  readonly context: LtiContext;
  readonly members: readonly ContextMember[];
  /** Offset of the next page, when there is one. */
  readonly next: number | null;
}

/**
 * Names and Role Provisioning (NRPS 2.0) for one LTI context: a class, or a course's self-paced
 * offering. A tool sees only contexts where one of its links is placed. Members carry the same
 * `user_id` as the launches' `sub`; removed learners are `Deleted`, suspended people and closed
 * enrollments `Inactive`.
 */
@Injectable()
export class MembershipsService {
  constructor(
    private readonly contexts: ServiceContexts,
    private readonly enrollments: EnrollmentRepository,
    private readonly users: UserRepository,
  ) {}

  async list(
    provider: LtiProvider,
    contextId: string,
    query: { role?: string; rlid?: string; limit?: number; offset?: number },
  ): Promise<MembershipPage> {
    const { context, placements, entries } = await this.contextOf(provider, contextId);
    if (query.rlid && !placements.some((placement) => placement.resourceLinkId === query.rlid)) {
      throw DomainError.notFound('Resource link');
    }
    const people = new Map(
      (await this.users.findByIds([...new Set(entries.map((e) => e.userId))])).map((u) => [u.id, u]),
    );
    const members = latestPerPerson(entries)
      .map((entry) => toMember(entry, people.get(entry.userId), provider))
      .filter((member): member is ContextMember => member !== null)
      .filter(
        (member) => !query.role || member.roles.some((role) => role === query.role || role.endsWith(`#${query.role}`)),
      );
    const limit = Math.min(Math.max(query.limit ?? NRPS_DEFAULT_LIMIT, 1), NRPS_MAX_LIMIT);
    const offset = Math.max(query.offset ?? 0, 0);
    return {
      context,
      members: members.slice(offset, offset + limit),
      next: offset + limit < members.length ? offset + limit : null,
    };
  }

  private async contextOf(provider: LtiProvider, contextId: string) {
    const { course, courseClass, context, placements } = await this.contexts.resolve(provider, contextId);
    const entries = courseClass
      ? await this.enrollments.listForClass(courseClass.id)
      : (await this.enrollments.listForCourse(course.id)).filter((e) => e.kind === 'self_paced');
    return { context, placements, entries };
  }
}

/** A person's live enrollment wins over the history of earlier ones (a retake closes the old one). */
function latestPerPerson(entries: readonly RosterEntry[]): RosterEntry[] {
  const rank = (e: RosterEntry) => (e.status === 'active' ? 2 : e.status === 'removed' ? 1 : 0);
  const byPerson = new Map<string, RosterEntry>();
  for (const entry of entries) {
    const kept = byPerson.get(entry.userId);
    if (!kept || rank(entry) > rank(kept) || (rank(entry) === rank(kept) && entry.createdAt > kept.createdAt)) {
      byPerson.set(entry.userId, entry);
    }
  }
  return [...byPerson.values()];
}

function toMember(entry: RosterEntry, user: User | undefined, provider: LtiProvider): ContextMember | null {
  if (!user) return null;
  let identity;
  try {
    identity = launchIdentity(user, provider.privacy);
  } catch {
    return null; // no id the tool knows this person by: they cannot launch it either
  }
  const status =
    entry.status === 'removed'
      ? 'Deleted'
      : entry.status === 'closed' || user.status !== 'active'
        ? 'Inactive'
        : 'Active';
  const person = identity.person;
  return {
    status,
    user_id: identity.userId,
    roles: [entry.role === 'instructor' ? LIS_ROLES.instructor : LIS_ROLES.learner],
    ...(person.fullName ? { name: person.fullName } : {}),
    ...(person.givenName ? { given_name: person.givenName } : {}),
    ...(person.familyName ? { family_name: person.familyName } : {}),
    ...(person.email ? { email: person.email } : {}),
    ...(person.sourcedId ? { lis_person_sourcedid: person.sourcedId } : {}),
  };
}
