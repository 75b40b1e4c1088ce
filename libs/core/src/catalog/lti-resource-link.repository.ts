import type { CustomParameter, LineItemTemplate } from '@tms/lti';
import type { TenantScope } from '../access/tenant-scope';
import { Page } from '../shared/page';
import { CatalogListQuery } from './catalog-list-query';
import { CatalogStatus } from './lti-provider';
import { LtiResourceLink } from './lti-resource-link';

export interface LinkListQuery extends CatalogListQuery {
  readonly providerId?: string;
  /** Only active links of active providers, both usable in this organization (available there or above it). */
  readonly usableIn?: string;
}

export interface ResourceLinkRecord {
  readonly organizationId: string;
  readonly providerId: string;
  readonly name: string;
  readonly url: string;
  readonly customParameters: readonly CustomParameter[];
  readonly requiresScoreForCompletion: boolean;
  readonly passingScore: number | null;
  readonly lineItem?: LineItemTemplate | null;
  readonly status: CatalogStatus;
  readonly availableOrganizationIds: readonly string[];
}

export type ResourceLinkChanges = Partial<Omit<ResourceLinkRecord, 'providerId'>>;

/** A resource link with the name of its provider, as lists and pages show it. */
export interface NamedResourceLink extends LtiResourceLink {
  readonly providerName: string;
}

/**
 * Port: LTI resource links. Names are unique per owning organization (`conflict` on `name`). Writes
 * need an owning organization the scope covers (`not_found` otherwise).
 */
export abstract class LtiResourceLinkRepository {
  /** Unscoped: for launches and tool services. */
  abstract findById(id: string): Promise<LtiResourceLink | null>;
  /** Unscoped: the links placed in a course already in hand (its activities). */
  abstract findByIds(ids: readonly string[]): Promise<NamedResourceLink[]>;
  /** The link when the scope sees it (owns it, or it is available somewhere the scope covers). */
  abstract findVisible(scope: TenantScope, id: string): Promise<NamedResourceLink | null>;
  /** What the scope sees. */
  abstract list(scope: TenantScope, query: LinkListQuery): Promise<Page<NamedResourceLink>>;
  /** Every link owned by an organization the scope covers (bulk export and import), by name. */
  abstract listOwned(scope: TenantScope): Promise<NamedResourceLink[]>;
  abstract create(scope: TenantScope, record: ResourceLinkRecord): Promise<LtiResourceLink>;
  abstract update(scope: TenantScope, id: string, changes: ResourceLinkChanges): Promise<LtiResourceLink>;
  /** Deletes the link and the course activities that place it. */
  abstract delete(scope: TenantScope, id: string): Promise<void>;
  abstract countForProvider(providerId: string): Promise<number>;
}
