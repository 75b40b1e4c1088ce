import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController, OmitType } from '@nestjs/swagger';
import type { Response } from 'express';
import { ClassesService, Principal, SelfPacedService } from '@tms/core';
import { CurrentPrincipal, Page, RequireRole } from '../shared/decorators';
import { Errors, FormBody, submitForm } from '../shared/forms';
import { UuidPipe } from '../shared/uuid.pipe';
import { EmailAddress, parseForm } from '../shared/validation';
import { PageContext, Views } from '../shared/views';
import { CreateSelfPacedDto, SelfPacedQueryDto } from './learning.dto';
import { activeFilters, ENROLLMENT_STATUS_LABELS } from './learning-forms';
import { Transport } from '../errors/transport';
import { redirectWithNotice, sendPage } from '../shared/page-crud';

/** The assign form names the learner by email; the API's DTO takes their id. */
class AssignSelfPacedFormDto extends OmitType(CreateSelfPacedDto, ['userId']) {
  @EmailAddress() email!: string;
}

/** A due date from a date input means the end of that day (UTC); anything else goes to the validator as typed. */
function dueAtOf(body: FormBody): FormBody {
  const { dueAt } = body;
  if (typeof dueAt !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(dueAt)) return body;
  return { ...body, dueAt: `${dueAt}T23:59:59.999Z` };
}

/**
 * Self-paced assignments, for instructors and site admins (anyone else gets 403); the service
 * scopes them to the organizations where the person teaches.
 */
@ApiExcludeController()
@RequireRole('instructor', 'site_admin')
@Transport('page')
@Controller('teach/self-paced')
export class SelfPacedPageController {
  constructor(
    private readonly selfPaced: SelfPacedService,
    private readonly classes: ClassesService,
    private readonly views: Views,
  ) {}

  @Get()
  async list(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Query() rawQuery: FormBody,
    @Res() response: Response,
  ) {
    const { notice, ...filters } = rawQuery;
    sendPage(response, await this.renderList(page, principal, filters, { notice }));
  }

  @Post()
  async assign(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Body() body: FormBody,
    @Res() response: Response,
  ) {
    const render = (errors: Errors) =>
      this.renderList(page, principal, {}, { values: body, errors: { email: errors.userId, ...errors } });
    const action = async (value: AssignSelfPacedFormDto) => {
      await this.selfPaced.assign(principal, value);
      redirectWithNotice(response, '/teach/self-paced', 'assigned');
    };
    await submitForm(response, AssignSelfPacedFormDto, dueAtOf(body), render, action, ['email']);
  }

  @Post(':enrollmentId/delete')
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('enrollmentId', UuidPipe) enrollmentId: string,
    @Res() response: Response,
  ) {
    await this.selfPaced.remove(principal, enrollmentId);
    redirectWithNotice(response, '/teach/self-paced', 'assignment-removed');
  }

  private async renderList(page: PageContext, principal: Principal, filters: FormBody, data: FormBody) {
    const form = parseForm(SelfPacedQueryDto, filters);
    const result = await this.selfPaced.list(principal, form.value ?? new SelfPacedQueryDto());
    const courses = await this.classes.teachableCourses(principal);
    return this.views.render('teach/self-paced', page, {
      result,
      query: form.value ? activeFilters(filters) : {},
      queryErrors: form.errors ?? {},
      courses: courses.map((c) => ({ value: c.id, label: c.code ? `${c.title} (${c.code})` : c.title })),
      courseTitle: new Map(courses.map((c) => [c.id, c.title])),
      enrollmentLabels: ENROLLMENT_STATUS_LABELS,
      values: {},
      errors: {},
      ...data,
    });
  }
}
