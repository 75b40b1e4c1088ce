import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { parse } from 'tldts';
import { APP_CONFIG, RuntimeConfig } from '@tms/config';
import {
  LaunchContext,
  LaunchContextService,
  Lti1p1LaunchService,
  Lti1p3LoginService,
  Principal,
  SignedLaunchForm,
} from '@tms/core';
import { CurrentPrincipal, Page } from '../shared/decorators';
import { UuidPipe } from '../shared/uuid.pipe';
import { PageContext, Views } from '../shared/views';
import { sendLaunchPage } from './launch-page';

/**
 * The launch route of DESIGN.md §4 (a learner or an instructor in their enrollment) and the
 * authors' preview. Each answers a page that posts the signed LTI 1.1 form or starts the LTI 1.3
 * login; what can no longer launch answers 410 "no longer available".
 */
@ApiExcludeController()
@Controller()
export class LaunchPageController {
  constructor(
    private readonly contexts: LaunchContextService,
    private readonly lti1p1: Lti1p1LaunchService,
    private readonly lti1p3: Lti1p3LoginService,
    private readonly views: Views,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  @Get('learn/enrollments/:enrollmentId/activities/:activityId/launch')
  async launch(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('enrollmentId', UuidPipe) enrollmentId: string,
    @Param('activityId', UuidPipe) activityId: string,
    @Res() response: Response,
  ) {
    const context = await this.contexts.resolve(principal, enrollmentId, activityId);
    await this.send(response, page, context, `/learn/enrollments/${enrollmentId}`);
  }

  @Get('teach/classes/:classId/activities/:activityId/launch')
  async launchAsInstructor(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('classId', UuidPipe) classId: string,
    @Param('activityId', UuidPipe) activityId: string,
    @Res() response: Response,
  ) {
    const context = await this.contexts.resolveForClass(principal, classId, activityId);
    await this.send(response, page, context, `/teach/classes/${classId}`);
  }

  @Get('author/courses/:courseId/activities/:activityId/preview')
  async preview(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('courseId', UuidPipe) courseId: string,
    @Param('activityId', UuidPipe) activityId: string,
    @Res() response: Response,
  ) {
    const context = await this.contexts.resolvePreview(principal, courseId, activityId);
    await this.send(response, page, context, `/author/courses/${courseId}`);
  }

  private async send(response: Response, page: PageContext, context: LaunchContext, backHref: string) {
    const form =
      context.provider.ltiVersion === '1.3'
        ? withPresentation(await this.lti1p3.initiate(context), this.config.app.publicUrl)
        : await this.lti1p1.launch(context);
    sendLaunchPage(response, this.views, page, {
      form,
      title: context.activity.title,
      toolName: context.provider.name,
      backHref,
      preview: context.kind === 'preview',
      againHref: page.path,
    });
  }
}

/**
 * An LTI 1.3 launch needs the tool's own cookie between its login URL and its launch (the OIDC
 * `state`). Inside our page a tool on another site gets no cookie wherever third-party cookies are
 * blocked, so such a tool opens in a new window instead, where its cookies are first-party.
 */
function withPresentation(form: SignedLaunchForm, publicUrl: string): SignedLaunchForm {
  if (form.target !== 'iframe' || sameSite(form.action, publicUrl)) return form;
  return { ...form, target: 'window' };
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
