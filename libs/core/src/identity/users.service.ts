import { Injectable } from '@nestjs/common';
import { AccessService } from '../access/access.service';
import { AdminScope, Principal } from '../access/admin-scope';
import { DomainError } from '../errors/domain-error';
import { Page, PageRequest } from '../shared/page';
import { hashPassword } from './password-hasher';
import { SessionRepository } from './session.repository';
import { Membership, Role, User, UserStatus } from './user';
import { MembershipRepository, UserRepository } from './user.repository';

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
  ) {}

  async list(
    principal: Principal,
    query: PageRequest & { organizationId?: string; search?: string; status?: UserStatus },
  ): Promise<Page<User>> {
    const scope = await this.access.adminScope(principal);
    if (query.organizationId !== undefined) scope.require(query.organizationId);
    const organizationIds = query.organizationId !== undefined ? [query.organizationId] : scope.organizationIds;
    return this.users.list({ ...query, organizationIds });
  }

  async get(principal: Principal, id: string): Promise<UserWithMemberships> {
    const scope = await this.access.adminScope(principal);
    const user = await this.getIn(scope, id);
    return { ...user, memberships: await this.visibleMemberships(scope, id) };
  }

  async create(principal: Principal, input: UserInput): Promise<User> {
    const scope = await this.access.adminScope(principal);
    const organizationId = scope.chooseOrganization(input.organizationId, 'organizationId');
    return this.users.create({
      email: input.email.trim().toLowerCase(),
      name: input.name,
      givenName: input.givenName ?? null,
      familyName: input.familyName ?? null,
      sisId: input.sisId ?? null,
      loginId: input.loginId ?? null,
      organizationId,
      passwordHash: input.password ? await hashPassword(input.password) : null,
    });
  }

  /** Every change in one write, checked first: a refused change leaves the account as it was. */
  async update(principal: Principal, id: string, input: Partial<UserInput> & { status?: UserStatus }): Promise<User> {
    const scope = await this.access.adminScope(principal);
    await this.getIn(scope, id);
    if (input.organizationId !== undefined) scope.chooseOrganization(input.organizationId, 'organizationId');
    if (id === principal.userId && input.status === 'suspended') {
      throw DomainError.invalidField('status', 'You cannot suspend your own account');
    }
    const updated = await this.users.update(id, {
      email: input.email?.trim().toLowerCase(),
      name: input.name,
      givenName: input.givenName,
      familyName: input.familyName,
      sisId: input.sisId,
      loginId: input.loginId,
      organizationId: input.organizationId,
      status: input.status,
      passwordHash: input.password ? await hashPassword(input.password) : undefined,
    });
    // A suspension or a new password ends every existing session and token of the account.
    if (input.status === 'suspended' || input.password) await this.sessions.revokeAllForUser(id);
    return updated;
  }

  async listMemberships(principal: Principal, userId: string): Promise<Membership[]> {
    const scope = await this.access.adminScope(principal);
    await this.getIn(scope, userId);
    return this.visibleMemberships(scope, userId);
  }

  async addMembership(
    principal: Principal,
    userId: string,
    input: { organizationId: string; role: Role },
  ): Promise<Membership> {
    const scope = await this.access.adminScope(principal);
    await this.getIn(scope, userId);
    scope.chooseOrganization(input.organizationId, 'organizationId');
    return this.memberships.add({ userId, ...input });
  }

  async removeMembership(principal: Principal, userId: string, membershipId: string): Promise<void> {
    const scope = await this.access.adminScope(principal);
    await this.getIn(scope, userId);
    const membership = (await this.visibleMemberships(scope, userId)).find((m) => m.id === membershipId);
    if (!membership) throw DomainError.notFound('Membership');
    if (userId === principal.userId && membership.role === 'site_admin') {
      throw DomainError.invalidField('role', 'You cannot remove your own site administrator role');
    }
    await this.memberships.remove(userId, membershipId);
  }

  private async getIn(scope: AdminScope, id: string): Promise<User> {
    const user = await this.users.findById(id);
    if (!user || !scope.manages(user.organizationId)) throw DomainError.notFound('User');
    return user;
  }

  private async visibleMemberships(scope: AdminScope, userId: string): Promise<Membership[]> {
    return (await this.memberships.listForUser(userId)).filter((m) => scope.manages(m.organizationId));
  }
}
