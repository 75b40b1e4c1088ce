import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ClassesService, DomainError, LaunchPresentations, Principal, ProgressService } from '@tms/core';
import { CurrentPrincipal, Page, RequireRole } from '../shared/decorators';
import { emptiedToNull, Errors, FormBody, submitForm } from '../shared/forms';
import { UuidPipe } from '../shared/uuid.pipe';
import { PageContext, Views } from '../shared/views';
import { BulkEnrollmentDto, ClassQueryDto, CreateClassDto, RosterQueryDto, UpdateClassDto } from './learning.dto';
import { activeFilters, ENROLLMENT_STATUS_LABELS, PROGRESS_LABELS, splitEmails } from './learning-forms';
import { sendProgressCsv } from './progress-csv';
import { readReport, reportQuery, sortEmails } from './enrollment-result';
import { launchLink, launchPaths } from '../launch/launch-paths';
import { submissionPaths } from '../grading/submission-paths';
import { Transport } from '../errors/transport';
import { listQuery, redirectWithNotice, sendPage } from '../shared/page-crud';

/** Optional class fields that an emptied input clears. */
const CLEARABLE = ['code', 'startsOn', 'endsOn'];

/**
 * Classes, for instructors and site admins (anyone else gets 403); the services scope everything
 * to the organizations where the person teaches, and anything outside answers 404.
 */
@ApiExcludeController()
@RequireRole('instructor', 'site_admin')
@Transport('page')
@Controller('teach/classes')
export class ClassesPageController {
  constructor(
    private readonly classes: ClassesService,
    private readonly progress: ProgressService,
    private readonly presentations: LaunchPresentations,
    private readonly views: Views,
  ) {}

  @Get()
  async list(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Query() rawQuery: FormBody,
    @Res() response: Response,
  ) {
    const { value, filters, errors, notice } = listQuery(ClassQueryDto, rawQuery);
    const result = await this.classes.list(principal, value);
    const courses = await this.classes.teachableCourses(principal);
    sendPage(
      response,
      this.views.render('teach/classes', page, {
        result,
        query: activeFilters(filters),
        errors,
        notice,
        courses: courses.map((c) => ({ value: c.id, label: c.title })),
        courseTitle: new Map(courses.map((c) => [c.id, c.title])),
      }),
    );
  }

  @Get('new')
  async newForm(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Query('courseId') courseId: unknown,
    @Res() response: Response,
  ) {
    sendPage(response, await this.renderNew(page, principal, { courseId }, {}));
  }

  @Post()
  async create(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Body() body: FormBody,
    @Res() response: Response,
  ) {
    const render = (errors: Errors) => this.renderNew(page, principal, body, errors);
    await submitForm(response, CreateClassDto, body, render, async (value) => {
      const created = await this.classes.create(principal, value);
      redirectWithNotice(response, `/teach/classes/${created.id}`, 'created');
    });
  }

  @Get(':id')
  async show(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Query() query: FormBody,
    @Res() response: Response,
  ) {
    const report = readReport(query);
    const enrollValues = { emails: report ? [...report.invalid, ...report.notFound].join('\n') : '' };
    sendPage(
      response,
      await this.renderShow(
        page,
        principal,
        id,
        { notice: query.notice, enrollResult: report, enrollValues },
        query.page,
      ),
    );
  }

  @Post(':id')
  async update(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: FormBody,
    @Res() response: Response,
  ) {
    const render = (errors: Errors) => this.renderShow(page, principal, id, { values: body, errors });
    const action = async ({ courseId: _fixed, ...value }: UpdateClassDto) => {
      await this.classes.update(principal, id, { ...value, ...emptiedToNull(body, CLEARABLE) });
      redirectWithNotice(response, `/teach/classes/${id}`, 'saved');
    };
    await submitForm(response, UpdateClassDto, body, render, action, ['title']);
  }

  /**
   * Enrolls by email, then redirects to the class page (post/redirect/get), which says who was
   * enrolled, who already was, which emails match nobody, and what is not an email at all.
   */
  @Post(':id/enrollments')
  async enroll(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: FormBody,
    @Res() response: Response,
  ) {
    const render = (errors: Errors) =>
      this.renderShow(page, principal, id, { enrollValues: body, enrollErrors: errors });
    await submitForm(
      response,
      BulkEnrollmentDto,
      body,
      render,
      async ({ emails }) => {
        const list = splitEmails(emails);
        if (list.length === 0) throw DomainError.invalidField('emails', 'Enter at least one email address');
        const { valid, invalid } = sortEmails(list);
        const result =
          valid.length > 0
            ? await this.classes.enrollByEmails(principal, id, valid)
            : { enrolled: [], alreadyEnrolled: [], notFound: [] };
        // The emails not found and the entries that are no email stay in the box, to be corrected.
        response.redirect(303, `/teach/classes/${id}?${reportQuery({ ...result, invalid })}#roster`);
      },
      ['emails'],
    );
  }

  @Post(':id/enrollments/:enrollmentId/delete')
  async unenroll(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Param('enrollmentId', UuidPipe) enrollmentId: string,
    @Res() response: Response,
  ) {
    await this.classes.unenroll(principal, id, enrollmentId);
    redirectWithNotice(response, `/teach/classes/${id}`, 'unenrolled', 'roster');
  }

  @Get(':id/roster.csv')
  async rosterCsv(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Res() response: Response,
  ) {
    await sendProgressCsv(response, `class-${id}-roster.csv`, await this.progress.classRosterBatches(principal, id));
  }

  private async renderNew(page: PageContext, principal: Principal, values: FormBody, errors: Errors) {
    const courses = await this.classes.teachableCourses(principal);
    return this.views.render('teach/new-class', page, {
      courses: courses.map((c) => ({ value: c.id, label: c.code ? `${c.title} (${c.code})` : c.title })),
      values,
      errors,
    });
  }

  /** The class with a page of its roster (`rosterPage`, as the query gave it; the first when absent or not a page). */
  private async renderShow(page: PageContext, principal: Principal, id: string, data: FormBody, rosterPage?: unknown) {
    const { courseClass, course } = await this.classes.getWithCourse(principal, id);
    const result = await this.progress.classRoster(
      principal,
      id,
      listQuery(RosterQueryDto, rosterPage === undefined ? {} : { page: rosterPage }).value,
    );
    const summary = await this.progress.classSummary(principal, id, new Date());
    const targets = await this.presentations.of(course?.activities ?? []);
    return this.views.render('teach/class', page, {
      courseClass,
      course,
      launch: (activityId: string) =>
        launchLink(launchPaths.instructor(courseClass.id, activityId), targets.get(activityId)),
      submissionHref: submissionPaths.staff,
      result,
      summary,
      labels: PROGRESS_LABELS,
      enrollmentLabels: ENROLLMENT_STATUS_LABELS,
      values: courseClass,
      errors: {},
      enrollValues: {},
      enrollErrors: {},
      enrollResult: null,
      ...data,
    });
  }
}
