import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CourseCopyService, CoursesService, OrganizationsService, Principal } from '@tms/core';
import { Transport } from '../errors/transport';
import { CurrentPrincipal, Page, RequireRole } from '../shared/decorators';
import { Errors, FormBody, submitForm } from '../shared/forms';
import { sendPage } from '../shared/page-crud';
import { UuidPipe } from '../shared/uuid.pipe';
import { PageContext, Views } from '../shared/views';
import { CopyCourseDto } from './course-copy.dto';

/** Copying a course into an organization where the author works: a form, then what was copied and what was not. */
@ApiExcludeController()
@RequireRole('course_author', 'site_admin')
@Transport('page')
@Controller('author/courses')
export class CourseCopyPageController {
  constructor(
    private readonly courses: CoursesService,
    private readonly copies: CourseCopyService,
    private readonly organizations: OrganizationsService,
    private readonly views: Views,
  ) {}

  @Get(':id/copy')
  async form(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Res() response: Response,
  ) {
    const course = await this.courses.get(principal, id);
    const values = { title: `${course.title} (copy)`, organizationId: course.organizationId };
    sendPage(response, await this.renderForm(page, principal, id, values, {}));
  }

  /** The outcome is a page of its own (what was copied, what was left out), not a redirect: 200. */
  @Post(':id/copy')
  @HttpCode(200)
  async copy(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: FormBody,
    @Res() response: Response,
  ) {
    // An empty field of the form means "not given", as it does when the API leaves it out.
    const input = Object.fromEntries(Object.entries(body).filter(([, value]) => value !== ''));
    const render = (errors: Errors) => this.renderForm(page, principal, id, body, errors);
    await submitForm(response, CopyCourseDto, input, render, async (value) => {
      const source = await this.courses.get(principal, id);
      const result = await this.copies.copy(principal, id, value);
      sendPage(response, this.views.render('author/copied', page, { source, ...result }));
    });
  }

  private async renderForm(page: PageContext, principal: Principal, id: string, values: FormBody, errors: Errors) {
    const course = await this.courses.get(principal, id);
    const tree = await this.organizations.listTree(principal, ['course_author']);
    return this.views.render('author/copy', page, { course, tree: tree.length > 1 ? tree : [], values, errors });
  }
}
