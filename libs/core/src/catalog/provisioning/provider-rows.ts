import { checkToolUrl, formatCustomParameters, parseCustomParameters } from '@tms/lti';
import {
  CATALOG_STATUSES,
  COMPATIBILITY_SWITCHES,
  LTI_SERVICES,
  LTI_VERSIONS,
  LtiProvider,
  PRESENTATION_TARGETS,
  PRIVACY_LEVELS,
  USER_ID_SOURCES,
} from '../lti-provider';
import { ProviderInput } from '../provider-support';
import { OrganizationDirectory } from './provisioning-organizations';
import { ORGANIZATION_LIST_SEPARATOR, ProvisioningValues, RowReader } from './provisioning-row';

/** A provider row read into the service's input: the whole registration the row describes. */
export function readProviderRow(row: RowReader): ProviderInput {
  const ltiVersion = row.oneOf('ltiVersion', LTI_VERSIONS);
  if (!row.text('ltiVersion')) row.problems.add('ltiVersion', 'ltiVersion is required (1.1 or 1.3)');
  return {
    name: row.text('name', 200),
    ltiVersion,
    status: row.oneOf('status', CATALOG_STATUSES) ?? 'active',
    consumerKey: row.text('consumerKey', 255),
    sharedSecret: row.text('sharedSecret', 1000),
    contentItemUrl: row.text('contentItemUrl'),
    loginUrl: row.text('loginUrl'),
    redirectUris: ltiVersion === '1.3' || row.text('redirectUris') ? row.list('redirectUris') : undefined,
    targetLinkUri: row.text('targetLinkUri'),
    jwksUrl: row.text('jwksUrl'),
    publicKeyPem: row.block('publicKeyPem'),
    services: ltiVersion === '1.3' || row.text('services') ? row.list('services', LTI_SERVICES) : undefined,
    compatibility:
      ltiVersion === '1.3' || row.text('compatibility') ? row.list('compatibility', COMPATIBILITY_SWITCHES) : undefined,
    platformStorage: row.bool('platformStorage') ?? (ltiVersion === '1.3' ? false : undefined),
    customParameters: row.block('customParameters') ?? '',
    privacy: row.oneOf('privacy', PRIVACY_LEVELS) ?? 'public',
    userIdSource: row.oneOf('userIdSource', USER_ID_SOURCES) ?? 'internal',
    presentation: row.oneOf('presentation', PRESENTATION_TARGETS) ?? 'iframe',
    frameWidth: row.number('frameWidth', 100, 10000, true) ?? null,
    frameHeight: row.number('frameHeight', 100, 10000, true) ?? null,
  };
}

/** A masked secret (as an export writes it) says "keep the secret it has". */
export function isMaskedSecret(value: string | undefined): boolean {
  return value !== undefined && value.startsWith('•');
}

/**
 * What an import changes on an existing provider: only the fields whose value differs, so that
 * re-importing an export writes nothing. `sameSecret` says whether a clear secret is the stored one.
 */
