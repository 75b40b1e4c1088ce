import { PNS_SCOPES } from './pns';

/**
 * LTI Advantage service scopes (AGS 2.0 §3.1, NRPS 2.0 §3.2) and the OAuth 2.0 client credentials
 * token request with a JWT client assertion (LTI Security 1.0 §4.1; RFC 6749 §4.4; RFC 7523 §2.2).
 */
export const AGS_SCOPES = {
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineItemReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  resultReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
} as const;

export const NRPS_SCOPES = {
  contextMembershipReadOnly: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
} as const;

/** What each service an administrator grants a tool lets it ask for. */
export const SERVICE_SCOPES: Readonly<Record<'grades' | 'roster' | 'deep_linking' | 'notices', readonly string[]>> = {
  grades: Object.values(AGS_SCOPES),
  roster: Object.values(NRPS_SCOPES),
  deep_linking: [],
  notices: Object.values(PNS_SCOPES),
};

export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** RFC 6749 §5.2 error codes. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope';

export type TokenRequestCheck =
  | { readonly ok: true; readonly assertion: string; readonly scopes: readonly string[] }
  | { readonly ok: false; readonly error: OAuthErrorCode; readonly description: string };

/** The form of a token request, before the assertion is looked at. */
export function checkTokenRequest(params: Readonly<Record<string, unknown>>): TokenRequestCheck {
  const fail = (error: OAuthErrorCode, description: string) => ({ ok: false as const, error, description });
  if (params.grant_type !== 'client_credentials') {
    return fail('unsupported_grant_type', 'grant_type must be client_credentials');
  }
  if (params.client_assertion_type !== JWT_BEARER_ASSERTION_TYPE) {
    return fail('invalid_request', `client_assertion_type must be ${JWT_BEARER_ASSERTION_TYPE}`);
  }
  if (typeof params.client_assertion !== 'string' || params.client_assertion === '') {
    return fail('invalid_request', 'client_assertion is required');
  }
  if (typeof params.scope !== 'string' || params.scope.trim() === '') {
    return fail('invalid_scope', 'scope is required: the space-separated service scopes wanted');
  }
  return { ok: true, assertion: params.client_assertion, scopes: [...new Set(params.scope.trim().split(/\s+/))] };
}

/** Granted scope = requested ∩ allowed (LTI Security 1.0 §4.1), in the order asked. */
export function grantedScopes(requested: readonly string[], services: readonly string[]): string[] {
  const allowed = new Set(services.flatMap((service) => SERVICE_SCOPES[service as keyof typeof SERVICE_SCOPES] ?? []));
  return requested.filter((scope) => allowed.has(scope));
}
