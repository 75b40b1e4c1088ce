import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { SignedLaunchForm } from '@tms/core';
import { PageContext, Views } from '../shared/views';
import { LaunchBinding } from './launch-binding';
import { FRESH_FOR_MS, LaunchRelay } from './launch-relay';

/**
 * The pages that post a signed form to a tool: the launch page (a 1.1 launch, a 1.3 login initiation,
 * a Content-Item or Deep Linking request), into an iframe on the page, a new window or the page
 * itself; and the bare OIDC `form_post` of an id_token or an error, inside the tool's frame or window.
 * Script posts the form straight to the tool; the fallback button goes through the relay, so that a
 * form left standing is never posted stale.
 *
 * Their Content-Security-Policy lets the form post to the tool and the frame show it: to the tool's
 * own origin, and to any https origin, because tools commonly redirect after the launch POST and both
 * `form-action` and `frame-src` apply to redirects (CSP Level 3 §6.3.1, §6.1.2). Everything else of
 * the policy stays as strict as on any page.
 *
 * A framed launch page also answers the tool's client-side messages (LTI Client Side postMessages:
 * `lti.capabilities`, `lti.frameResize`, `lti.scrollToTop`) and, for LTI 1.3, hosts the tool's
 * platform storage in a frame of ours named by the login's `lti_storage_target` (LTI Platform
 * Storage). Both answer only the origins the server renders into the page for this launch: the
 * tool's registered URLs. The storage lives in that frame's memory: scoped to the tool's origin and
 * this page, gone with it.
 */
@Injectable()
export class LaunchPages {
  constructor(
    private readonly views: Views,
    private readonly relay: LaunchRelay,
    private readonly binding: LaunchBinding,
  ) {}

  sendLaunchPage(
    response: Response,
    page: PageContext,
    view: {
      form: SignedLaunchForm;
      title: string;
      toolName: string;
      backHref: string;
      preview: boolean;
      /** The launch page itself: loading it again is a new launch. */
      againHref: string;
      /** Where a framed tool may speak from: its messages from anywhere else are refused. */
      toolOrigins?: readonly string[];
    },
  ): void {
    allowTool(response, view.form.action);
    const relayHref = this.relay.url({
      target: view.form.action,
      restart: view.againHref,
      freshForMs: FRESH_FOR_MS.launchForm,
    });
    const storageFrame = view.form.fields.lti_storage_target ?? null;
    // A framed 1.3 login: the tool's page, not ours, sends the browser to our authorization endpoint.
    if (storageFrame) this.binding.bind(response, view.form.launchId);
    const toolOrigins = (view.toolOrigins ?? []).join(' ');
    response.type('html').send(
      this.views.render('launch/launch', page, {
        ...view,
        relayHref,
        fields: Object.entries(view.form.fields),
        frameName: `lti-${view.form.launchId}`,
        toolOrigins,
        storageFrame,
        // The storage frame's document, from our origin (a srcdoc frame has its parent's origin and policy).
        storageDocument: storageFrame && this.views.render('launch/storage-frame', page, { toolOrigins }),
      }),
    );
  }

  /**
   * An id_token (with the page that starts its launch again) or an OIDC error (posted whenever, an
   * error goes stale for nobody).
   */
  sendFormPost(
    response: Response,
    page: PageContext,
    form: { action: string; fields: Readonly<Record<string, string>>; restart: string | null },
  ): void {
    allowTool(response, form.action);
    const relayHref = this.relay.url({
      target: form.action,
      restart: form.restart,
      freshForMs: form.restart ? FRESH_FOR_MS.idToken : FRESH_FOR_MS.errorAnswer,
    });
    response.type('html').send(
      this.views.render('launch/form-post', page, {
        action: form.action,
        relayHref,
        fields: Object.entries(form.fields),
      }),
    );
  }
}

/** Lets this page post forms to and frame the tool at `toolUrl` (its origin), beside our own. */
export function allowTool(response: Response, toolUrl: string): void {
  const origin = new URL(toolUrl).origin;
  const policy = String(response.getHeader('Content-Security-Policy') ?? '')
    .split(';')
    .map((directive) => directive.trim())
    .filter((directive) => directive && !/^(form-action|frame-src)\b/.test(directive));
  policy.push(`form-action 'self' ${origin} https:`, `frame-src 'self' ${origin} https:`);
  response.setHeader('Content-Security-Policy', policy.join('; '));
}
