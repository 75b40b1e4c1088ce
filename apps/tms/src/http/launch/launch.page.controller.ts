import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { APP_CONFIG, RuntimeConfig } from '@tms/config';
import {
  LaunchContext,
  LaunchContextService,
  Lti1p1LaunchService,
  Lti1p3LoginService,
  presentationOf,
  Principal,
  routePath,
  SignedLaunchForm,
  toolOrigins,
} from '@tms/core';
import { CurrentPrincipal, Page, pageContextOf, SessionRechecked } from '../shared/decorators';
import { AppRequest } from '../shared/request-context';
import { SessionRecheck } from '../shared/session-recheck';
import { UuidPipe } from '../shared/uuid.pipe';
import { PageContext } from '../shared/views';
import { LaunchPages } from './launch-page';
import { LAUNCH_PAGE_ROUTES } from './launch-paths';
import { Transport } from '../errors/transport';

/**
 * The launch route of DESIGN.md §4 (a learner or an instructor in their enrollment) and the
 * authors' preview. Each answers a page that posts the signed LTI 1.1 form or starts the LTI 1.3
 * login; what can no longer launch answers 410 "no longer available".
 */
@ApiExcludeController()
@Transport('page')
@Controller()
export class LaunchPageController {
  constructor(
    private readonly contexts: LaunchContextService,
    private readonly lti1p1: Lti1p1LaunchService,
    private readonly lti1p3: Lti1p3LoginService,
    private readonly pages: LaunchPages,
    private readonly recheck: SessionRecheck,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  /** The hot path of a launch: the session may come from this process's cache, the login hint's INSERT confirms it. */
  @Get(LAUNCH_PAGE_ROUTES.learner)
  @SessionRechecked()
  async launch(
    @Req() request: AppRequest,
    @Param('enrollmentId', UuidPipe) enrollmentId: string,
    @Param('activityId', UuidPipe) activityId: string,
    @Res() response: Response,
  ) {
    await this.recheck.asSignedIn(request, async (principal) => {
      const context = await this.contexts.resolve(principal, enrollmentId, activityId);
      const launch = this.presented(response, context);
      // LTI 1.1 writes no hint to confirm the session in: that launch reads it fresh before signing anything.
      const form =
        launch.provider.ltiVersion === '1.3'
          ? await this.lti1p3.initiate(launch, undefined, principal.session)
          : await this.recheck.confirmed(request, () => this.lti1p1.launch(launch));
      this.sendPage(response, pageContextOf(request), launch, form, `/learn/enrollments/${enrollmentId}`);
    });
  }

  @Get(LAUNCH_PAGE_ROUTES.instructor)
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

  @Get(LAUNCH_PAGE_ROUTES.preview)
  async preview(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('courseId', UuidPipe) courseId: string,
    @Param('activityId', UuidPipe) activityId: string,
    @Res() response: Response,
  ) {
    const context = await this.contexts.resolvePreview(principal, courseId, activityId);
    await this.send(response, page, context, routePath('courseAuthoring', { courseId }));
  }

  private async send(response: Response, page: PageContext, context: LaunchContext, backHref: string) {
    const launch = this.presented(response, context);
    const form =
      context.provider.ltiVersion === '1.3' ? await this.lti1p3.initiate(launch) : await this.lti1p1.launch(launch);
    this.sendPage(response, page, launch, form, backHref);
  }

  /** Where the tool shows, as the provider presents it or as the person asked. */
  private presented(response: Response, context: LaunchContext): LaunchContext {
    const presentation = presentationOf(context.provider, this.config.app.publicUrl, askedForWindow(response));
    return { ...context, documentTarget: presentation.target, presentationPath: presentation.path };
  }

  private sendPage(
    response: Response,
    page: PageContext,
    context: LaunchContext,
    form: SignedLaunchForm,
    backHref: string,
  ) {
    // "Open in a new window instead": this very tab was opened for it, so the form posts into itself.
    const asked = askedForWindow(response);
    this.pages.sendLaunchPage(response, page, {
      form: asked ? { ...form, target: 'self' } : form,
      title: context.activity.title,
      toolName: context.provider.name,
      backHref,
      preview: context.kind === 'preview',
      againHref: page.path,
      toolOrigins: toolOrigins(context.provider, context.link),
    });
  }
}

function askedForWindow(response: Response): boolean {
  return (response.req.query as Record<string, unknown>).presentation === 'window';
}