export function providerChanges(
  current: LtiProvider,
  desired: ProviderInput,
  availability: readonly string[],
  sameSecret: boolean,
): ProviderInput {
  const changes: Record<string, unknown> = {};
  const differs = (field: keyof ProviderInput, now: unknown, wanted: unknown) => {
    if (wanted !== undefined && key(now) !== key(wanted)) changes[field] = wanted;
  };
  differs('ltiVersion', current.ltiVersion, desired.ltiVersion);
  differs('status', current.status, desired.status);
  differs('customParameters', formatCustomParameters(current.customParameters), normalizedParameters(desired));
  differs('privacy', current.privacy.level, desired.privacy);
  differs('userIdSource', current.privacy.userIdSource, desired.userIdSource);
  differs('presentation', current.presentation.target, desired.presentation);
  differs('frameWidth', current.presentation.width, desired.frameWidth);
  differs('frameHeight', current.presentation.height, desired.frameHeight);
  differs('availableOrganizationIds', [...availability].sort(), [...(desired.availableOrganizationIds ?? [])].sort());
  if (current.lti1p1) {
    differs('consumerKey', current.lti1p1.consumerKey, desired.consumerKey);
    differs('contentItemUrl', current.lti1p1.contentItemUrl, url(desired.contentItemUrl) ?? null);
    const secret = desired.sharedSecret;
    if (secret !== undefined && !isMaskedSecret(secret) && !sameSecret) changes.sharedSecret = secret;
  }
  if (current.lti1p3) {
    const registration = current.lti1p3;
    differs('loginUrl', registration.loginUrl, url(desired.loginUrl));
    differs(
      'redirectUris',
      registration.redirectUris,
      desired.redirectUris?.map((uri) => url(uri)),
    );
    differs('targetLinkUri', registration.targetLinkUri, url(desired.targetLinkUri));
    if (key(registration.jwksUrl) !== key(url(desired.jwksUrl) ?? null)) changes.jwksUrl = desired.jwksUrl;
    if (key(registration.publicKeyPem?.trim() ?? null) !== key(desired.publicKeyPem ?? null)) {
      changes.publicKeyPem = desired.publicKeyPem;
    }
    differs('services', [...registration.services].sort(), [...(desired.services ?? [])].sort());
    differs('compatibility', [...registration.compatibility].sort(), [...(desired.compatibility ?? [])].sort());
    differs('platformStorage', registration.platformStorage, desired.platformStorage);
  }
  // A field of the other version is kept so that the service refuses it by name.
  const foreign = current.lti1p1 ? (['loginUrl', 'targetLinkUri', 'jwksUrl', 'publicKeyPem'] as const) : [];
  for (const field of current.lti1p3 ? (['consumerKey', 'sharedSecret', 'contentItemUrl'] as const) : foreign) {
    if (desired[field] !== undefined) changes[field] = desired[field];
  }
  return changes as ProviderInput;
}

/** The row an export writes for a provider: secrets masked, organizations by path. */
export function providerRow(provider: LtiProvider, organizations: OrganizationDirectory): ProvisioningValues {
  const p1 = provider.lti1p1;
  const p3 = provider.lti1p3;
  return {
    kind: 'provider',
    organization: organizations.pathOf(provider.organizationId) ?? provider.organizationId,
    name: provider.name,
    status: provider.status,
    ltiVersion: provider.ltiVersion,
    consumerKey: p1?.consumerKey ?? '',
    sharedSecret: p1?.secretMask ?? '',
    contentItemUrl: p1?.contentItemUrl ?? '',
    clientId: p3?.clientId ?? '',
    deploymentId: p3?.deploymentId ?? '',
    loginUrl: p3?.loginUrl ?? '',
    redirectUris: p3?.redirectUris.join(' ') ?? '',
    targetLinkUri: p3?.targetLinkUri ?? '',
    jwksUrl: p3?.jwksUrl ?? '',
    publicKeyPem: p3?.publicKeyPem ?? '',
    services: p3?.services.join(' ') ?? '',
    compatibility: p3?.compatibility.join(' ') ?? '',
    platformStorage: p3 ? String(p3.platformStorage) : '',
    privacy: provider.privacy.level,
    userIdSource: provider.privacy.userIdSource,
    presentation: provider.presentation.target,
    frameWidth: provider.presentation.width?.toString() ?? '',
    frameHeight: provider.presentation.height?.toString() ?? '',
    customParameters: formatCustomParameters(provider.customParameters),
    availableOrganizations: organizationList(provider.availableOrganizationIds, organizations),
  };
}

/** The organizations the admin manages among `ids`, by path. */
export function organizationList(ids: readonly string[], organizations: OrganizationDirectory): string {
  return ids
    .map((id) => organizations.pathOf(id))
    .filter((path): path is string => path !== undefined)
    .sort()
    .join(`${ORGANIZATION_LIST_SEPARATOR} `);
}

/** Custom parameters as the service stores them (`custom_` dropped, one per line), to compare. */
export function normalizedParameters(input: { readonly customParameters?: string }): string | undefined {
  if (input.customParameters === undefined) return undefined;
  const parsed = parseCustomParameters(input.customParameters);
  return parsed.ok ? formatCustomParameters(parsed.parameters) : input.customParameters;
}

function url(value: string | null | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  const check = checkToolUrl(value);
  return check.ok ? check.url : value;
}

function key(value: unknown): string {
  return JSON.stringify(value ?? null);
}
