import type { CustomParameter } from '@tms/lti';

export const LTI_VERSIONS = ['1.1', '1.3'] as const;
export type LtiVersion = (typeof LTI_VERSIONS)[number];

export const CATALOG_STATUSES = ['active', 'disabled'] as const;
export type CatalogStatus = (typeof CATALOG_STATUSES)[number];

/** What identity a launch carries about the person (LTI 1.1 `lis_person_*`, LTI 1.3 name/email claims). */
export const PRIVACY_LEVELS = ['anonymous', 'name_only', 'email_only', 'public'] as const;
export type PrivacyLevel = (typeof PRIVACY_LEVELS)[number];

/**
 * Which of our identifiers the tool receives as the user id (and `lis_person_sourcedid`). Tools
 * that match accounts by an SIS or login id need one of those (seed 004: "the LIS ID sent by the LMS
 * must match either the Tech Id, Login Id, or email").
 */
export const USER_ID_SOURCES = ['internal', 'sis_id', 'login_id'] as const;
export type UserIdSource = (typeof USER_ID_SOURCES)[number];

export const PRESENTATION_TARGETS = ['iframe', 'window'] as const;
export type PresentationTarget = (typeof PRESENTATION_TARGETS)[number];

/** LTI Advantage services a 1.3 tool may be granted. */
export const LTI_SERVICES = ['grades', 'roster', 'deep_linking', 'notices'] as const;
export type LtiService = (typeof LTI_SERVICES)[number];

/**
 * Named, per-provider allowances for real tools that deviate from the 1EdTech specs. Strict is the
 * default; each switch relaxes exactly one check, for the one tool that needs it.
 * - `ags_plain_json`: AGS line items and scores sent as `application/json` instead of their AGS
 *   media types (AGS 2.0 §3.2, §3.4 require `application/vnd.ims.lis.v2.lineitem+json` and
 *   `application/vnd.ims.lis.v1.score+json`; some tool libraries send plain JSON).
 */
export const COMPATIBILITY_SWITCHES = ['ags_plain_json'] as const;
export type CompatibilitySwitch = (typeof COMPATIBILITY_SWITCHES)[number];

export interface ProviderPrivacy {
  readonly level: PrivacyLevel;
  readonly userIdSource: UserIdSource;
}

/**
 * The user id a tool knows a person by, by the provider's choice (LTI 1.1.1 §3 `user_id`; LTI Core
 * 1.3 §5.3.6 `sub`); null when the person has no such identifier.
 */
export function ltiUserIdOf(
  user: { readonly id: string; readonly sisId: string | null; readonly loginId: string | null },
  privacy: ProviderPrivacy,
): string | null {
  return privacy.userIdSource === 'sis_id' ? user.sisId : privacy.userIdSource === 'login_id' ? user.loginId : user.id;
}

export interface LaunchPresentation {
  readonly target: PresentationTarget;
  /** Pixels; null lets the page decide. */
  readonly width: number | null;
  readonly height: number | null;
}

export interface Lti1p1Registration {
  readonly consumerKey: string;
  /** The shared secret itself never leaves the database unsealed except to sign or verify. */
  readonly secretMask: string;
  /** Where the tool accepts a Content-Item selection request (1.1 deep linking); null: it does not. */
  readonly contentItemUrl: string | null;
}

/**
 * Whether we hold a usable public key of a 1.3 tool. A tool may be registered before it has a key:
 * many tools (ltijs among them) make theirs only once they know the client_id we issue, so a JWKS URL
 * that serves no key yet is saved as `waiting` and checked again on demand and before a launch.
 */
export const TOOL_KEY_STATUSES = ['ready', 'waiting'] as const;
export type ToolKeyStatus = (typeof TOOL_KEY_STATUSES)[number];

export interface ToolKeyState {
  readonly status: ToolKeyStatus;
  /** Why the last check found no usable key ("jwksUrl answered HTTP 404"); null when ready. */
  readonly problem: string | null;
  /** When the JWKS URL was last fetched; null for a pasted PEM or a provider never checked. */
  readonly checkedAt: Date | null;
}

export const KEY_READY: ToolKeyState = { status: 'ready', problem: null, checkedAt: null };

export interface Lti1p3Registration {
  /** Issued by us. */
  readonly clientId: string;
  readonly deploymentId: string;
  readonly loginUrl: string;
  readonly redirectUris: readonly string[];
  readonly targetLinkUri: string;
  readonly jwksUrl: string | null;
  readonly publicKeyPem: string | null;
  readonly key: ToolKeyState;
  readonly services: readonly LtiService[];
  readonly compatibility: readonly CompatibilitySwitch[];
  /**
   * The tool keeps its OIDC state in our platform storage (LTI Platform Storage, through
   * postMessage) when it cannot set a cookie: it can then open in our frame even from another site.
   */
  readonly platformStorage: boolean;
  /** The LTI 1.1 provider this one replaces: its launches carry the `lti1p1` migration claim. */
  readonly replacesProviderId: string | null;
}

/** What every tool registration has, whatever its version. */
interface ProviderBase {
  readonly id: string;
  readonly organizationId: string;
  readonly name: string;
  readonly status: CatalogStatus;
  readonly customParameters: readonly CustomParameter[];
  readonly privacy: ProviderPrivacy;
  readonly presentation: LaunchPresentation;
  readonly availableOrganizationIds: readonly string[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface Lti1p1Provider extends ProviderBase {
  readonly ltiVersion: '1.1';
  readonly lti1p1: Lti1p1Registration;
  readonly lti1p3: null;
}

export interface Lti1p3Provider extends ProviderBase {
  readonly ltiVersion: '1.3';
  readonly lti1p1: null;
  readonly lti1p3: Lti1p3Registration;
}

/**
 * A tool registration (DESIGN.md §2), told apart by its version: only that version's registration
 * is set, so checking `ltiVersion` (or the registration) hands the code the registration it needs.
 */
export type LtiProvider = Lti1p1Provider | Lti1p3Provider;

export function isLti1p1(provider: LtiProvider): provider is Lti1p1Provider {
  return provider.ltiVersion === '1.1';
}

export function isLti1p3(provider: LtiProvider): provider is Lti1p3Provider {
  return provider.ltiVersion === '1.3';
}

export const DEFAULT_PRIVACY: ProviderPrivacy = { level: 'public', userIdSource: 'internal' };
export const DEFAULT_PRESENTATION: LaunchPresentation = { target: 'iframe', width: null, height: null };
