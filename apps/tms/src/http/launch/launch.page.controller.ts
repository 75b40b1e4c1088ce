import { Controller, Get, HttpStatus, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { LaunchContextService, Principal } from '@tms/core';
import { CurrentPrincipal, Page } from '../shared/decorators';
import { UuidPipe } from '../shared/uuid.pipe';
import { PageContext, Views } from '../shared/views';

/**
 * The launch route of DESIGN.md §4. It resolves the launch and refuses, with a clear page, what
 * can no longer launch (410 "no longer available"). The signed LTI 1.1 form and the LTI 1.3 OIDC
 * login are built by the launch issues; until then a launchable activity answers 501.
 */
@ApiExcludeController()
@Controller('learn/enrollments/:enrollmentId/activities/:activityId/launch')
export class LaunchPageController {
  constructor(
    private readonly launches: LaunchContextService,
    private readonly views: Views,
  ) {}

  @Get()
  async launch(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('enrollmentId', UuidPipe) enrollmentId: string,
    @Param('activityId', UuidPipe) activityId: string,
    @Res() response: Response,
  ) {
    const context = await this.launches.resolve(principal, enrollmentId, activityId);
    const problem = {
      status: HttpStatus.NOT_IMPLEMENTED,
      title: 'Not available yet',
      detail: `“${context.activity.title}” uses LTI ${context.provider.ltiVersion}, and launching LTI activities is not enabled on this server yet.`,
      fields: [],
    };
    response
      .status(problem.status)
      .type('html')
      .send(this.views.render('errors/error', page, { problem }));
  }
}
