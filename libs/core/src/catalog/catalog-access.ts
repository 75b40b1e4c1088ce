import { Injectable } from '@nestjs/common';
import { AccessService } from '../access/access.service';
import { AdminScope, Principal } from '../access/admin-scope';
import { DomainError } from '../errors/domain-error';
import { FieldProblems } from '../errors/field-problems';
import { OrganizationRepository } from '../organizations/organization.repository';
import { CatalogVisibility } from './catalog.repository';

/** What a site admin can see and change in the catalog. */
export interface CatalogScope {
  readonly admin: AdminScope;
  readonly visibility: CatalogVisibility;
}

interface CatalogEntry {
  readonly organizationId: string;
  readonly availableOrganizationIds: readonly string[];
}

/**
 * Catalog rules shared by providers and resource links:
 * - an entry is managed by the admins of its owning organization;
 * - it is available in the organizations listed and all their descendants;
 * - admins see what they manage and what is available somewhere they manage (read-only), and
 *   nothing else ("not found", as for every other tenant resource).
 */
@Injectable()
export class CatalogAccess {
  constructor(
    private readonly access: AccessService,
    private readonly organizations: OrganizationRepository,
  ) {}

  async scopeOf(principal: Principal): Promise<CatalogScope> {
    const admin = await this.access.adminScope(principal);
    const ancestors = await this.organizations.findLineageIds(admin.topOrganizationIds);
    return {
      admin,
      visibility: {
        managedIds: admin.organizationIds,
        reachIds: [...new Set([...admin.organizationIds, ...ancestors])],
      },
    };
  }

  /** The organization and its ancestors: where an entry must be available to be usable there. */
  lineageOf(organizationId: string): Promise<string[]> {
    return this.organizations.findLineageIds([organizationId]);
  }

  isVisible(scope: CatalogScope, entry: CatalogEntry): boolean {
    const reach = new Set(scope.visibility.reachIds);
    return scope.admin.manages(entry.organizationId) || entry.availableOrganizationIds.some((id) => reach.has(id));
  }

  /** Not visible: 404. Visible but owned by an organization the admin does not manage: 403. */
  requireManaged(scope: CatalogScope, entry: CatalogEntry | null, what: string): void {
    if (!entry || !this.isVisible(scope, entry)) throw DomainError.notFound(what);
    if (!scope.admin.manages(entry.organizationId)) {
      throw new DomainError(
        'forbidden',
        `This ${what.toLowerCase()} belongs to an organization you do not manage: you can use it, not change it`,
      );
    }
  }

  /**
   * The availability an admin writes: each listed organization must be one they manage; entries
   * that another admin added outside this admin's organizations stay as they were.
   */
  resolveAvailability(
    scope: CatalogScope,
    requested: readonly string[] | undefined,
    current: readonly string[] | undefined,
    fallback: string,
    problems: FieldProblems,
  ): string[] {
    if (requested === undefined) return [...(current ?? [fallback])];
    const unmanaged = requested.filter((id) => !scope.admin.manages(id));
    if (unmanaged.length > 0) {
      problems.add('availableOrganizationIds', 'Choose only organizations you manage');
    }
    const hidden = (current ?? []).filter((id) => !scope.admin.manages(id));
    return [...new Set([...hidden, ...requested])];
  }

  /** An entry as an admin may see its availability: only the organizations they manage. */
  visibleAvailability(scope: CatalogScope, availableOrganizationIds: readonly string[]): string[] {
    return availableOrganizationIds.filter((id) => scope.admin.manages(id));
  }
}

/** Available in an organization: listed there or at one of its ancestors (`lineage` = the organization and its ancestors). */
export function isAvailableIn(availableOrganizationIds: readonly string[], lineage: readonly string[]): boolean {
  const set = new Set(lineage);
  return availableOrganizationIds.some((id) => set.has(id));
}

export type Unavailability = 'link_disabled' | 'provider_disabled' | 'link_withdrawn' | 'provider_withdrawn';

interface Launchable {
  readonly status: 'active' | 'disabled';
  readonly availableOrganizationIds: readonly string[];
}

/**
 * Why a placed activity can no longer be launched in an organization (`lineage`: the organization
 * of the course and its ancestors), or null when it can. Withdrawing availability or disabling
 * keeps course activities in place; the launch is what stops, with a clear message.
 */
export function whyUnavailable(
  link: Launchable,
  provider: Launchable,
  lineage: readonly string[],
): Unavailability | null {
  if (link.status !== 'active') return 'link_disabled';
  if (provider.status !== 'active') return 'provider_disabled';
  if (!isAvailableIn(link.availableOrganizationIds, lineage)) return 'link_withdrawn';
  if (!isAvailableIn(provider.availableOrganizationIds, lineage)) return 'provider_withdrawn';
  return null;
}

/** What the learner reads; the reason code goes to the log and the launch record. */
export const UNAVAILABLE_MESSAGE =
  'This activity is no longer available in your organization. Your progress so far is kept; please contact your training administrator.';
