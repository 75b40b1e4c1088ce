import type { CustomParameter, LineItemTemplate } from '@tms/lti';
import type { TenantScope } from '../access/tenant-scope';
import { Page, PageRequest } from '../shared/page';
import {
  CatalogStatus,
  LaunchPresentation,
  LtiProvider,
  CompatibilitySwitch,
  LtiService,
  LtiVersion,
  ProviderPrivacy,
} from './lti-provider';
import { LtiResourceLink } from './lti-resource-link';

/**
 * Catalog lists show what the scope sees: entries owned by an organization it covers, and entries
 * available somewhere it covers (availability reaches down the tree, so an entry available at an
 * ancestor of a covered organization is available there too).
 */
export interface CatalogListQuery extends PageRequest {
  readonly organizationId?: string;
  readonly status?: CatalogStatus;
  readonly search?: string;
}

export interface ProviderListQuery extends CatalogListQuery {
  readonly ltiVersion?: LtiVersion;
  /** Only active providers usable in this organization (available there or above it). */
  readonly usableIn?: string;
}

export interface LinkListQuery extends CatalogListQuery {
  readonly providerId?: string;
  /** Only active links of active providers, both usable in this organization (available there or above it). */
  readonly usableIn?: string;
}

export interface NewLti1p3Registration {
  readonly clientId: string;
  readonly deploymentId: string;
  readonly loginUrl: string;
  readonly redirectUris: readonly string[];
  readonly targetLinkUri: string;
  readonly jwksUrl: string | null;
  readonly publicKeyPem: string | null;
  readonly services: readonly LtiService[];
  readonly compatibility: readonly CompatibilitySwitch[];
  readonly platformStorage: boolean;
  readonly replacesProviderId: string | null;
}

/** A provider row as written; the 1.1 secret arrives already sealed. */
export interface ProviderRecord {
  /** Chosen before the write: the sealed secret is bound to it. */
  readonly id: string;
  readonly organizationId: string;
  readonly name: string;
  readonly ltiVersion: LtiVersion;
  readonly status: CatalogStatus;
  readonly customParameters: readonly CustomParameter[];
  readonly privacy: ProviderPrivacy;
  readonly presentation: LaunchPresentation;
  readonly availableOrganizationIds: readonly string[];
  readonly lti1p1: {
    consumerKey: string;
    sealedSecret: string;
    secretMask: string;
    contentItemUrl: string | null;
  } | null;
  readonly lti1p3: NewLti1p3Registration | null;
}

export interface ProviderChanges extends Partial<Omit<ProviderRecord, 'id' | 'ltiVersion' | 'lti1p1' | 'lti1p3'>> {
  readonly lti1p1?: { consumerKey: string; sealedSecret?: string; secretMask?: string; contentItemUrl?: string | null };
  readonly lti1p3?: Omit<NewLti1p3Registration, 'clientId' | 'deploymentId'>;
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
 * Port: LTI providers. Names are unique per owning organization (`conflict` on `name`). Writes need
 * an owning organization the scope covers (`not_found` otherwise). The unscoped finders serve the
 * LTI flows, which the tool's credentials or a launch already tied to its tenant.
 */
export abstract class LtiProviderRepository {
  /** Unscoped: for launches and tool services. */
  abstract findById(id: string): Promise<LtiProvider | null>;
  /** The provider when the scope sees it (owns it, or it is available somewhere the scope covers). */
  abstract findVisible(scope: TenantScope, id: string): Promise<LtiProvider | null>;
  /** The provider when it belongs to an organization the scope covers. */
  abstract findOwned(scope: TenantScope, id: string): Promise<LtiProvider | null>;
  /** What the scope sees. */
  abstract list(scope: TenantScope, query: ProviderListQuery): Promise<Page<LtiProvider>>;
  abstract create(scope: TenantScope, record: ProviderRecord): Promise<LtiProvider>;
  abstract update(scope: TenantScope, id: string, changes: ProviderChanges): Promise<LtiProvider>;
  /** Deletes the provider with its resource links (and, through them, their course activities). */
  abstract delete(scope: TenantScope, id: string): Promise<void>;
  /** The sealed LTI 1.1 shared secret, for signing and verifying only. */
  abstract findSealedSecret(id: string): Promise<string | null>;
  abstract findByClientId(clientId: string): Promise<LtiProvider | null>;
  /** LTI 1.1 providers with this consumer key (not unique: organizations may share a vendor's key). */
  abstract findByConsumerKey(consumerKey: string): Promise<LtiProvider[]>;
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
  abstract create(scope: TenantScope, record: ResourceLinkRecord): Promise<LtiResourceLink>;
  abstract update(scope: TenantScope, id: string, changes: ResourceLinkChanges): Promise<LtiResourceLink>;
  /** Deletes the link and the course activities that place it. */
  abstract delete(scope: TenantScope, id: string): Promise<void>;
  abstract countForProvider(providerId: string): Promise<number>;
}

/** Port: how course activities use the catalog (what a deletion would remove). */
export abstract class CatalogUsageRepository {
  abstract countActivitiesOfLink(resourceLinkId: string): Promise<number>;
  abstract countActivitiesOfProvider(providerId: string): Promise<number>;
}
