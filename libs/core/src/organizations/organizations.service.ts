import { Injectable } from '@nestjs/common';
import { AccessService } from '../access/access.service';
import { AdminScope, Principal } from '../access/admin-scope';
import { AuditTrail } from '../audit/audit-trail';
import { changedFields } from '../audit/audit.service';
import { DomainError } from '../errors/domain-error';
import { Organization } from './organization';
import { OrganizationRepository } from './organization.repository';

export interface OrganizationNode extends Organization {
  readonly depth: number;
}

@Injectable()
export class OrganizationsService {
  constructor(
    private readonly organizations: OrganizationRepository,
    private readonly access: AccessService,
    private readonly audit: AuditTrail,
  ) {}

  /** The managed part of the tree, depth-first, siblings by name. */
  async listTree(principal: Principal): Promise<OrganizationNode[]> {
    const scope = await this.access.adminScope(principal);
    return toTree(await this.organizations.listByIds(scope.organizationIds));
  }

  async get(principal: Principal, id: string): Promise<Organization> {
    const scope = await this.access.adminScope(principal);
    return this.getIn(scope, id);
  }

  async create(principal: Principal, input: { name: string; parentId?: string | null }): Promise<Organization> {
    const scope = await this.access.adminScope(principal);
    const parentId = scope.chooseOrganization(input.parentId, 'parentId');
    return this.audit.change(
      () => this.organizations.create({ name: input.name, parentId }),
      (created) => ({
        actorUserId: principal.userId,
        organizationId: created.id,
        entityType: 'organization',
        entityId: created.id,
        action: 'create',
        before: null,
        after: organizationSnapshot(created),
      }),
    );
  }

  /** Rename and/or move in one write; a move is checked first so nothing changes when it is refused. */
  async update(principal: Principal, id: string, changes: { name?: string; parentId?: string }): Promise<Organization> {
    const scope = await this.access.adminScope(principal);
    const organization = await this.getIn(scope, id);
    const parentId = changes.parentId ?? organization.parentId;
    if (parentId !== organization.parentId) await this.checkMove(scope, organization, parentId);
    if ((changes.name ?? organization.name) === organization.name && parentId === organization.parentId)
      return organization;
    return this.audit.change(
      () => this.organizations.update(id, { name: changes.name ?? organization.name, parentId }),
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

  private async checkMove(scope: AdminScope, organization: Organization, parentId: string | null): Promise<void> {
    if (!scope.manages(parentId)) throw DomainError.invalidField('parentId', 'Choose a parent organization you manage');
    // An organization the admin administers directly cannot be moved by them: they would lose the
    // ground they stand on. Only what lies below it can move.
    if (!scope.manages(organization.parentId)) {
      throw DomainError.invalidField('parentId', 'This organization is a root of what you manage and cannot be moved');
    }
    const subtree = await this.organizations.findSubtreeIds(organization.id);
    if (parentId !== null && subtree.includes(parentId)) {
      throw DomainError.invalidField('parentId', 'An organization cannot move under itself or one of its descendants');
    }
  }

  private async getIn(scope: AdminScope, id: string): Promise<Organization> {
    scope.require(id);
    const organization = await this.organizations.findById(id);
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
