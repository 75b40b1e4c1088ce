import { CustomParameter, parseCustomParameters } from '../custom-parameters';
import type { LaunchContextParams, ToolConsumerInfo } from '../launch-variables';
import { readItemBasics, readLineItem, SelectedLtiLink } from '../selected-links';
import { LTI1P1_MESSAGE_TYPES, LTI1P1_VERSION } from './lti1p1-launch';

/**
 * Content-Item Message 1.0 (LTI 1.1 deep linking): we ask the tool for LTI links only, the tool
 * answers with a signed `ContentItemSelection` whose `content_items` is a JSON-LD graph.
 * https://www.imsglobal.org/specs/lticiv1p0/specification
 */
export const LTI_LINK_MEDIA_TYPE = 'application/vnd.ims.lti.v1.ltilink';
const CONTENT_ITEM_CONTEXT = 'http://purl.imsglobal.org/ctx/lti/v1/ContentItem';
const ITEMS_MAX = 50;

export interface ContentItemRequestInput {
  readonly returnUrl: string;
  /** Opaque to the tool, echoed back: names our pending request. */
  readonly data: string;
  readonly userId: string;
  readonly roles: readonly string[];
  readonly context: LaunchContextParams;
  readonly toolConsumer: ToolConsumerInfo;
  readonly acceptMultiple: boolean;
  readonly locale: string;
}

/** The unsigned form fields of a `ContentItemSelectionRequest` (Content-Item 1.0 §4.1). */
export function contentItemRequestParams(input: ContentItemRequestInput): Record<string, string> {
  return {
    lti_message_type: LTI1P1_MESSAGE_TYPES.contentItemSelectionRequest,
    lti_version: LTI1P1_VERSION,
    accept_media_types: LTI_LINK_MEDIA_TYPE,
    accept_presentation_document_targets: 'iframe,window',
    accept_multiple: String(input.acceptMultiple),
    accept_unsigned: 'false',
    auto_create: 'false',
    can_confirm: 'false',
    content_item_return_url: input.returnUrl,
    data: input.data,
    user_id: input.userId,
    roles: input.roles.join(','),
    context_id: input.context.id,
    context_type: input.context.type,
    context_label: input.context.label,
    context_title: input.context.title,
    launch_presentation_locale: input.locale,
    launch_presentation_document_target: 'window',
    tool_consumer_instance_guid: input.toolConsumer.instanceGuid,
    tool_consumer_instance_name: input.toolConsumer.instanceName,
    tool_consumer_info_product_family_code: input.toolConsumer.productFamilyCode,
    tool_consumer_info_version: input.toolConsumer.version,
  };
}

export type ContentItemSelection =
  | {
      readonly ok: true;
      /** Empty: the author cancelled. */
      readonly items: readonly SelectedLtiLink[];
      readonly message: string | null;
      readonly errorMessage: string | null;
    }
  | { readonly ok: false; readonly reason: string };

/**
 * Reads a verified `ContentItemSelection` (§4.2): only LTI links, at most one unless several were
 * accepted, URLs by our tool-URL rules, custom parameters as strings. Anything else refuses the
 * whole selection, so nothing half-right is created.
 */
export function parseContentItemSelection(
  params: Readonly<Record<string, string | undefined>>,
  options: { readonly acceptMultiple: boolean },
): ContentItemSelection {
  if (params.lti_message_type !== LTI1P1_MESSAGE_TYPES.contentItemSelection) {
    return { ok: false, reason: 'lti_message_type must be ContentItemSelection' };
  }
  const text = (value: string | undefined) => (value?.trim() ? value.trim().slice(0, 1000) : null);
  const messages = { message: text(params.lti_msg), errorMessage: text(params.lti_errormsg) };
  if (!params.content_items) return { ok: true, items: [], ...messages };
  let graph: unknown;
  try {
    const document = JSON.parse(params.content_items) as { '@context'?: unknown; '@graph'?: unknown };
    if (document['@context'] !== undefined && !String(document['@context']).includes(CONTENT_ITEM_CONTEXT)) {
      return { ok: false, reason: `content_items has an unknown @context` };
    }
    graph = document['@graph'];
  } catch {
    return { ok: false, reason: 'content_items is not JSON' };
  }
  if (!Array.isArray(graph)) return { ok: false, reason: 'content_items has no @graph list' };
  if (graph.length > (options.acceptMultiple ? ITEMS_MAX : 1)) {
    return { ok: false, reason: options.acceptMultiple ? `At most ${ITEMS_MAX} items` : 'Only one item was asked for' };
  }
  const items: SelectedLtiLink[] = [];
  for (const [index, item] of graph.entries()) {
    const read = readLtiLink(item);
    if (typeof read === 'string') return { ok: false, reason: `Item ${index + 1}: ${read}` };
    items.push(read);
  }
  return { ok: true, items, ...messages };
}

function readLtiLink(item: unknown): SelectedLtiLink | string {
  if (!item || typeof item !== 'object') return 'not an object';
  const link = item as Record<string, unknown>;
  if (link['@type'] !== 'LtiLinkItem' || link.mediaType !== LTI_LINK_MEDIA_TYPE) {
    return `only LtiLinkItem items of media type ${LTI_LINK_MEDIA_TYPE} were asked for`;
  }
  const basics = readItemBasics(link);
  if (typeof basics === 'string') return basics;
  const custom = readCustom(link.custom);
  if (typeof custom === 'string') return custom;
  const target = (link.placementAdvice as { presentationDocumentTarget?: unknown } | undefined)
    ?.presentationDocumentTarget;
  // Content-Item puts the maximum in scoreConstraints (normalMaximum, or totalMaximum).
  const constraints = (link.lineItem as { scoreConstraints?: Record<string, unknown> } | null | undefined)
    ?.scoreConstraints;
  const lineItem = readLineItem(link.lineItem, constraints?.normalMaximum ?? constraints?.totalMaximum);
  if (typeof lineItem === 'string') return lineItem;
  return {
    ...basics,
    customParameters: custom,
    takesScore: lineItem !== null,
    lineItem,
    presentationTarget: target === 'iframe' || target === 'window' ? target : null,
  };
}

function readCustom(custom: unknown): CustomParameter[] | string {
  if (custom === undefined || custom === null) return [];
  if (typeof custom !== 'object' || Array.isArray(custom)) return 'custom must be an object';
  const entries = Object.entries(custom as Record<string, unknown>);
  if (entries.some(([, value]) => typeof value !== 'string')) return 'custom values must be strings';
  // Read through the administrators' name=value lines, so a name may not hold `=` nor a value a line break.
  if (entries.some(([name]) => name.includes('='))) return 'custom names cannot contain "="';
  if (entries.some(([, value]) => /[\r\n]/.test(value as string))) return 'custom values cannot contain line breaks';
  const parsed = parseCustomParameters(entries.map(([name, value]) => `${name}=${value as string}`).join('\n'));
  if (!parsed.ok) return `custom: ${parsed.problems.map((p) => p.message).join('; ')}`;
  return [...parsed.parameters];
}
