import { LTI_CLAIM } from './lti1p3-claims';

/** Why each id_token claim of ours is there and what it must hold, with the spec section that says so. */
export const CLAIM_RULES: Readonly<Record<string, string>> = {
  iss: 'The platform’s issuer, our PUBLIC_URL (LTI Core 1.3 §5.1.2; OIDC Core §2)',
  aud: 'The client_id issued to this tool (OIDC Core §2)',
  azp: 'The client_id again, the authorized party (OIDC Core §2)',
  sub: 'The person’s stable id for this tool, as the provider’s user id source says (LTI Core 1.3 §5.3.6)',
  nonce: 'Echoes the nonce of the tool’s authentication request, against replay (OIDC Core §3.1.2.1)',
  iat: 'Issued at, seconds (OIDC Core §2)',
  exp: 'Expires at, seconds: a short life (OIDC Core §2)',
  name: 'Personal: sent only when the provider’s privacy allows names (OIDC Core §5.1)',
  given_name: 'Personal: sent only when the provider’s privacy allows names (OIDC Core §5.1)',
  family_name: 'Personal: sent only when the provider’s privacy allows names (OIDC Core §5.1)',
  email: 'Personal: sent only when the provider’s privacy allows the email (OIDC Core §5.1)',
  [LTI_CLAIM.messageType]: 'The message: LtiResourceLinkRequest for a launch (LTI Core 1.3 §5.3.1)',
  [LTI_CLAIM.version]: 'Always 1.3.0 (LTI Core 1.3 §5.3.2)',
  [LTI_CLAIM.deploymentId]: 'The deployment issued with the client_id (LTI Core 1.3 §5.3.3)',
  [LTI_CLAIM.targetLinkUri]: 'Where the launch lands: the resource link’s URL (LTI Core 1.3 §5.3.4)',
  [LTI_CLAIM.resourceLink]: 'The placement: its id, stable per activity and context (LTI Core 1.3 §5.3.5)',
  [LTI_CLAIM.roles]: 'The person’s roles in the context, LIS v2 URIs (LTI Core 1.3 §5.3.7)',
  [LTI_CLAIM.context]: 'The course or class the launch comes from (LTI Core 1.3 §5.4.1)',
  [LTI_CLAIM.toolPlatform]: 'About this platform (LTI Core 1.3 §5.4.2)',
  [LTI_CLAIM.launchPresentation]: 'Frame or window, size, locale and the return URL (LTI Core 1.3 §5.4.4)',
  [LTI_CLAIM.lis]: 'LIS identifiers of the person and course (LTI Core 1.3 §5.4.5)',
  [LTI_CLAIM.custom]: 'Custom parameters, substitution variables resolved (LTI Core 1.3 §5.4.6)',
  [LTI_CLAIM.lti1p1]: 'The LTI 1.1 identity this launch migrates, signed with its secret (LTI 1.3 Migration §4)',
  [LTI_CLAIM.agsEndpoint]: 'Grades: sent only to a tool granted the grades service (AGS 2.0 §3.1)',
  [LTI_CLAIM.nrps]: 'Roster: sent only to a tool granted the roster service (NRPS 2.0 §3.1)',
};

export function claimRule(claim: string): string {
  return CLAIM_RULES[claim] ?? 'Not one of ours: unexpected';
}
