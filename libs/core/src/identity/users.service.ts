import { Injectable } from '@nestjs/common';
import { AccessService } from '../access/access.service';
import { Principal } from '../access/principal';
import { TenantScope } from '../access/tenant-scope';
import { AuditEntry } from '../audit/audit-log';
import { AuditTrail } from '../audit/audit-trail';
import { changedFields } from '../audit/audit.service';
import { DomainError } from '../errors/domain-error';
import { Page, PageRequest } from '../shared/page';
import { hashPassword } from './password-hasher';
import { SessionRepository } from './session.repository';
import { Membership, User, UserStatus } from './user';
import { Role } from '../access/role';
import { MembershipRepository } from './membership.repository';
import { UserRepository } from './user.repository';

export interface UserInput {
  readonly email: string;
  readonly name: string;
  readonly givenName?: string | null;
  readonly familyName?: string | null;
  readonly sisId?: string | null;
  readonly loginId?: string | null;
  readonly password?: string | null;
  readonly organizationId?: string;
}

export interface UserWithMemberships extends User {
  /** Only the memberships in organizations the caller manages. */
  readonly memberships: readonly Membership[];
}

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UserRepository,
    private readonly memberships: MembershipRepository,
    private readonly sessions: SessionRepository,
    private readonly access: AccessService,
    private readonly audit: AuditTrail,
  ) {}

  async list(
    principal: Principal,
    query: PageRequest & { organizationId?: string; search?: string; status?: UserStatus },
  ): Promise<Page<User>> {
    const scope = await this.access.scope(principal);
    if (query.organizationId !== undefined) await this.access.require(scope, query.organizationId);
    return this.users.list(scope, query);
  }

  async get(principal: Principal, id: string): Promise<UserWithMemberships> {
    const scope = await this.access.scope(principal);
    const user = await this.getIn(scope, id);
    return { ...user, memberships: await this.memberships.listForUserInScope(scope, id) };
  }

  async create(principal: Principal, input: UserInput): Promise<User> {
    const scope = await this.access.scope(principal);
    const organizationId = await this.access.choose(scope, input.organizationId, 'organizationId');
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    const create = () =>
      this.users.create(scope, {
        email: input.email.trim().toLowerCase(),
        name: input.name,
        givenName: input.givenName ?? null,
        familyName: input.familyName ?? null,
        sisId: input.sisId ?? null,
        loginId: input.loginId ?? null,
        organizationId,
        passwordHash,
      });
    return this.audit.change(create, (user) =>
      userEntry(principal, user, 'create', null, { ...userSnapshot(user), password: passwordHash ? '(set)' : null }),
    );
  }

  /** Every change in one write, checked first: a refused change leaves the account as it was. */
  async update(principal: Principal, id: string, input: Partial<UserInput> & { status?: UserStatus }): Promise<User> {
    const scope = await this.access.scope(principal);
    const current = await this.getIn(scope, id);
    if (input.organizationId !== undefined) await this.access.choose(scope, input.organizationId, 'organizationId');
    if (id === principal.userId && input.status === 'suspended') {
      throw DomainError.invalidField('status', 'You cannot suspend your own account');
    }
    const passwordHash = input.password ? await hashPassword(input.password) : undefined;
    const update = () =>
      this.users.update(scope, id, {
        email: input.email?.trim().toLowerCase(),
        name: input.name,
        givenName: input.givenName,
        familyName: input.familyName,
        sisId: input.sisId,
        loginId: input.loginId,
        organizationId: input.organizationId,
        status: input.status,
        passwordHash,
      });
    const updated = await this.audit.change(update, (user) => {
      const diff = changedFields(userSnapshot(current), userSnapshot(user));
      if (passwordHash) Object.assign(diff, { after: { ...diff.after, password: '(changed)' } });
      if (Object.keys(diff.after).length === 0) return null;
      const action = current.status !== user.status ? (user.status === 'suspended' ? 'disable' : 'enable') : 'update';
      return userEntry(principal, user, action, diff.before, diff.after);
    });
    // A suspension or a new password ends every existing session and token of the account.
    if (input.status === 'suspended' || input.password) await this.sessions.revokeAllForUser(id);
    return updated;
  }

  /**
   * Grants or revokes the platform administrator role (DESIGN.md §3). Only a platform administrator
   * may, for a person they manage, and not their own (the platform must keep one). The audit entry
   * belongs to no organization: platform administrators read it.
   */
  async setPlatformAdmin(principal: Principal, id: string, platformAdmin: boolean): Promise<User> {
    const scope = await this.access.platformScope(principal);
    const current = await this.getIn(scope, id);
    if (id === principal.userId && !platformAdmin) {
      throw DomainError.invalidField('platformAdmin', 'You cannot revoke your own platform administrator role');
    }
    if (current.platformAdmin === platformAdmin) return current;
    return this.audit.change(
      () => this.users.setPlatformAdmin(scope, id, platformAdmin),
      (user) => ({
        ...userEntry(principal, user, 'update', { platformAdmin: current.platformAdmin }, { platformAdmin }),
        organizationId: null,
      }),
    );
  }

  async listMemberships(principal: Principal, userId: string): Promise<Membership[]> {
    const scope = await this.access.scope(principal);
    await this.getIn(scope, userId);
    return this.memberships.listForUserInScope(scope, userId);
  }

  async addMembership(
    principal: Principal,
    userId: string,
    input: { organizationId: string; role: Role },
  ): Promise<Membership> {
    const scope = await this.access.scope(principal);
    await this.getIn(scope, userId);
    await this.access.choose(scope, input.organizationId, 'organizationId');
    return this.audit.change(
      () => this.memberships.add(scope, { userId, ...input }),
      (membership) => membershipEntry(principal, membership, 'create'),
    );
  }

  async removeMembership(principal: Principal, userId: string, membershipId: string): Promise<void> {
    const scope = await this.access.scope(principal);
    await this.getIn(scope, userId);
    const membership = (await this.memberships.listForUserInScope(scope, userId)).find((m) => m.id === membershipId);
    if (!membership) throw DomainError.notFound('Membership');
    if (userId === principal.userId && membership.role === 'site_admin') {
      throw DomainError.invalidField('role', 'You cannot remove your own site administrator role');
    }
    await this.audit.change(
      () => this.memberships.remove(scope, userId, membershipId),
      () => membershipEntry(principal, membership, 'delete'),
    );
  }

  private async getIn(scope: TenantScope, id: string): Promise<User> {
    const user = await this.users.findInScope(scope, id);
    if (!user) throw DomainError.notFound('User');
    return user;
  }
}

function userSnapshot(user: User) {
  return {
    email: user.email,
    name: user.name,
    givenName: user.givenName,
    familyName: user.familyName,
    sisId: user.sisId,
    loginId: user.loginId,
    status: user.status,
    organizationId: user.organizationId,
  };
}

function userEntry(
  principal: Principal,
  user: User,
  action: AuditEntry['action'],
  before: AuditEntry['before'],
  after: AuditEntry['after'],
): AuditEntry {
  const { userId: actorUserId } = principal;
  return {
    actorUserId,
    organizationId: user.organizationId,
    entityType: 'user',
    entityId: user.id,
    action,
    before,
    after,
  };
}

function membershipEntry(principal: Principal, membership: Membership, action: 'create' | 'delete'): AuditEntry {
  const snapshot = { userId: membership.userId, organizationId: membership.organizationId, role: membership.role };
  return {
    actorUserId: principal.userId,
    organizationId: membership.organizationId,
    entityType: 'membership',
    entityId: membership.id,
    action,
    before: action === 'delete' ? snapshot : null,
    after: action === 'create' ? snapshot : null,
  };
}
