import { checkToolUrl, formatCustomParameters } from '@tms/lti';
import { CATALOG_STATUSES } from '../lti-provider';
import { NamedResourceLink } from '../lti-resource-link.repository';
import { ResourceLinkInput } from '../lti-resource-links.service';
import { OrganizationDirectory } from './provisioning-organizations';
import { normalizedParameters, organizationList } from './provider-rows';
import { ProvisioningValues, RowReader } from './provisioning-row';

/** A resource link row read into the service's input (its organizations and provider resolved apart). */
export function readLinkRow(row: RowReader): ResourceLinkInput {
  if (!row.text('url')) row.problems.add('url', 'url is required');
  const requiresScoreForCompletion = row.bool('requiresScoreForCompletion') ?? false;
  return {
    name: row.text('name', 200),
    url: row.text('url'),
    status: row.oneOf('status', CATALOG_STATUSES) ?? 'active',
    customParameters: row.block('customParameters') ?? '',
    requiresScoreForCompletion,
    passingScore: row.number('passingScore', 0, 100, false) ?? null,
  };
}

/** What an import changes on an existing link: only the fields whose value differs. */
export function linkChanges(
  current: NamedResourceLink,
  desired: ResourceLinkInput,
  availability: readonly string[],
): ResourceLinkInput {
  const changes: Record<string, unknown> = {};
  const differs = (field: keyof ResourceLinkInput, now: unknown, wanted: unknown) => {
    if (wanted !== undefined && JSON.stringify(now ?? null) !== JSON.stringify(wanted ?? null)) changes[field] = wanted;
  };
  const url = desired.url === undefined ? undefined : checkToolUrl(desired.url);
  differs('url', current.url, url?.ok ? url.url : desired.url);
  differs('status', current.status, desired.status);
  differs('customParameters', formatCustomParameters(current.customParameters), normalizedParameters(desired));
  differs('requiresScoreForCompletion', current.requiresScoreForCompletion, desired.requiresScoreForCompletion);
  differs('passingScore', current.passingScore, desired.passingScore);
  differs('availableOrganizationIds', [...availability].sort(), [...(desired.availableOrganizationIds ?? [])].sort());
  if (desired.providerId !== undefined && desired.providerId !== current.providerId) {
    changes.providerId = desired.providerId;
  }
  return changes as ResourceLinkInput;
}

/**
 * The row an export writes for a link. Its provider is named by name and owning organization
 * when the admin manages that organization, by id otherwise (a provider shared from above).
 */
export function linkRow(
  link: NamedResourceLink,
  providerOrganizationId: string | undefined,
  organizations: OrganizationDirectory,
): ProvisioningValues {
  const providerPath = providerOrganizationId ? organizations.pathOf(providerOrganizationId) : undefined;
  return {
    kind: 'resource_link',
    organization: organizations.pathOf(link.organizationId) ?? link.organizationId,
    name: link.name,
    status: link.status,
    provider: providerPath !== undefined ? link.providerName : link.providerId,
    providerOrganization: providerPath ?? '',
    url: link.url,
    requiresScoreForCompletion: String(link.requiresScoreForCompletion),
    passingScore: link.passingScore?.toString() ?? '',
    customParameters: formatCustomParameters(link.customParameters),
    availableOrganizations: organizationList(link.availableOrganizationIds, organizations),
  };
}
