import type { LaunchPerson } from '@tms/lti';

/**
 * What a launch sent, kept with its record for the launch inspector. Personal values are redacted
 * before it is written (never stored, so never shown, whoever reads the record later): an inspector
 * explains the shape of a launch and the rule each part satisfies, which needs no one's name or
 * email, and a redacted copy needs no key and outlives any change of the provider's privacy.
 */
export type LaunchSent =
  | {
      readonly version: '1.1';
      readonly url: string;
      readonly consumerKey: string;
      /** The signed form fields, oauth_signature included. */
      readonly parameters: Readonly<Record<string, string>>;
      /** RFC 5849 §3.4.1 signature base string of those fields (personal values redacted). */
      readonly baseString: string;
    }
  | {
      readonly version: '1.3';
      /** The id_token's claims as signed. */
      readonly claims: Readonly<Record<string, unknown>>;
      /** The OIDC exchange that led to it; absent on launches recorded before it was kept. */
      readonly exchange?: OidcExchange;
    };

/** How an LTI 1.3 launch got to its id_token (LTI Security 1.0 §5.1.1); nothing personal is in it. */
export interface OidcExchange {
  /** The third-party initiated login's parameters as we sent the browser to the tool with them (§5.1.1.1). */
  readonly login: Readonly<Record<string, string>>;
  /** The redirect_uri the tool's authentication request named, and the registered URI it matched exactly (§5.1.1.2). */
  readonly redirectUri: { readonly requested: string; readonly matched: string };
  /** The authentication response (§5.1.1.3): the id_token posted to that redirect_uri. */
  readonly ended: 'id_token_posted';
}

/** Kept bounded: any text longer than this is cut, and shorter still when the whole would pass MAX_BYTES. */
const MAX_TEXT = 2000;
const SHORT_TEXT = 200;
const MAX_BYTES = 64 * 1024;
export const REDACTED = '(personal value, not kept)';

/**
 * The test learner and test instructor of previews and self-tests are no one: nothing of theirs needs
 * redacting (and redacting "Learner" or "Test" would blank the role URIs).
 */
export const NO_ONE: LaunchPerson = {
  fullName: null,
  givenName: null,
  familyName: null,
  email: null,
  sourcedId: null,
  username: null,
};

/** The person's values as they may appear in what was sent, raw and percent-encoded (RFC 3986). */
function personalValues(person: LaunchPerson): string[] {
  const values = [person.fullName, person.givenName, person.familyName, person.email, person.sourcedId, person.username]
    .filter((v): v is string => typeof v === 'string' && v.length > 0)
    .sort((a, b) => b.length - a.length);
  const encode = (v: string) =>
    encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return [...new Set(values.flatMap((v) => [v, encode(v), encode(encode(v))]))];
}

function redactText(text: string, values: readonly string[], max: number): string {
  let out = text;
  // Most texts hold none of the values: looking costs less than splitting.
  for (const value of values) if (out.includes(value)) out = out.split(value).join(REDACTED);
  return out.length > max ? `${out.slice(0, max)}…` : out;
}

function redactDeep(value: unknown, values: readonly string[], max: number): unknown {
  if (typeof value === 'string') return redactText(value, values, max);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, values, max));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, values, max)]));
  }
  return value;
}

function redactWithin(sent: LaunchSent, values: readonly string[], max: number): LaunchSent {
  if (sent.version === '1.1') {
    return {
      ...sent,
      parameters: redactDeep(sent.parameters, values, max) as Record<string, string>,
      baseString: redactText(sent.baseString, values, max * 20),
    };
  }
  return { ...sent, claims: redactDeep(sent.claims, values, max) as Record<string, unknown> };
}

/** What was sent, without the person's values, within MAX_BYTES as JSON (a launch's custom parameters may be long). */
export function redactLaunchSent(sent: LaunchSent, person: LaunchPerson): LaunchSent {
  const values = personalValues(person);
  const kept = redactWithin(sent, values, MAX_TEXT);
  return JSON.stringify(kept).length <= MAX_BYTES ? kept : redactWithin(sent, values, SHORT_TEXT);
}
