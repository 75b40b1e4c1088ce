import type { CustomParameter } from '@tms/lti';
import type { TenantScope } from '../access/tenant-scope';
import { Page } from '../shared/page';
import { CatalogListQuery } from './catalog-list-query';
import {
  CatalogStatus,
  LaunchPresentation,
  Lti1p3Registration,
  LtiProvider,
  LtiVersion,
  ProviderPrivacy,
  ToolKeyState,
} from './lti-provider';

export interface ProviderListQuery extends CatalogListQuery {
  readonly ltiVersion?: LtiVersion;
  /** Only active providers usable in this organization (available there or above it). */
  readonly usableIn?: string;
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
  readonly lti1p3: Lti1p3Registration | null;
}

export interface ProviderChanges extends Partial<Omit<ProviderRecord, 'id' | 'ltiVersion' | 'lti1p1' | 'lti1p3'>> {
  readonly lti1p1?: { consumerKey: string; sealedSecret?: string; secretMask?: string; contentItemUrl?: string | null };
  readonly lti1p3?: Omit<Lti1p3Registration, 'clientId' | 'deploymentId'>;
}

/**
 * Port: LTI providers. Names are unique per owning organization (`conflict` on `name`). Writes need
 * an owning organization the scope covers (`not_found` otherwise). The unscoped finders serve the
 * LTI flows, which the tool's credentials or a launch already tied to its tenant.
 */
export abstract class LtiProviderRepository {
  /** Unscoped: for launches and tool services. */
  abstract findById(id: string): Promise<LtiProvider | null>;
  /** Those found, in one statement, in no particular order. */
  abstract findByIds(ids: readonly string[]): Promise<LtiProvider[]>;
  /** The provider when the scope sees it (owns it, or it is available somewhere the scope covers). */
  abstract findVisible(scope: TenantScope, id: string): Promise<LtiProvider | null>;
  /** The provider when it belongs to an organization the scope covers. */
  abstract findOwned(scope: TenantScope, id: string): Promise<LtiProvider | null>;
  /** What the scope sees. */
  abstract list(scope: TenantScope, query: ProviderListQuery): Promise<Page<LtiProvider>>;
  /** Every provider owned by an organization the scope covers (bulk export and import), by name. */
  abstract listOwned(scope: TenantScope): Promise<LtiProvider[]>;
  abstract create(scope: TenantScope, record: ProviderRecord): Promise<LtiProvider>;
  abstract update(scope: TenantScope, id: string, changes: ProviderChanges): Promise<LtiProvider>;
  /** Deletes the provider with its resource links (and, through them, their course activities). */
  abstract delete(scope: TenantScope, id: string): Promise<void>;
  /** The sealed LTI 1.1 shared secret, for signing and verifying only. */
  abstract findSealedSecret(id: string): Promise<string | null>;
  /** Unscoped: what a check of the tool's key found (the caller checked who may ask). */
  abstract recordKeyCheck(id: string, key: ToolKeyState): Promise<void>;
  /** LTI 1.1 providers with this consumer key (not unique: organizations may share a vendor's key). */
  abstract findByConsumerKey(consumerKey: string): Promise<LtiProvider[]>;
}
