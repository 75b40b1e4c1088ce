import type { CustomParameter } from './custom-parameters';
import { checkToolUrl } from './tool-url';

// Content an author picked inside a tool, as LTI 1.1 Content-Item (`LtiLinkItem`) and LTI 1.3 Deep
// Linking (`ltiResourceLink`) both describe it: what becomes a resource link of the course.

/** An item's title is kept to this many characters (the resource link's name is longer). */
const TITLE_MAX = 200;

/**
 * The gradebook column a tool asked for with an item (Content-Item `lineItem`; Deep Linking 2.0
 * §3.4.2 `lineItem`): kept with the resource link, it seeds the AGS line item of its placements.
 */
export interface LineItemTemplate {
  readonly label: string | null;
  readonly scoreMaximum: number | null;
  readonly resourceId: string | null;
  readonly tag: string | null;
}

/** A `lineItem` object as tools send it, checked; a string says what is wrong. */
export function readLineItem(value: unknown, scoreMaximum: unknown): LineItemTemplate | null | string {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return 'lineItem must be an object';
  const item = value as Record<string, unknown>;
  const text = (field: string, max: number): string | null | undefined => {
    const raw = item[field];
    if (raw === undefined || raw === null) return null;
    return typeof raw === 'string' && raw.length <= max ? raw : undefined;
  };
  const [label, resourceId, tag] = [text('label', 200), text('resourceId', 255), text('tag', 255)];
  if (label === undefined || resourceId === undefined || tag === undefined) {
    return 'lineItem label, resourceId and tag must be strings (at most 200, 255, 255 characters)';
  }
  if (scoreMaximum !== undefined && scoreMaximum !== null && !(typeof scoreMaximum === 'number' && scoreMaximum > 0)) {
    return 'lineItem scoreMaximum must be a number above 0';
  }
  return { label, scoreMaximum: (scoreMaximum as number | null | undefined) ?? null, resourceId, tag };
}

/** An `LtiLinkItem` turned into what a resource link needs. */
export interface SelectedLtiLink {
  readonly title: string | null;
  readonly text: string | null;
  /** Null: the tool's default launch URL. */
  readonly url: string | null;
  readonly customParameters: readonly CustomParameter[];
  /** The item asked for a gradebook column (`lineItem`): the placement takes a score. */
  readonly takesScore: boolean;
  readonly lineItem: LineItemTemplate | null;
  readonly presentationTarget: 'iframe' | 'window' | null;
}

/**
 * What Content-Item and Deep Linking items share: a title and a text (trimmed, capped) and an
 * optional URL under our tool-URL rules (null: the tool's default launch URL).
 */
export function readItemBasics(
  item: Readonly<Record<string, unknown>>,
): { title: string | null; text: string | null; url: string | null } | string {
  const trimmed = (value: unknown, max: number) =>
    typeof value === 'string' && value.trim() ? value.trim().slice(0, max) : null;
  if (item.url === undefined)
    return { title: trimmed(item.title, TITLE_MAX), text: trimmed(item.text, 2000), url: null };
  if (typeof item.url !== 'string') return 'url must be a string';
  const checked = checkToolUrl(item.url);
  if (!checked.ok) return `url ${checked.reason}`;
  return { title: trimmed(item.title, TITLE_MAX), text: trimmed(item.text, 2000), url: checked.url };
}
