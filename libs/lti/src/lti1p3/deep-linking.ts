import { readItemBasics, readLineItem, SelectedLtiLink } from '../selected-links';
import { CUSTOM_PARAMETER_LIMITS, CustomParameter } from '../custom-parameters';
import { LIS_ROLES, LTI_CLAIM, LTI1P3_MESSAGE_TYPES } from './lti1p3-claims';

/** What we offer a tool in a Deep Linking request (Deep Linking 2.0 §4.4.1): LTI resource links only. */
export const DEEP_LINKING_ACCEPT_TYPES = ['ltiResourceLink'] as const;
const ITEMS_MAX = 50;

/** The `deep_linking_settings` claim; booleans are JSON booleans, as the spec requires. */
export function deepLinkingSettingsClaim(settings: {
  readonly returnUrl: string;
  readonly data: string;
  readonly acceptMultiple: boolean;
  readonly title?: string;
}) {
  return {
    [LTI_CLAIM.deepLinkingSettings]: {
      deep_link_return_url: settings.returnUrl,
      accept_types: [...DEEP_LINKING_ACCEPT_TYPES],
      accept_presentation_document_targets: ['iframe', 'window'],
      accept_multiple: settings.acceptMultiple,
      auto_create: false,
      data: settings.data,
      ...(settings.title ? { title: settings.title } : {}),
    },
  };
}

/** Roles of an author picking content (LTI Core 1.3 Appendix A.2). */
export const DEEP_LINKING_ROLES = [LIS_ROLES.instructor, LIS_ROLES.contentDeveloper] as const;

export type DeepLinkingResponse =
  | {
      readonly ok: true;
      /** Empty: the author cancelled. */
      readonly items: readonly SelectedLtiLink[];
      readonly message: string | null;
      readonly errorMessage: string | null;
      readonly log: string | null;
      readonly errorLog: string | null;
    }
  | { readonly ok: false; readonly reason: string };

/**
 * The claims of an `LtiDeepLinkingResponse` whose signature, iss, aud, exp and iat were verified
 * (Deep Linking 2.0 §4.5): message type and version, our deployment, our `data` back unchanged,
 * only the item types offered, no more items than allowed. Anything wrong refuses all of it.
 */
export function checkDeepLinkingResponse(
  payload: Readonly<Record<string, unknown>>,
  expected: { readonly deploymentId: string; readonly data: string | null; readonly acceptMultiple: boolean },
): DeepLinkingResponse {
  if (payload[LTI_CLAIM.messageType] !== LTI1P3_MESSAGE_TYPES.deepLinkingResponse) {
    return { ok: false, reason: 'message_type must be LtiDeepLinkingResponse' };
  }
  if (payload[LTI_CLAIM.version] !== '1.3.0') return { ok: false, reason: 'version must be 1.3.0' };
  if (payload[LTI_CLAIM.deploymentId] !== expected.deploymentId) {
    return { ok: false, reason: 'deployment_id is not the one of this registration' };
  }
  if (expected.data !== null && payload[LTI_CLAIM.data] !== expected.data) {
    return { ok: false, reason: 'data is not what the request sent' };
  }
  const text = (claim: string) => {
    const value = payload[claim];
    return typeof value === 'string' && value.trim() ? value.trim().slice(0, 1000) : null;
  };
  const messages = {
    message: text(LTI_CLAIM.dlMessage),
    errorMessage: text(LTI_CLAIM.dlErrorMessage),
    log: text(LTI_CLAIM.dlLog),
    errorLog: text(LTI_CLAIM.dlErrorLog),
  };
  const items = payload[LTI_CLAIM.contentItems] ?? [];
  if (!Array.isArray(items)) return { ok: false, reason: 'content_items must be a list' };
  if (items.length > (expected.acceptMultiple ? ITEMS_MAX : 1)) {
    return {
      ok: false,
      reason: expected.acceptMultiple ? `At most ${ITEMS_MAX} items` : 'Only one item was asked for',
    };
  }
  const links: SelectedLtiLink[] = [];
  for (const [index, item] of items.entries()) {
    const read = readResourceLink(item);
    if (typeof read === 'string') return { ok: false, reason: `Item ${index + 1}: ${read}` };
    links.push(read);
  }
  return { ok: true, items: links, ...messages };
}

function readResourceLink(item: unknown): SelectedLtiLink | string {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return 'not an object';
  const link = item as Record<string, unknown>;
  if (!DEEP_LINKING_ACCEPT_TYPES.includes(link.type as 'ltiResourceLink')) {
    return `type ${JSON.stringify(link.type)} was not offered (only ltiResourceLink)`;
  }
  const basics = readItemBasics(link);
  if (typeof basics === 'string') return basics;
  const customParameters = readCustom(link.custom ?? {});
  if (typeof customParameters === 'string') return customParameters;
  const lineItem = readLineItem(link.lineItem, (link.lineItem as { scoreMaximum?: unknown } | null)?.scoreMaximum);
  if (typeof lineItem === 'string') return lineItem;
  const window = (link.window ?? null) as Record<string, unknown> | null;
  const iframe = (link.iframe ?? null) as Record<string, unknown> | null;
  return {
    ...basics,
    customParameters,
    takesScore: lineItem !== null,
    lineItem,
    presentationTarget: iframe ? 'iframe' : window ? 'window' : null,
  };
}

const CUSTOM_NAME = /^[\x21-\x3c\x3e-\x7e]+$/;

/**
 * An item's `custom` map, kept exactly as the tool wrote it (Deep Linking 2.0 §3.4.2: it comes back in
 * the launches of that link): names of visible characters without "=" (they are stored as the
 * administrators' name=value lines), string values without line breaks.
 */
function readCustom(custom: unknown): CustomParameter[] | string {
  if (typeof custom !== 'object' || custom === null || Array.isArray(custom)) return 'custom must be an object';
  const entries = Object.entries(custom as Record<string, unknown>);
  if (entries.length > CUSTOM_PARAMETER_LIMITS.lines)
    return `custom: at most ${CUSTOM_PARAMETER_LIMITS.lines} parameters`;
  for (const [name, value] of entries) {
    if (typeof value !== 'string') return 'custom values must be strings';
    if (!CUSTOM_NAME.test(name) || name.length > CUSTOM_PARAMETER_LIMITS.name) {
      return `custom name ${JSON.stringify(name.slice(0, 40))} is not valid (visible characters, no spaces or "=")`;
    }
    if (/[\r\n]/.test(value) || value.length > CUSTOM_PARAMETER_LIMITS.value) {
      return `custom value of ${JSON.stringify(name)} has a line break or is too long`;
    }
  }
  return entries.map(([name, value]) => ({ name, value: value as string }));
}
