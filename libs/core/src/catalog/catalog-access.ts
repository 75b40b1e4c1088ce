import { Injectable } from '@nestjs/common';
import { AccessService } from '../access/access.service';
import { Principal } from '../access/principal';
import { TenantScope } from '../access/tenant-scope';
import { DomainError } from '../errors/domain-error';
import { FieldProblems } from '../errors/field-problems';
import { OrganizationRepository } from '../organizations/organization.repository';

interface CatalogEntry {
  readonly organizationId: string;
  readonly availableOrganizationIds: readonly string[];
}

/** What one admin sees of a catalog entry: availability limited to what they manage, and whether they may change it. */
export interface CatalogAccessView {
  readonly availableOrganizationIds: string[];
  readonly managed: boolean;
}

/**
 * Catalog rules shared by providers and resource links:
 * - an entry is managed by the admins of its owning organization;
 * - it is available in the organizations listed and all their descendants;
 * - admins see what they manage and what is available somewhere they manage (read-only), and
 *   nothing else ("not found", as for every other tenant resource). The repositories filter by the
 *   scope in SQL; what is decided here takes the same scope.
 */
@Injectable()
export class CatalogAccess {
  constructor(
    private readonly access: AccessService,
    private readonly organizations: OrganizationRepository,
  ) {}

  /** The catalog is site administrators' (the pages and the API alike). */
  scopeOf(principal: Principal): Promise<TenantScope> {
    return this.access.scope(principal);
  }

  /** Throws `not_found` for an organization outside the scope. */
  require(scope: TenantScope, organizationId: string): Promise<void> {
    return this.access.require(scope, organizationId);
  }

  chooseOrganization(scope: TenantScope, requested: string | undefined): Promise<string> {
    return this.access.choose(scope, requested, 'organizationId');
  }

  covers(scope: TenantScope, organizationId: string): Promise<boolean> {
    return this.access.covers(scope, organizationId);
  }

  /** The organization and its ancestors: where an entry must be available to be usable there. */
  lineageOf(organizationId: string): Promise<string[]> {
    return this.organizations.findLineageIds([organizationId]);
  }

  /** Not visible (the repository found nothing): 404. Visible but owned by an organization the admin does not manage: 403. */
  async requireManaged<T extends CatalogEntry>(scope: TenantScope, entry: T | null, what: string): Promise<T> {
    if (!entry) throw DomainError.notFound(what);
    if (!(await this.access.covers(scope, entry.organizationId))) {
      throw new DomainError(
        'forbidden',
        `This ${what.toLowerCase()} belongs to an organization you do not manage: you can use it, not change it`,
      );
    }
    return entry;
  }

  /**
   * The availability an admin writes: each listed organization must be one they manage; entries
   * that another admin added outside this admin's organizations stay as they were.
   */
  async resolveAvailability(
    scope: TenantScope,
    requested: readonly string[] | undefined,
    current: readonly string[] | undefined,
    fallback: string,
    problems: FieldProblems,
  ): Promise<string[]> {
    if (requested === undefined) return [...(current ?? [fallback])];
    const covered = await this.access.covered(scope, [...requested, ...(current ?? [])]);
    if (requested.some((id) => !covered.has(id))) {
      problems.add('availableOrganizationIds', 'Choose only organizations you manage');
    }
    const hidden = (current ?? []).filter((id) => !covered.has(id));
    return [...new Set([...hidden, ...requested])];
  }

  /** How the admin sees each entry, in one query for all of them. */
  async views(scope: TenantScope, entries: readonly CatalogEntry[]): Promise<CatalogAccessView[]> {
    const covered = await this.access.covered(
      scope,
      entries.flatMap((entry) => [entry.organizationId, ...entry.availableOrganizationIds]),
    );
    return entries.map((entry) => ({
      availableOrganizationIds: entry.availableOrganizationIds.filter((id) => covered.has(id)),
      managed: covered.has(entry.organizationId),
    }));
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
