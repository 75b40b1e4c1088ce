import { parse } from 'tldts';
import type { LtiProvider, PresentationTarget } from '../catalog/lti-provider';
import type { LtiResourceLink } from '../catalog/lti-resource-link';

/**
 * How a launch reached the learner, as the launch record keeps it:
 * - `frame`: in the frame on our page (an LTI 1.1 tool, or a 1.3 tool on our own site);
 * - `frame_platform_storage`: in the frame although the 1.3 tool is on another site, because it keeps
 *   its OIDC state in our platform storage (LTI Platform Storage) instead of a cookie;
 * - `window`: a new window, as the provider says or the person asked;
 * - `window_fallback`: a new window although the provider says frame: a 1.3 tool on another site
 *   without platform storage would lose its state cookie in our frame.
 */
export const PRESENTATION_PATHS = ['frame', 'frame_platform_storage', 'window', 'window_fallback'] as const;
export type PresentationPath = (typeof PRESENTATION_PATHS)[number];

export interface Presentation {
  readonly target: PresentationTarget;
  readonly path: PresentationPath;
}

/**
 * Where a launch of this provider shows, decided by what the tool can do, not by guesswork. An LTI
 * 1.3 launch needs the tool's own state between its login URL and its launch (LTI Security 1.0
 * §5.1.1.1 `state`). Inside our page a tool on another site keeps that state in a cookie only where
 * third-party cookies are allowed, which browsers increasingly refuse: such a tool opens in the frame
 * only when it keeps its state in our platform storage, and in a new window (its cookies first-party)
 * otherwise.
 */
export function presentationOf(provider: LtiProvider, platformUrl: string, askedForWindow = false): Presentation {
  if (provider.presentation.target === 'window') return { target: 'window', path: 'window' };
  const registration = provider.lti1p3;
  const crossSite = registration !== null && !sameSite(registration.loginUrl, platformUrl);
  // Asked for a window or not, a tool that cannot keep its state in our frame is a fallback window.
  if (crossSite && !registration.platformStorage) return { target: 'window', path: 'window_fallback' };
  if (askedForWindow) return { target: 'window', path: 'window' };
  return crossSite ? { target: 'iframe', path: 'frame_platform_storage' } : { target: 'iframe', path: 'frame' };
}

/** A path that puts the tool in the frame on our page. */
export const isFramed = (path: PresentationPath | null): boolean =>
  path === 'frame' || path === 'frame_platform_storage';

/**
 * The origins a framed tool may speak from (LTI Client Side postMessages: a platform answers only the
 * tool's own origins): its login URL, redirect URIs and target link URIs, the placement's included.
 * An LTI 1.1 tool speaks from the origin of the URL it was launched at.
 */
export function toolOrigins(provider: LtiProvider, link: Pick<LtiResourceLink, 'url'>): string[] {
  const registration = provider.lti1p3;
  const urls = registration
    ? [registration.loginUrl, ...registration.redirectUris, registration.targetLinkUri, link.url]
    : [link.url];
  const origins = urls.map((url) => {
    try {
      return new URL(url).origin;
    } catch {
      return 'null';
    }
  });
  return [...new Set(origins.filter((origin) => origin !== 'null'))];
}

/** Same registrable domain (or the same IP address), as browsers decide "same site" for cookies. */
export function sameSite(a: string, b: string): boolean {
  const [first, second] = [new URL(a), new URL(b)];
  if (first.protocol !== second.protocol) return false;
  const site = (url: URL) => {
    const parsed = parse(url.hostname);
    return parsed.isIp ? url.hostname : (parsed.domain ?? url.hostname);
  };
  return site(first) === site(second);
}
