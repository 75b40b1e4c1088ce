import type { PresentationTarget } from '../catalog/lti-provider';

/**
 * A form for the browser to post to a tool, in either version: an LTI 1.1 signed launch or
 * Content-Item request, or an LTI 1.3 login initiation.
 */
export interface SignedLaunchForm {
  readonly launchId: string;
  readonly action: string;
  readonly fields: Readonly<Record<string, string>>;
  /** `self`: the whole window goes to the tool (a content selection, which comes back by itself). */
  readonly target: PresentationTarget | 'self';
  readonly width: number | null;
  readonly height: number | null;
}
