import { generateKeyPairSync, KeyObject, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { ApiClient } from './api-client';

/**
 * A tool's side of the LTI Advantage services, written against the wire formats only (LTI Security
 * 1.0 §4.1, AGS 2.0, NRPS 2.0): the scopes, and an access token from the platform's token endpoint
 * for a client assertion signed with the tool's own key.
 */
export const AGS_SCOPES = {
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineItemReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  resultReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
};
export const NRPS_MEMBERSHIP_SCOPE = 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly';

/** The LIS context roles of the members NRPS answers and of launches (the LIS v2 membership vocabulary). */
export const LIS_MEMBERSHIP_ROLES = {
  learner: 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner',
  instructor: 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor',
};

/** NRPS 2.0 §2.2: one member as the service answers it (person fields as the tool's privacy allows). */
export interface NrpsMember {
  status: string;
  user_id: string;
  roles: string[];
  name?: string;
  given_name?: string;
  family_name?: string;
  email?: string;
}

/** Each member's status, by user id. */
export function statusesOf(members: readonly NrpsMember[]): Record<string, string> {
  return Object.fromEntries(members.map((member) => [member.user_id, member.status]));
}

/**
 * The URL an answer's `Link` header gives for `rel` (RFC 8288), as NRPS and AGS page and NRPS links
 * differences: from the answer, or from the header's text when a test kept only that.
 */
export function linkOf(from: Response | string | null, rel: string): string | undefined {
  const header = from === null || typeof from === 'string' ? from : from.headers.get('link');
  return new RegExp(`<([^>]+)>; rel="${rel}"`).exec(header ?? '')?.[1];
}

/** AGS 2.0 §3.2: the line item as the service answers it. */
export interface LineItemJson {
  id: string;
  label: string;
  scoreMaximum: number;
  resourceLinkId?: string;
  resourceId?: string;
  tag?: string;
}

export interface ServiceClient {
  readonly clientId: string;
  readonly privateKey: KeyObject;
}

/** A registered LTI 1.3 tool as the test calls the services with it: its provider id, deployment and key. */
export interface RegisteredServiceTool extends ServiceClient {
  readonly id: string;
  readonly deploymentId: string;
}

/**
 * Registers an LTI 1.3 tool whose key the test holds, available to its organization, to call the
 * services directly; it is never launched (its URLs lead to the discard port). `registration` adds
 * to or overrides the provider's fields.
 */
export async function registerServiceTool(
  admin: ApiClient,
  registration: { name: string; organizationId: string; services: readonly string[] } & Record<string, unknown>,
): Promise<RegisteredServiceTool> {
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const created = await admin.post('/api/v1/lti/providers', {
    ltiVersion: '1.3',
    loginUrl: 'http://127.0.0.1:9/login',
    redirectUris: ['http://127.0.0.1:9/launch'],
    targetLinkUri: 'http://127.0.0.1:9/launch',
    publicKeyPem: String(key.publicKey.export({ type: 'spki', format: 'pem' })),
    availableOrganizationIds: [registration.organizationId],
    ...registration,
  });
  if (created.status !== 201) throw new Error(`registering ${registration.name}: ${created.status} ${created.text}`);
  const { clientId, deploymentId } = created.body.platform as { clientId: string; deploymentId: string };
  return { id: created.body.id, clientId, deploymentId, privateKey: key.privateKey };
}

/** A fresh access token for `scope` (space-separated); throws with the answer when none is granted. */
export async function requestServiceToken(baseUrl: string, client: ServiceClient, scope: string): Promise<string> {
  const response = await sendTokenRequest(baseUrl, client, scope);
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
  return body.access_token;
}

/** The token endpoint's answer to a client credentials grant with a fresh client assertion. */
export async function sendTokenRequest(baseUrl: string, client: ServiceClient, scope: string): Promise<Response> {
  const tokenUrl = `${baseUrl}/lti/1p3/token`;
  const now = Math.floor(Date.now() / 1000);
  const assertion = await new SignJWT({ iss: client.clientId, sub: client.clientId, aud: tokenUrl, jti: randomUUID() })
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuedAt(now)
    .setExpirationTime(now + 60)
    .sign(client.privateKey);
  return fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
      scope,
    }).toString(),
  });
}
