import { createHmac } from 'node:crypto';
import type { CustomParameter } from '../custom-parameters';
import type {
  LaunchContextParams,
  LaunchPerson,
  LaunchPresentationParams,
  ToolConsumerInfo,
} from '../launch-variables';
import { substituteVariables, SubstitutionVariables } from '../substitution';

/** Claim names of LTI Core 1.3 §5 and the Advantage services, as the spec writes them. */
export const LTI_CLAIM = {
  messageType: 'https://purl.imsglobal.org/spec/lti/claim/message_type',
  version: 'https://purl.imsglobal.org/spec/lti/claim/version',
  deploymentId: 'https://purl.imsglobal.org/spec/lti/claim/deployment_id',
  targetLinkUri: 'https://purl.imsglobal.org/spec/lti/claim/target_link_uri',
  resourceLink: 'https://purl.imsglobal.org/spec/lti/claim/resource_link',
  roles: 'https://purl.imsglobal.org/spec/lti/claim/roles',
  context: 'https://purl.imsglobal.org/spec/lti/claim/context',
  toolPlatform: 'https://purl.imsglobal.org/spec/lti/claim/tool_platform',
  launchPresentation: 'https://purl.imsglobal.org/spec/lti/claim/launch_presentation',
  lis: 'https://purl.imsglobal.org/spec/lti/claim/lis',
  custom: 'https://purl.imsglobal.org/spec/lti/claim/custom',
  lti1p1: 'https://purl.imsglobal.org/spec/lti/claim/lti1p1',
  agsEndpoint: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice',
  deepLinkingSettings: 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings',
  contentItems: 'https://purl.imsglobal.org/spec/lti-dl/claim/content_items',
  data: 'https://purl.imsglobal.org/spec/lti-dl/claim/data',
  dlMessage: 'https://purl.imsglobal.org/spec/lti-dl/claim/msg',
  dlErrorMessage: 'https://purl.imsglobal.org/spec/lti-dl/claim/errormsg',
  dlLog: 'https://purl.imsglobal.org/spec/lti-dl/claim/log',
  dlErrorLog: 'https://purl.imsglobal.org/spec/lti-dl/claim/errorlog',
} as const;

export const LTI1P3_MESSAGE_TYPES = {
  resourceLink: 'LtiResourceLinkRequest',
  deepLinkingRequest: 'LtiDeepLinkingRequest',
  deepLinkingResponse: 'LtiDeepLinkingResponse',
  submissionReview: 'LtiSubmissionReviewRequest',
} as const;

/** LIS v2 vocabularies (LTI Core 1.3 Appendix A). */
export const LIS_ROLES = {
  learner: 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner',
  instructor: 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor',
  contentDeveloper: 'http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper',
  testUser: 'http://purl.imsglobal.org/vocab/lti/system/person#TestUser',
} as const;

export const CONTEXT_TYPES = {
  CourseSection: 'http://purl.imsglobal.org/vocab/lis/v2/course#CourseSection',
  CourseOffering: 'http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering',
} as const;

/**
 * `oauth_consumer_key_sign` of the `lti1p1` migration claim (1EdTech "LTI 1.1 to LTI 1.3 migration",
 * §3): base64 HMAC-SHA256 with the 1.1 shared secret over
 * `oauth_consumer_key&deployment_id&iss&client_id&exp&nonce`.
 */
export function oauthConsumerKeySign(
  secret: string,
  fields: {
    readonly consumerKey: string;
    readonly deploymentId: string;
    readonly issuer: string;
    readonly clientId: string;
    readonly exp: number;
    readonly nonce: string;
  },
): string {
  const base = [
    fields.consumerKey,
    fields.deploymentId,
    fields.issuer,
    fields.clientId,
    String(fields.exp),
    fields.nonce,
  ];
  return createHmac('sha256', secret).update(base.join('&')).digest('base64');
}

/** Custom claim values are strings only (LTI Core 1.3 §5.4.6), substituted like 1.1's. */
export function customClaim(
  parameters: readonly CustomParameter[],
  variables: SubstitutionVariables,
): Record<string, string> {
  return Object.fromEntries(substituteVariables(parameters, variables).map((p) => [p.name, p.value]));
}

/** The person claims of an id_token (OIDC Core §5.1), only those the privacy setting let through. */
export function personClaims(person: LaunchPerson): Record<string, string> {
  const claims: Record<string, string | null> = {
    name: person.fullName,
    given_name: person.givenName,
    family_name: person.familyName,
    email: person.email,
  };
  return Object.fromEntries(Object.entries(claims).filter((entry): entry is [string, string] => entry[1] !== null));
}

export function contextClaim(context: LaunchContextParams) {
  return { id: context.id, label: context.label, title: context.title, type: [CONTEXT_TYPES[context.type]] };
}

export function toolPlatformClaim(toolConsumer: ToolConsumerInfo) {
  return {
    guid: toolConsumer.instanceGuid,
    name: toolConsumer.instanceName,
    product_family_code: toolConsumer.productFamilyCode,
    version: toolConsumer.version,
  };
}

