import type { CustomParameter, LineItemTemplate } from '@tms/lti';
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
 * Which catalog entries a site admin sees: those owned by an organization they manage, and those
 * available somewhere they manage (`reachIds`: the managed organizations and their ancestors, since
 * availability reaches down the tree).
 */
export interface CatalogVisibility {
  readonly managedIds: readonly string[];
  readonly reachIds: readonly string[];
}

export interface CatalogListQuery extends PageRequest {
  readonly visibility: CatalogVisibility;
  readonly organizationId?: string;
  readonly status?: CatalogStatus;
  readonly search?: string;
}

export interface ProviderListQuery extends CatalogListQuery {
  readonly ltiVersion?: LtiVersion;
  /** Only providers usable in this organization (available there or above it). */
  readonly usableInIds?: readonly string[];
}

export interface LinkListQuery extends CatalogListQuery {
  readonly providerId?: string;
  /** Only active links of active providers, both available in this lineage (an organization and its ancestors). */
  readonly usableInIds?: readonly string[];
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

/** Port: LTI providers. Names are unique per owning organization (`conflict` on `name`). */
export abstract class LtiProviderRepository {
  abstract findById(id: string): Promise<LtiProvider | null>;
  abstract list(query: ProviderListQuery): Promise<Page<LtiProvider>>;
  abstract create(record: ProviderRecord): Promise<LtiProvider>;
  abstract update(id: string, changes: ProviderChanges): Promise<LtiProvider>;
  /** Deletes the provider with its resource links (and, through them, their course activities). */
  abstract delete(id: string): Promise<void>;
  /** The sealed LTI 1.1 shared secret, for signing and verifying only. */
  abstract findSealedSecret(id: string): Promise<string | null>;
  abstract findByClientId(clientId: string): Promise<LtiProvider | null>;
  /** LTI 1.1 providers with this consumer key (not unique: organizations may share a vendor's key). */
  abstract findByConsumerKey(consumerKey: string): Promise<LtiProvider[]>;
}

/** Port: LTI resource links. Names are unique per owning organization (`conflict` on `name`). */
export abstract class LtiResourceLinkRepository {
  abstract findById(id: string): Promise<LtiResourceLink | null>;
  abstract findByIds(ids: readonly string[]): Promise<LtiResourceLink[]>;
  abstract list(query: LinkListQuery): Promise<Page<LtiResourceLink>>;
  abstract create(record: ResourceLinkRecord): Promise<LtiResourceLink>;
  abstract update(id: string, changes: ResourceLinkChanges): Promise<LtiResourceLink>;
  /** Deletes the link and the course activities that place it. */
  abstract delete(id: string): Promise<void>;
  abstract countForProvider(providerId: string): Promise<number>;
}

/** Port: how course activities use the catalog (what a deletion would remove). */
export abstract class CatalogUsageRepository {
  abstract countActivitiesOfLink(resourceLinkId: string): Promise<number>;
  abstract countActivitiesOfProvider(providerId: string): Promise<number>;
}
