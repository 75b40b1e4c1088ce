import { Body, Controller, Get, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { APP_CONFIG, RuntimeConfig } from '@tms/config';
import {
  Lti1p1LaunchService,
  presentationOf,
  Principal,
  SubmissionLaunches,
  SubmissionsService,
  toolOrigins,
} from '@tms/core';
import { CurrentPrincipal, Page } from '../shared/decorators';
import { Errors, FormBody, submitForm } from '../shared/forms';
import { UuidPipe } from '../shared/uuid.pipe';
import { PageContext, Views } from '../shared/views';
import { Transport } from '../errors/transport';
import { redirectWithNotice, sendPage } from '../shared/page-crud';
import { PROGRESS_LABELS } from '../learning/learning-forms';
import { LaunchPages } from '../launch/launch-page';
import { ClearGradeDto, GradeOverrideDto, toOverrideInput } from './submissions.dto';
import { SUBMISSION_PAGE_ROUTES, submissionPaths } from './submission-paths';

/**
 * A learner's submissions on one activity: the learner sees their own (under My learning), staff of
 * the enrollment's organization see them under Teaching with the grade form and "Open in tool";
 * anyone else gets 404. Text from tools is shown as text (the templates escape everything).
 */
@ApiExcludeController()
@Transport('page')
@Controller()
export class SubmissionsPageController {
  constructor(
    private readonly submissions: SubmissionsService,
    private readonly launches: SubmissionLaunches,
    private readonly lti1p1: Lti1p1LaunchService,
    private readonly pages: LaunchPages,
    private readonly views: Views,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  @Get(SUBMISSION_PAGE_ROUTES.learner)
  async own(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('enrollmentId', UuidPipe) enrollmentId: string,
    @Param('activityId', UuidPipe) activityId: string,
    @Res() response: Response,
  ) {
    sendPage(response, await this.render(page, principal, enrollmentId, activityId, {}));
  }

  @Get(SUBMISSION_PAGE_ROUTES.staff)
  async show(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('enrollmentId', UuidPipe) enrollmentId: string,
    @Param('activityId', UuidPipe) activityId: string,
    @Query('notice') notice: unknown,
    @Res() response: Response,
  ) {
    sendPage(response, await this.render(page, principal, enrollmentId, activityId, { notice }));
  }

  @Post(SUBMISSION_PAGE_ROUTES.grade)
  async grade(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('enrollmentId', UuidPipe) enrollmentId: string,
    @Param('activityId', UuidPipe) activityId: string,
    @Body() body: FormBody,
    @Res() response: Response,
  ) {
    const render = (errors: Errors) => this.render(page, principal, enrollmentId, activityId, { values: body, errors });
    await submitForm(response, GradeOverrideDto, body, render, async (value) => {
      await this.submissions.override(principal, enrollmentId, activityId, toOverrideInput(value));
      redirectWithNotice(response, submissionPaths.staff(enrollmentId, activityId), 'graded');
    });
  }

  @Post(SUBMISSION_PAGE_ROUTES.clear)
  async clear(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('enrollmentId', UuidPipe) enrollmentId: string,
    @Param('activityId', UuidPipe) activityId: string,
    @Body() body: FormBody,
    @Res() response: Response,
  ) {
    const render = (errors: Errors) =>
      this.render(page, principal, enrollmentId, activityId, { clearValues: body, clearErrors: errors });
    await submitForm(response, ClearGradeDto, body, render, async ({ reason }) => {
      await this.submissions.clearOverride(principal, enrollmentId, activityId, reason);
      redirectWithNotice(response, submissionPaths.staff(enrollmentId, activityId), 'grade-cleared');
    });
  }

  /**
   * "Open in tool": a signed LTI 1.1 launch of the instructor to the attempt's LTI launch URL, in a
   * frame or a new window like any launch of the tool.
   */
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
    const asked = (response.req.query as Record<string, unknown>).presentation === 'window';
    const presentation = presentationOf(context.provider, this.config.app.publicUrl, asked);
    const form = await this.lti1p1.launch({
      ...context,
      documentTarget: presentation.target,
      presentationPath: presentation.path,
    });
    this.pages.sendLaunchPage(response, page, {
      form: asked ? { ...form, target: 'self' } : form,
      title: context.activity.title,
      toolName: context.provider.name,
      backHref: submissionPaths.staff(enrollmentId, activityId),
      preview: false,
      againHref: page.path,
      toolOrigins: toolOrigins(context.provider, context.link),
    });
  }

  private async render(
    page: PageContext,
    principal: Principal,
    enrollmentId: string,
    activityId: string,
    extra: Record<string, unknown>,
  ): Promise<string> {
    const view = await this.submissions.view(principal, enrollmentId, activityId);
    const staff = view.placement.viewer === 'staff';
    return this.views.render('grading/submissions', page, {
      view,
      staff,
      labels: PROGRESS_LABELS,
      backHref: staff
        ? view.placement.courseClass
          ? `/teach/classes/${view.placement.courseClass.id}#roster`
          : '/teach/score-ledger'
        : `/learn/enrollments/${enrollmentId}`,
      gradeAction: submissionPaths.grade(enrollmentId, activityId),
      clearAction: submissionPaths.clear(enrollmentId, activityId),
      openHref: (submissionId: string) => submissionPaths.open(enrollmentId, activityId, submissionId),
      ...extra,
    });
  }
}
