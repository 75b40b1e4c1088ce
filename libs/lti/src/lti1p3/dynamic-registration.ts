import { checkToolUrl } from '../tool-url';
import { LTI1P3_MESSAGE_TYPES } from './lti1p3-claims';
import { OFFERED_SCOPES, SUPPORTED_CLAIMS } from './platform-configuration';

/** LTI Dynamic Registration 1.0 §3.5.1: where a tool says what it is in its client registration request. */
export const LTI_TOOL_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-tool-configuration';

/** RFC 7591 §3.2.2: the errors a registration endpoint answers a bad request with (HTTP 400). */
export type ClientRegistrationError = 'invalid_client_metadata' | 'invalid_redirect_uri';

export interface ToolMessage {
  readonly type: string;
  readonly targetLinkUri: string | null;
  readonly label: string | null;
}

/** A tool's client registration request (Dynamic Registration 1.0 §3.5.1; RFC 7591 §2), checked. */
export interface ToolRegistrationRequest {
  readonly clientName: string;
  readonly initiateLoginUri: string;
  readonly redirectUris: readonly string[];
  readonly jwksUri: string;
  readonly targetLinkUri: string;
  readonly scopes: readonly string[];
  readonly claims: readonly string[];
  readonly messages: readonly ToolMessage[];
  readonly customParameters: Readonly<Record<string, string>>;
  readonly domain: string | null;
  readonly description: string | null;
  readonly logoUri: string | null;
}

export type ClientRegistrationCheck =
  | { readonly ok: true; readonly request: ToolRegistrationRequest }
  | { readonly ok: false; readonly error: ClientRegistrationError; readonly description: string };

const MAX_REDIRECT_URIS = 20;
const MAX_TEXT = 500;
const OFFERED_MESSAGES: readonly string[] = [
  LTI1P3_MESSAGE_TYPES.resourceLink,
  LTI1P3_MESSAGE_TYPES.deepLinkingRequest,
];

class Refusal extends Error {
  constructor(
    readonly error: ClientRegistrationError,
    readonly description: string,
  ) {
    super(description);
  }
}

const metadata = (description: string) => new Refusal('invalid_client_metadata', description);

function url(value: unknown, name: string, error: ClientRegistrationError = 'invalid_client_metadata'): string {
  if (typeof value !== 'string') throw new Refusal(error, `${name} must be a URL`);
  const check = checkToolUrl(value);
  if (!check.ok) throw new Refusal(error, `${name} ${check.reason}`);
  return check.url;
}

function text(value: unknown, name: string, required = false): string | null {
  if (value === undefined || value === null || value === '') {
    if (required) throw metadata(`${name} is required`);
    return null;
  }
  if (typeof value !== 'string') throw metadata(`${name} must be a string`);
  return value.slice(0, MAX_TEXT);
}

function strings(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw metadata(`${name} must be a list of strings`);
  return value as string[];
}

/** §3.5.1: exactly the grant and response types of an LTI tool, nothing else. */
function checkFixedMembers(body: Record<string, unknown>): void {
  const grants = strings(body.grant_types, 'grant_types');
  if ([...grants].sort().join(' ') !== 'client_credentials implicit') {
    throw metadata('grant_types must be exactly ["implicit", "client_credentials"]');
  }
  const responses = strings(body.response_types, 'response_types');
  if (responses.length !== 1 || responses[0] !== 'id_token') throw metadata('response_types must be ["id_token"]');
  if (body.token_endpoint_auth_method !== 'private_key_jwt') {
    throw metadata('token_endpoint_auth_method must be private_key_jwt');
  }
  if (body.application_type !== undefined && body.application_type !== 'web') {
    throw metadata('application_type must be web');
  }
}

