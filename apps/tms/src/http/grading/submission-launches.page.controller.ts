import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { APP_CONFIG, RuntimeConfig } from '@tms/config';
import {
  LaunchContext,
  Lti1p1LaunchService,
  Lti1p3LoginService,
  presentationOf,
  Principal,
  ReviewLaunch,
  SubmissionLaunches,
  SubmissionReviews,
  toolOrigins,
} from '@tms/core';
import { CurrentPrincipal, Page } from '../shared/decorators';
import { UuidPipe } from '../shared/uuid.pipe';
import { PageContext } from '../shared/views';
import { Transport } from '../errors/transport';
import { LaunchPages } from '../launch/launch-page';
import { SUBMISSION_PAGE_ROUTES, submissionPaths } from './submission-paths';

/**
 * "Open in tool" from a learner's submissions, for the staff who may grade them, in a frame or a new
 * window like any launch of the tool: an LTI 1.1 attempt's LTI launch URL as a signed launch of the
 * instructor, or an LTI 1.3 Submission Review launch (`LtiSubmissionReviewRequest`, SRS 1.0 §3).
 */
@ApiExcludeController()
@Transport('page')
@Controller()
export class SubmissionLaunchesPageController {
  constructor(
    private readonly launches: SubmissionLaunches,
    private readonly reviews: SubmissionReviews,
    private readonly lti1p1: Lti1p1LaunchService,
    private readonly lti1p3: Lti1p3LoginService,
    private readonly pages: LaunchPages,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  @Get(SUBMISSION_PAGE_ROUTES.open)
  async open(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('enrollmentId', UuidPipe) enrollmentId: string,
    @Param('activityId', UuidPipe) activityId: string,
    @Param('submissionId', UuidPipe) submissionId: string,
    @Res() response: Response,
  ) {
    const context = await this.launches.resolve(principal, enrollmentId, activityId, submissionId);
    await this.send(response, page, context, submissionPaths.staff(enrollmentId, activityId));
  }

  @Get(SUBMISSION_PAGE_ROUTES.review)
  async review(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('enrollmentId', UuidPipe) enrollmentId: string,
    @Param('activityId', UuidPipe) activityId: string,
    @Res() response: Response,
  ) {
    const review = await this.reviews.resolve(principal, enrollmentId, activityId);
    await this.send(response, page, review.context, submissionPaths.staff(enrollmentId, activityId), review);
  }

  private async send(
    response: Response,
    page: PageContext,
    context: LaunchContext,
    backHref: string,
    review?: ReviewLaunch,
  ) {
    // "Open in a new window instead": this very tab was opened for it, so the form posts into itself.
    const asked = (response.req.query as Record<string, unknown>).presentation === 'window';
    const presentation = presentationOf(context.provider, this.config.app.publicUrl, asked);
    const launch = { ...context, documentTarget: presentation.target, presentationPath: presentation.path };
    const form =
      context.provider.ltiVersion === '1.3'
        ? await this.lti1p3.initiate(launch, review)
        : await this.lti1p1.launch(launch);
    this.pages.sendLaunchPage(response, page, {
      form: asked ? { ...form, target: 'self' } : form,
      title: context.activity.title,
      toolName: context.provider.name,
      backHref,
      preview: false,
      againHref: page.path,
      toolOrigins: toolOrigins(context.provider, context.link),
    });
  }
}
