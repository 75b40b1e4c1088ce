import { checkToolUrl } from '../tool-url';

/**
 * Outcome data: the Basic Outcomes extension that lets a tool attach a piece of plain text, a URL or
 * an LTI launch URL to the score it replaces (Canvas's "Grade Passback" extension of LTI 1.1.1 §6,
 * https://canvas.instructure.com/doc/api/file.assignment_tools.html). The platform announces what it
 * accepts on each launch that carries `lis_outcome_service_url`; the tool then adds
 * `resultRecord/result/resultData/{text,url,ltiLaunchUrl}` to its `replaceResult`.
 */
export const OUTCOME_DATA_ACCEPTED_PARAM = 'ext_outcome_data_values_accepted';
/** The values we accept, as the extension names them in the launch parameter. */
export const OUTCOME_DATA_ACCEPTED = ['text', 'url', 'lti_launch_url'] as const;

/** Raw `resultData` children of a replaceResult, as the tool wrote them (null when absent). */
export interface RawOutcomeData {
  readonly text: string | null;
  readonly url: string | null;
  readonly ltiLaunchUrl: string | null;
}

/** Checked outcome data: plain text kept verbatim (it is escaped wherever it is shown), URLs as written. */
export type OutcomeData = RawOutcomeData;

/** The text is shown to an instructor, not a document store; the POX body is capped at 64 KiB anyway. */
export const OUTCOME_DATA_LIMITS = { text: 16_000 } as const;

export type OutcomeDataCheck =
  { readonly ok: true; readonly value: OutcomeData | null } | { readonly ok: false; readonly reason: string };

/**
 * Checks outcome data: text at most {@link OUTCOME_DATA_LIMITS}.text characters, and each URL an
 * absolute https URL (http only on loopback) without credentials or fragment, as for a tool's URLs.
 * An `ltiLaunchUrl` must also be on the origin of the link the score is for (`toolOrigin`): the
 * platform signs a launch to it with the tool's credentials and the viewer's identity, which must not
 * go to another site (with no origin to hold it to, for a result stored nowhere, that test is skipped).
 * Data with nothing in it is null.
 */
export function checkOutcomeData(raw: RawOutcomeData | null, toolOrigin: string | null): OutcomeDataCheck {
  if (!raw) return { ok: true, value: null };
  if (raw.text !== null && raw.text.length > OUTCOME_DATA_LIMITS.text) {
    return {
      ok: false,
      reason: `resultData/text must be at most ${OUTCOME_DATA_LIMITS.text} characters; got ${raw.text.length}`,
    };
  }
  const urls: { url: string | null; ltiLaunchUrl: string | null } = { url: null, ltiLaunchUrl: null };
  for (const field of ['url', 'ltiLaunchUrl'] as const) {
    const value = raw[field];
    if (value === null) continue;
    const check = checkToolUrl(value);
    if (!check.ok) return { ok: false, reason: `resultData/${field} ${check.reason}` };
    urls[field] = check.url;
  }
  if (urls.ltiLaunchUrl !== null && toolOrigin !== null && new URL(urls.ltiLaunchUrl).origin !== toolOrigin) {
    return { ok: false, reason: `resultData/ltiLaunchUrl must be on the tool's own site (${toolOrigin})` };
  }
  const text = raw.text === null || raw.text.trim() === '' ? null : raw.text;
  if (text === null && urls.url === null && urls.ltiLaunchUrl === null) return { ok: true, value: null };
  return { ok: true, value: { text, ...urls } };
}
