import {
  CATALOG_STATUSES,
  LtiProvider,
  presentationOf,
  COMPATIBILITY_SWITCHES,
  LTI_SERVICES,
  LTI_VERSIONS,
  OrganizationNode,
  PRESENTATION_TARGETS,
  PRIVACY_LEVELS,
  USER_ID_SOURCES,
} from '@tms/core';
import {
  choices,
  COMPATIBILITY_LABELS,
  organizationChoices,
  PRESENTATION_LABELS,
  PRIVACY_LABELS,
  SERVICE_LABELS,
  STATUS_LABELS,
  USER_ID_SOURCE_LABELS,
} from './catalog-forms';
import { FormBody } from '../shared/forms';
import { ProviderDto } from './provider.dto';

/** The choices the provider form and list filters offer. */
export function providerFormOptions(tree: readonly OrganizationNode[]) {
  return {
    organizations: organizationChoices(tree),
    versions: choices(LTI_VERSIONS, { '1.1': 'LTI 1.1', '1.3': 'LTI 1.3' }),
    statuses: choices(CATALOG_STATUSES, STATUS_LABELS),
    privacy: choices(PRIVACY_LEVELS, PRIVACY_LABELS),
    userIdSources: choices(USER_ID_SOURCES, USER_ID_SOURCE_LABELS),
    presentations: choices(PRESENTATION_TARGETS, PRESENTATION_LABELS),
    services: choices(LTI_SERVICES, SERVICE_LABELS),
    compatibility: choices(COMPATIBILITY_SWITCHES, COMPATIBILITY_LABELS),
  };
}

/** A stored provider as its edit form shows it (lists as lines); the secret is not part of the DTO at all. */
export function providerFormValues(provider: ProviderDto): FormBody {
  return {
    name: provider.name,
    organizationId: provider.organizationId,
    ltiVersion: provider.ltiVersion,
    consumerKey: provider.consumerKey,
    contentItemUrl: provider.contentItemUrl,
    replacesProviderId: provider.replacesProviderId,
    loginUrl: provider.loginUrl,
    redirectUris: provider.redirectUris?.join('\n'),
    targetLinkUri: provider.targetLinkUri,
    jwksUrl: provider.jwksUrl,
    publicKeyPem: provider.publicKeyPem,
    services: provider.services,
    compatibility: provider.compatibility,
    platformStorage: provider.platformStorage,
    customParameters: provider.customParameters,
    privacy: provider.privacy,
    userIdSource: provider.userIdSource,
    presentation: provider.presentation,
    frameWidth: provider.frameWidth,
    frameHeight: provider.frameHeight,
    availableOrganizationIds: provider.availableOrganizationIds,
  };
}

/**
 * What a launch of this provider does, and why: the form says it beside the presentation, as the
 * launch page will decide it (presentationOf) for the platform at `publicUrl`.
 */
export function presentationNote(provider: LtiProvider, publicUrl: string): string {
  switch (presentationOf(provider, publicUrl).path) {
    case 'frame':
      return provider.lti1p3
        ? 'Launches open in the frame: the tool is on the same site as this platform, so its login cookie is first-party.'
        : 'Launches open in the frame.';
    case 'frame_platform_storage':
      return 'Launches open in the frame although the tool is on another site: it keeps its login state in the platform storage of the launch page, not in a cookie.';
    case 'window':
      return 'Launches open in a new window.';
    case 'window_fallback':
      return 'Launches open in a new window although “In a frame” is chosen: the tool is on another site and does not use platform storage, and browsers that block third-party cookies would drop its login cookie inside our page.';
  }
}
