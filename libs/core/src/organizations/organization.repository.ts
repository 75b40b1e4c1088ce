import type { TenantScope } from '../access/tenant-scope';
import { OrganizationScopeRepository } from '../access/organization-scope.repository';
import { Page, PageRequest } from '../shared/page';
import { Organization } from './organization';

/** Which organizations a page lists: names containing `search`; children of `parentId`; none in `outsideOf`'s subtree. */
export interface OrganizationFilter {
  readonly search?: string;
  readonly parentId?: string;
  readonly outsideOf?: string;
}

/** An organization in a listed tree, `depth` levels below the top the scope covers. */
export interface OrganizationAtDepth extends Organization {
  readonly depth: number;
}

/** Port: the organization tree. Implemented in libs/persistence over the organization closure. */
export abstract class OrganizationRepository extends OrganizationScopeRepository {
  /** The organization, when the scope covers it. */
  abstract findInScope(scope: TenantScope, id: string): Promise<Organization | null>;
  /** Every organization the scope covers, sorted by name. */
  abstract listInScope(scope: TenantScope): Promise<Organization[]>;
  /**
   * A page of the organizations the scope covers, depth-first with siblings by name, filtered: read
   * in that order from an index, whatever the tree's size.
   */
  abstract listPage(scope: TenantScope, query: PageRequest & OrganizationFilter): Promise<Page<OrganizationAtDepth>>;
  /**
   * The first `limit` organizations the scope covers whose path from the scope's top (names joined
   * with " / ") contains `text`, case-insensitively, depth-first, each with that path; and how many match.
   */
  abstract searchPaths(
    scope: TenantScope,
    text: string,
    limit: number,
  ): Promise<{ items: Array<OrganizationAtDepth & { path: string }>; total: number }>;
  /**
   * The given organizations and all their ancestors, up to the roots: where a catalog entry must be
   * available to be usable there. Ids only; the launch path asks it too.
   */
  abstract findLineageIds(ids: readonly string[]): Promise<string[]>;
  /** Whether `organizationId` is `ancestorId` or lies below it. */
  abstract isWithin(organizationId: string, ancestorId: string): Promise<boolean>;
  /**
   * A new organization under a parent the scope covers, or at the top (`parentId` null) for a
   * platform administrator, who becomes its first site administrator in the same transaction;
   * `not_found` otherwise. Throws a `conflict` on the name when a sibling has it already.
   */
  abstract create(scope: TenantScope, input: { name: string; parentId: string | null }): Promise<Organization>;
  /**
   * Renames and/or moves an organization the scope covers (`not_found` otherwise). Throws a
   * `conflict` on the name when a sibling at the destination has it already.
   */
  abstract update(
    scope: TenantScope,
    id: string,
    changes: { name: string; parentId: string | null },
  ): Promise<Organization>;
  /** First start only (no one can hold a scope yet): the root of a new tree. */
  abstract createForBootstrap(name: string): Promise<Organization>;
}
