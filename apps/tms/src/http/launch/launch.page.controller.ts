import { Controller, Get, HttpStatus, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { LaunchContext, LaunchContextService, Lti1p1LaunchService, Principal } from '@tms/core';
import { CurrentPrincipal, Page } from '../shared/decorators';
import { UuidPipe } from '../shared/uuid.pipe';
import { PageContext, Views } from '../shared/views';
import { sendLaunchPage } from './launch-page';

/**
 * The launch route of DESIGN.md §4 (a learner or an instructor in their enrollment) and the
 * authors' preview. Both answer a page that posts the signed LTI 1.1 form; what can no longer
 * launch answers 410 "no longer available".
 */
@ApiExcludeController()
@Controller()
export class LaunchPageController {
  constructor(
    private readonly contexts: LaunchContextService,
    private readonly lti1p1: Lti1p1LaunchService,
    private readonly views: Views,
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
    if (context.provider.ltiVersion !== '1.1') {
      const problem = {
        status: HttpStatus.NOT_IMPLEMENTED,
        title: 'Not available yet',
        detail: `“${context.activity.title}” uses LTI 1.3, and LTI 1.3 launches are not enabled on this server yet.`,
        fields: [],
      };
      response
        .status(problem.status)
        .type('html')
        .send(this.views.render('errors/error', page, { problem }));
      return;
    }
    const form = await this.lti1p1.launch(context);
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
