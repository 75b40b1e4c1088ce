import {
  DEFAULT_PRESENTATION,
  DEFAULT_PRIVACY,
  KEY_READY,
  Lti1p1Provider,
  Lti1p1Registration,
  Lti1p3Provider,
  Lti1p3Registration,
} from '../catalog/lti-provider';
import { LtiResourceLink } from '../catalog/lti-resource-link';
import { FIXED_TIME } from './fixed-time';

/** An LTI 1.1 tool registration; every field can be overridden, the registration field by field. */
export function lti1p1Provider(
  overrides: Partial<Omit<Lti1p1Provider, 'ltiVersion' | 'lti1p1' | 'lti1p3'>> = {},
  registration: Partial<Lti1p1Registration> = {},
): Lti1p1Provider {
  const id = overrides.id ?? 'provider-1p1';
  return {
    id,
    organizationId: `org-of-${id}`,
    name: id,
    status: 'active',
    customParameters: [],
    privacy: DEFAULT_PRIVACY,
    presentation: DEFAULT_PRESENTATION,
    availableOrganizationIds: [overrides.organizationId ?? `org-of-${id}`],
    createdAt: FIXED_TIME,
    updatedAt: FIXED_TIME,
    ...overrides,
    ltiVersion: '1.1',
    lti1p1: { consumerKey: 'vendor-key', secretMask: '••••••••', contentItemUrl: null, ...registration },
    lti1p3: null,
  };
}

/** An LTI 1.3 tool registration; every field can be overridden, the registration field by field. */
export function lti1p3Provider(
  overrides: Partial<Omit<Lti1p3Provider, 'ltiVersion' | 'lti1p1' | 'lti1p3'>> = {},
  registration: Partial<Lti1p3Registration> = {},
): Lti1p3Provider {
  const id = overrides.id ?? 'provider-1p3';
  return {
    id,
    organizationId: `org-of-${id}`,
    name: id,
    status: 'active',
    customParameters: [],
    privacy: DEFAULT_PRIVACY,
    presentation: { target: 'iframe', width: 800, height: 600 },
    availableOrganizationIds: [overrides.organizationId ?? `org-of-${id}`],
    createdAt: FIXED_TIME,
    updatedAt: FIXED_TIME,
    ...overrides,
    ltiVersion: '1.3',
    lti1p1: null,
    lti1p3: {
      clientId: 'client-1',
      deploymentId: 'deployment-1',
      loginUrl: 'https://tool.example/lti/login',
      redirectUris: ['https://tool.example/lti/launch'],
      targetLinkUri: 'https://tool.example/lti/launch',
      jwksUrl: 'https://tool.example/jwks',
      publicKeyPem: null,
      key: KEY_READY,
      services: [],
      compatibility: [],
      platformStorage: false,
      replacesProviderId: null,
      ...registration,
    },
  };
}

/** A catalog entry of `providerId`, available where it is owned. */
export function resourceLink(overrides: Partial<LtiResourceLink> = {}): LtiResourceLink {
  const organizationId = overrides.organizationId ?? 'org-1';
  return {
    id: 'link-1',
    organizationId,
    providerId: 'provider-1',
    name: 'Quiz',
    url: 'https://tool.example/lti/launch/quiz',
    customParameters: [],
    requiresScoreForCompletion: true,
    passingScore: null,
    lineItem: null,
    status: 'active',
    availableOrganizationIds: [organizationId],
    createdAt: FIXED_TIME,
    updatedAt: FIXED_TIME,
    ...overrides,
  };
}
