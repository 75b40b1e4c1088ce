import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Principal, SubmissionReviews, SubmissionsService, SubmissionViewer } from '@tms/core';
import { CurrentPrincipal, Page } from '../shared/decorators';
import { Errors, FormBody, submitForm } from '../shared/forms';
import { UuidPipe } from '../shared/uuid.pipe';
import { PageContext, Views } from '../shared/views';
import { Transport } from '../errors/transport';
import { redirectWithNotice, sendPage } from '../shared/page-crud';
import { PROGRESS_LABELS } from '../learning/learning-forms';
import { ClearGradeDto, GradeOverrideDto, toOverrideInput } from './submissions.dto';
import { SUBMISSION_PAGE_ROUTES, submissionPaths } from './submission-paths';

/**
 * A learner's submissions on one activity: the learner sees their own (under My learning), staff of
 * the enrollment's organization see them under Teaching with the grade form and "Open in tool"
 * (submission-launches.page.controller.ts);
 * anyone else gets 404. Text from tools is shown as text (the templates escape everything).
 */
@ApiExcludeController()
@Transport('page')
@Controller()
export class SubmissionsPageController {
  constructor(
    private readonly submissions: SubmissionsService,
    private readonly reviews: SubmissionReviews,
    private readonly views: Views,
  ) {}

  @Get(SUBMISSION_PAGE_ROUTES.learner)
  async own(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('enrollmentId', UuidPipe) enrollmentId: string,
    @Param('activityId', UuidPipe) activityId: string,
    @Res() response: Response,
  ) {
    sendPage(response, await this.render(page, principal, enrollmentId, activityId, { as: 'learner' }));
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

  private async render(
    page: PageContext,
    principal: Principal,
    enrollmentId: string,
    activityId: string,
    { as = 'staff', ...extra }: Record<string, unknown> & { as?: SubmissionViewer },
  ): Promise<string> {
    const view = await this.submissions.view(principal, enrollmentId, activityId, as);
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
      reviewLabel: staff ? await this.reviews.offer(view.placement) : null,
      reviewHref: submissionPaths.review(enrollmentId, activityId),
      ...extra,
    });
  }
}
