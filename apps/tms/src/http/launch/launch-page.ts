import type { Response } from 'express';
import type { SignedLaunchForm } from '@tms/core';
import { PageContext, Views } from '../shared/views';

/**
 * The page that posts a signed launch to the tool, into an iframe on the page or a new window.
 *
 * Its Content-Security-Policy lets the form post to the tool and the frame show it: to the tool's own
 * origin, and to any https origin, because tools commonly redirect after the launch POST and both
 * `form-action` and `frame-src` apply to redirects (CSP Level 3 §6.3.1, §6.1.2). Everything else of
 * the policy stays as strict as on any page.
 */
export function sendLaunchPage(
  response: Response,
  views: Views,
  page: PageContext,
  view: {
    form: SignedLaunchForm;
    title: string;
    toolName: string;
    backHref: string;
    preview: boolean;
    /** The launch page itself: loading it again is a new launch. */
    againHref: string;
  },
): void {
  allowTool(response, view.form.action);
  response.type('html').send(
    views.render('launch/launch', page, {
      ...view,
      fields: Object.entries(view.form.fields),
      frameName: `lti-${view.form.launchId}`,
    }),
  );
}

/**
 * An auto-posting form to a tool (the OIDC `form_post` of an id_token or an error), on a bare page:
 * it shows for an instant inside the tool's frame or window.
 */
export function sendFormPost(
  response: Response,
  views: Views,
  page: PageContext,
  action: string,
  fields: Record<string, string>,
) {
  allowTool(response, action);
  response.type('html').send(views.render('launch/form-post', page, { action, fields: Object.entries(fields) }));
}

function allowTool(response: Response, toolUrl: string): void {
  const origin = new URL(toolUrl).origin;
  const policy = String(response.getHeader('Content-Security-Policy') ?? '')
    .split(';')
    .map((directive) => directive.trim())
    .filter((directive) => directive && !/^(form-action|frame-src)\b/.test(directive));
  policy.push(`form-action 'self' ${origin} https:`, `frame-src 'self' ${origin} https:`);
  response.setHeader('Content-Security-Policy', policy.join('; '));
}