/** What an LTI 1.3 launch says, before signing (LTI Core 1.3 §5.3, §5.4). */
export interface Lti1p3LaunchInput {
  readonly issuer: string;
  readonly clientId: string;
  readonly deploymentId: string;
  readonly nonce: string;
  readonly targetLinkUri: string;
  readonly messageType: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest' | 'LtiSubmissionReviewRequest';
  readonly userId: string;
  readonly person: LaunchPerson;
  readonly roles: readonly string[];
  readonly context: LaunchContextParams;
  readonly resourceLink: { readonly id: string; readonly title: string } | null;
  readonly customParameters: readonly CustomParameter[];
  readonly variables: SubstitutionVariables;
  readonly presentation: LaunchPresentationParams;
  readonly toolPlatform: ToolConsumerInfo;
  /** Service and migration claims, already shaped (`LTI_CLAIM.agsEndpoint`, `LTI_CLAIM.lti1p1`, …). */
  readonly extraClaims?: Readonly<Record<string, unknown>>;
}

/** The id_token payload without `iat`/`exp` (the signer sets them). */
export function lti1p3IdTokenClaims(input: Lti1p3LaunchInput): Record<string, unknown> {
  const { person, presentation } = input;
  const lis: Record<string, string> = {};
  if (person.sourcedId) lis.person_sourcedid = person.sourcedId;
  lis[input.context.type === 'CourseSection' ? 'course_section_sourcedid' : 'course_offering_sourcedid'] =
    input.context.id;
  const launchPresentation: Record<string, unknown> = {
    document_target: presentation.documentTarget,
    return_url: presentation.returnUrl,
    locale: presentation.locale,
    ...(presentation.width ? { width: presentation.width } : {}),
    ...(presentation.height ? { height: presentation.height } : {}),
  };
  return {
    iss: input.issuer,
    aud: input.clientId,
    azp: input.clientId,
    sub: input.userId,
    nonce: input.nonce,
    ...personClaims(person),
    [LTI_CLAIM.messageType]: input.messageType,
    [LTI_CLAIM.version]: '1.3.0',
    [LTI_CLAIM.deploymentId]: input.deploymentId,
    [LTI_CLAIM.targetLinkUri]: input.targetLinkUri,
    ...(input.resourceLink
      ? { [LTI_CLAIM.resourceLink]: { id: input.resourceLink.id, title: input.resourceLink.title } }
      : {}),
    [LTI_CLAIM.roles]: [...input.roles],
    [LTI_CLAIM.context]: contextClaim(input.context),
    [LTI_CLAIM.toolPlatform]: toolPlatformClaim(input.toolPlatform),
    [LTI_CLAIM.launchPresentation]: launchPresentation,
    [LTI_CLAIM.lis]: lis,
    [LTI_CLAIM.custom]: customClaim(input.customParameters, input.variables),
    ...input.extraClaims,
  };
}

/** An OIDC authentication request from a tool (OIDC Core §3.1.2.1 as profiled by LTI Security 1.0 §5.1.1.2). */
export interface AuthorizationRequest {
  readonly scope?: string;
  readonly response_type?: string;
  readonly client_id?: string;
  readonly redirect_uri?: string;
  readonly login_hint?: string;
  readonly state?: string;
  readonly response_mode?: string;
  readonly nonce?: string;
  readonly prompt?: string;
  readonly lti_message_hint?: string;
}

export type AuthorizationCheck =
  | { readonly ok: true }
  /** Before a redirect_uri is trusted: shown locally, nothing is posted anywhere. */
  | { readonly ok: false; readonly local: true; readonly message: string }
  /** After: posted back to the redirect_uri as an OIDC error (OIDC Core §3.1.2.6). */
  | { readonly ok: false; readonly local: false; readonly error: string; readonly description: string };

/**
 * The checks that need only the request and the registration: an exactly registered redirect_uri
 * first (else nothing may be posted), then every fixed parameter.
 */
export function checkAuthorizationRequest(
  request: AuthorizationRequest,
  registration: { readonly clientId: string; readonly redirectUris: readonly string[] },
): AuthorizationCheck {
  if (request.client_id !== registration.clientId) {
    return { ok: false, local: true, message: 'The tool sent an unknown client_id.' };
  }
  if (!request.redirect_uri || !registration.redirectUris.includes(request.redirect_uri)) {
    return {
      ok: false,
      local: true,
      message: 'The tool asked to return to a redirect_uri that is not registered for it.',
    };
  }
  const fail = (error: string, description: string) => ({
    ok: false as const,
    local: false as const,
    error,
    description,
  });
  if (!request.scope?.split(' ').includes('openid')) return fail('invalid_scope', 'scope must include openid');
  if (request.response_type !== 'id_token') return fail('unsupported_response_type', 'response_type must be id_token');
  if (request.response_mode !== 'form_post') return fail('invalid_request', 'response_mode must be form_post');
  if (request.prompt !== 'none') return fail('invalid_request', 'prompt must be none: this platform does not prompt');
  if (!request.nonce) return fail('invalid_request', 'nonce is required');
  if (request.nonce.length > 255) return fail('invalid_request', 'nonce is too long');
  if (!request.login_hint) return fail('login_required', 'login_hint is required');
  if (!request.lti_message_hint) return fail('invalid_request', 'lti_message_hint is required');
  return { ok: true };
}
