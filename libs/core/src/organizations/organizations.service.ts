import { Injectable } from '@nestjs/common';
import { AccessService } from '../access/access.service';
import { Principal } from '../access/principal';
import { TenantScope } from '../access/tenant-scope';
import { AuditTrail } from '../audit/audit-trail';
import { changedFields } from '../audit/audit.service';
import { DomainError } from '../errors/domain-error';
import { Role } from '../access/role';
import { MembershipRepository } from '../identity/membership.repository';
import { Page, PageRequest } from '../shared/page';
import { Organization } from './organization';
import { OrganizationRepository } from './organization.repository';

export interface OrganizationNode extends Organization {
  readonly depth: number;
}

export interface OrganizationMatch extends OrganizationNode {
  /** Names from the top of the tree down to it, joined with " / ". */
  readonly path: string;
}

export interface OrganizationSurroundings {
  readonly organization: Organization;
  readonly parent: Organization | null;
  readonly children: Page<OrganizationNode>;
  /** Organizations the person manages outside this one's subtree, depth-first. */
  readonly parentChoices: Page<OrganizationNode>;
}

export interface OrganizationMatches {
  readonly items: readonly OrganizationMatch[];
  readonly total: number;
}

@Injectable()
export class OrganizationsService {
  constructor(
    private readonly organizations: OrganizationRepository,
    private readonly memberships: MembershipRepository,
    private readonly access: AccessService,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * The part of the tree the person manages (or, with `roles`, where they hold one of them),
   * depth-first, siblings by name.
   */
  async listTree(principal: Principal, roles: readonly Role[] = []): Promise<OrganizationNode[]> {
    const scope = await this.access.scope(principal, roles);
    return toTree(await this.organizations.listInScope(scope));
  }

  /** A page of the tree the person manages, depth-first, optionally only names containing `search`. */
  async listPage(
    principal: Principal,
    query: PageRequest & { readonly search?: string },
  ): Promise<Page<OrganizationNode>> {
    return this.organizations.listPage(await this.access.scope(principal), query);
  }

  /**
   * An organization the person manages with its parent (null when they do not manage it), its
   * sub-organizations and where it may move: the first `limit` of each, never the whole tree.
   */
  async withSurroundings(principal: Principal, id: string, limit: number): Promise<OrganizationSurroundings> {
    const scope = await this.access.scope(principal);
    const organization = await this.getIn(scope, id);
    const page = { page: 1, limit };
    return {
      organization,
      parent: organization.parentId ? await this.organizations.findInScope(scope, organization.parentId) : null,
      children: await this.organizations.listPage(scope, { ...page, parentId: id }),
      parentChoices: await this.organizations.listPage(scope, { ...page, outsideOf: id }),
    };
  }

  /**
   * The organizations the person manages whose name or whose ancestors' names contain `text`
   * (case-insensitive), each with its path from the top, at most `limit` of them: what a picker
   * shows instead of the whole tree.
   */
  async search(principal: Principal, text: string, limit: number): Promise<OrganizationMatches> {
    return this.organizations.searchPaths(await this.access.scope(principal), text, limit);
  }

  async get(principal: Principal, id: string): Promise<Organization> {
    const scope = await this.access.scope(principal);
    return this.getIn(scope, id);
  }

  /**
   * Under a parent the person manages; `parentId` null makes a new top-level organization, which
   * only a platform administrator may do. They become its first site administrator, so that the new
   * tenant is in their hands until they give it people of its own.
   */
  async create(principal: Principal, input: { name: string; parentId?: string | null }): Promise<Organization> {
    if (input.parentId === null) return this.createTopLevel(principal, input.name);
    const scope = await this.access.scope(principal);
    const parentId = await this.access.choose(scope, input.parentId, 'parentId');
    return this.audit.change(
      () => this.organizations.create(scope, { name: input.name, parentId }),
      (created) => organizationEntry(principal, created),
    );
  }

  /** Rename and/or move in one write; a move is checked first so nothing changes when it is refused. */
  async update(principal: Principal, id: string, changes: { name?: string; parentId?: string }): Promise<Organization> {
    const scope = await this.access.scope(principal);
    const organization = await this.getIn(scope, id);
    const parentId = changes.parentId ?? organization.parentId;
    if (parentId !== organization.parentId) await this.checkMove(scope, organization, parentId);
    if ((changes.name ?? organization.name) === organization.name && parentId === organization.parentId)
      return organization;
    return this.audit.change(
      () => this.organizations.update(scope, id, { name: changes.name ?? organization.name, parentId }),
      (updated) => ({
        actorUserId: principal.userId,
        organizationId: id,
        entityType: 'organization',
        entityId: id,
        action: 'update',
        ...changedFields(organizationSnapshot(organization), organizationSnapshot(updated)),
      }),
    );
  }

  private async createTopLevel(principal: Principal, name: string): Promise<Organization> {
    const scope = await this.access.platformScope(principal);
    return this.audit.change(
      async () => {
        const created = await this.organizations.create(scope, { name, parentId: null });
        const memberships = await this.memberships.listForUserInScope(scope, principal.userId);
        const membership = memberships.find((m) => m.organizationId === created.id)!;
        await this.audit.record({
          actorUserId: principal.userId,
          organizationId: created.id,
          entityType: 'membership',
          entityId: membership.id,
          action: 'create',
          before: null,
          after: { userId: principal.userId, organizationId: created.id, role: membership.role },
        });
        return created;
      },
      (created) => organizationEntry(principal, created),
    );
  }

  private async checkMove(scope: TenantScope, organization: Organization, parentId: string | null): Promise<void> {
    if (!(await this.access.covers(scope, parentId))) {
      throw DomainError.invalidField('parentId', 'Choose a parent organization you manage');
    }
    // An organization the admin administers directly cannot be moved by them: they would lose the
    // ground they stand on. Only what lies below it can move.
    if (!(await this.access.covers(scope, organization.parentId))) {
      throw DomainError.invalidField('parentId', 'This organization is a root of what you manage and cannot be moved');
    }
    if (parentId !== null && (await this.organizations.isWithin(parentId, organization.id))) {
      throw DomainError.invalidField('parentId', 'An organization cannot move under itself or one of its descendants');
    }
  }

  private async getIn(scope: TenantScope, id: string): Promise<Organization> {
    const organization = await this.organizations.findInScope(scope, id);
    if (!organization) throw DomainError.notFound('Organization');
    return organization;
  }
}

/** Orders a set of organizations depth-first; those whose parent is outside the set are roots. */
export function toTree(organizations: readonly Organization[]): OrganizationNode[] {
  const ids = new Set(organizations.map((o) => o.id));
  const children = new Map<string | null, Organization[]>();
  for (const organization of organizations) {
    const key = organization.parentId !== null && ids.has(organization.parentId) ? organization.parentId : null;
    children.set(key, [...(children.get(key) ?? []), organization]);
  }
  const out: OrganizationNode[] = [];
  const visit = (parentId: string | null, depth: number): void => {
    const list = [...(children.get(parentId) ?? [])].sort((a, b) => a.name.localeCompare(b.name));
    for (const organization of list) {
      out.push({ ...organization, depth });
      visit(organization.id, depth + 1);
    }
  };
  visit(null, 0);
  return out;
}

function organizationSnapshot(organization: Organization) {
  return { name: organization.name, parentId: organization.parentId };
}

function organizationEntry(principal: Principal, created: Organization) {
  return {
    actorUserId: principal.userId,
    organizationId: created.id,
    entityType: 'organization' as const,
    entityId: created.id,
    action: 'create' as const,
    before: null,
    after: organizationSnapshot(created),
  };
}