/** §3.5.1: redirect URIs on the host of the login initiation URI (a tool redirects only to itself). */
function redirectUris(value: unknown, loginHost: string): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new Refusal('invalid_redirect_uri', 'redirect_uris needs at least one URI');
  }
  if (value.length > MAX_REDIRECT_URIS)
    throw new Refusal('invalid_redirect_uri', `redirect_uris takes at most ${MAX_REDIRECT_URIS}`);
  const uris = value.map((v, i) => url(v, `redirect_uris[${i}]`, 'invalid_redirect_uri'));
  for (const uri of uris) {
    if (new URL(uri).host !== loginHost) {
      throw new Refusal(
        'invalid_redirect_uri',
        `redirect URI ${uri} is not on the host of initiate_login_uri (${loginHost})`,
      );
    }
  }
  return [...new Set(uris)];
}

function messages(value: unknown): ToolMessage[] {
  if (value === undefined) return [{ type: LTI1P3_MESSAGE_TYPES.resourceLink, targetLinkUri: null, label: null }];
  if (!Array.isArray(value)) throw metadata('messages must be a list');
  return value.map((m: unknown, i) => {
    if (typeof m !== 'object' || m === null) throw metadata(`messages[${i}] must be an object`);
    const message = m as Record<string, unknown>;
    if (typeof message.type !== 'string' || !OFFERED_MESSAGES.includes(message.type)) {
      throw metadata(`messages[${i}].type must be one of ${OFFERED_MESSAGES.join(', ')}`);
    }
    return {
      type: message.type,
      targetLinkUri:
        message.target_link_uri === undefined ? null : url(message.target_link_uri, `messages[${i}].target_link_uri`),
      label: text(message.label, `messages[${i}].label`),
    };
  });
}

function customParameters(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw metadata('custom_parameters must be an object');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.some(([, v]) => typeof v !== 'string')) throw metadata('custom_parameters values must be strings');
  return Object.fromEntries(entries) as Record<string, string>;
}

/**
 * Checks a tool's client registration request (LTI Dynamic Registration 1.0 §3.5.1; RFC 7591 §2)
 * against what we offer: the first problem found is the answer (RFC 7591 §3.2.2 names one error).
 * The JWKS URI is only spelled right here; the platform fetches it through its guarded client.
 */
export function checkClientRegistration(body: unknown): ClientRegistrationCheck {
  try {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw metadata('The request must be a JSON object');
    const request = body as Record<string, unknown>;
    checkFixedMembers(request);
    const initiateLoginUri = url(request.initiate_login_uri, 'initiate_login_uri');
    const uris = redirectUris(request.redirect_uris, new URL(initiateLoginUri).host);
    const jwksUri = url(request.jwks_uri, 'jwks_uri');
    const scopes = text(request.scope, 'scope')?.split(/\s+/).filter(Boolean) ?? [];
    const unknownScope = scopes.find((s) => !OFFERED_SCOPES.includes(s));
    if (unknownScope) throw metadata(`scope ${unknownScope} is not offered by this platform`);
    const tool = request[LTI_TOOL_CONFIGURATION];
    if (typeof tool !== 'object' || tool === null || Array.isArray(tool))
      throw metadata(`${LTI_TOOL_CONFIGURATION} is required`);
    const config = tool as Record<string, unknown>;
    const claims = config.claims === undefined ? [] : strings(config.claims, 'claims');
    const unknownClaim = claims.find((c) => !SUPPORTED_CLAIMS.includes(c));
    if (unknownClaim) throw metadata(`claim ${unknownClaim} is not supported by this platform`);
    return {
      ok: true,
      request: {
        clientName: text(request.client_name, 'client_name', true)!,
        initiateLoginUri,
        redirectUris: uris,
        jwksUri,
        targetLinkUri: url(config.target_link_uri, 'target_link_uri'),
        scopes: [...new Set(scopes)],
        claims: [...new Set(claims)],
        messages: messages(config.messages),
        customParameters: customParameters(config.custom_parameters),
        domain: text(config.domain, 'domain'),
        description: text(config.description, 'description'),
        logoUri: request.logo_uri === undefined ? null : url(request.logo_uri, 'logo_uri'),
      },
    };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, error: error.error, description: error.description };
    throw error;
  }
}
