import { LTI1P3_MESSAGE_TYPES } from './lti1p3-claims';
import { AGS_SCOPES, NRPS_SCOPES } from './lti-services';
import { PNS_SCOPES } from './pns';
import { SUBSTITUTION_VARIABLES, SubstitutionVariable } from '../substitution';

/** LTI Dynamic Registration 1.0 §3.4: the key under which a platform describes itself as an LTI platform. */
export const LTI_PLATFORM_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-platform-configuration';

/** §3.4: every scope a tool may ask for here: `openid` for the launch, then the Advantage services we run. */
export const OFFERED_SCOPES: readonly string[] = [
  'openid',
  ...Object.values(AGS_SCOPES),
  ...Object.values(NRPS_SCOPES),
  ...Object.values(PNS_SCOPES),
];

/** The claims an id_token of ours may carry (OIDC Core §2, §5.1; LTI Core 1.3 §5): what a tool may ask for. */
export const SUPPORTED_CLAIMS: readonly string[] = [
  'iss',
  'sub',
  'aud',
  'exp',
  'iat',
  'nonce',
  'azp',
  'name',
  'given_name',
  'family_name',
  'email',
];

/** The OIDC claims that say who the person is: granted only as far as the provider's privacy allows. */
export const PERSONAL_CLAIMS: readonly string[] = ['name', 'given_name', 'family_name', 'email'];

/** Variables of LTI 1.1 Basic Outcomes and the 1.1 tool consumer: an LTI 1.3 launch has no such values. */
const LTI1P1_ONLY_VARIABLES: ReadonlySet<SubstitutionVariable> = new Set([
  'Result.sourcedId',
  'BasicOutcome.url',
  'ToolConsumerInstance.guid',
]);

/**
 * The substitution variables an LTI 1.3 launch of ours resolves (LTI Core 1.3 Appendix C), named as
 * Dynamic Registration §3.4 `variables` lists them: without the `$`. Derived from the one list
 * every launch substitutes from.
 */
export const LTI1P3_VARIABLES: readonly string[] = SUBSTITUTION_VARIABLES.filter(
  (variable) => !LTI1P1_ONLY_VARIABLES.has(variable),
);

/** The messages we send, and where (§3.4 `messages_supported`; placements are the platform's own words). */
export const SUPPORTED_MESSAGES = [
  { type: LTI1P3_MESSAGE_TYPES.resourceLink, placements: ['course_activity'] },
  { type: LTI1P3_MESSAGE_TYPES.deepLinkingRequest, placements: ['course_authoring'] },
  { type: LTI1P3_MESSAGE_TYPES.submissionReview, placements: ['grade_review'] },
] as const;

export interface PlatformEndpoints {
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly jwksUri: string;
  readonly registrationEndpoint: string;
}

export interface PlatformProduct {
  readonly productFamilyCode: string;
  readonly version: string;
}

/**
 * Our OpenID configuration (LTI Dynamic Registration 1.0 §3.4; OIDC Discovery 1.0 §3): what a tool
 * reads, from the URL we hand it as `openid_configuration`, to register itself with us.
 */
export function platformConfiguration(endpoints: PlatformEndpoints, product: PlatformProduct) {
  return {
    issuer: endpoints.issuer,
    authorization_endpoint: endpoints.authorizationEndpoint,
    token_endpoint: endpoints.tokenEndpoint,
    // §3.4: tools authenticate to the token endpoint with a JWT signed by their key (LTI Security 1.0 §4.1).
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256'],
    jwks_uri: endpoints.jwksUri,
    registration_endpoint: endpoints.registrationEndpoint,
    scopes_supported: [...OFFERED_SCOPES],
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    claims_supported: [...SUPPORTED_CLAIMS],
    [LTI_PLATFORM_CONFIGURATION]: {
      product_family_code: product.productFamilyCode,
      version: product.version,
      messages_supported: SUPPORTED_MESSAGES.map((m) => ({ type: m.type, placements: [...m.placements] })),
      variables: [...LTI1P3_VARIABLES],
    },
  };
}

export type PlatformConfiguration = ReturnType<typeof platformConfiguration>;
