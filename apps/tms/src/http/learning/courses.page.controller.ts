import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  CoursesService,
  DomainError,
  OrganizationNode,
  OrganizationsService,
  Principal,
  ProgressService,
  LaunchPresentations,
} from '@tms/core';
import { CurrentPrincipal, Page, RequireRole } from '../shared/decorators';
import { checkbox, emptiedToNull, Errors, FormBody, submitForm } from '../shared/forms';
import { UuidPipe } from '../shared/uuid.pipe';
import { PageContext, Views } from '../shared/views';
import { CourseQueryDto, CreateActivityDto, CreateCourseDto, RosterQueryDto, UpdateCourseDto } from './learning.dto';
import { activeFilters, ENROLLMENT_STATUS_LABELS, PROGRESS_LABELS } from './learning-forms';
import { sendProgressCsv } from './progress-csv';
import { launchLink, launchPaths } from '../launch/launch-paths';
import { Transport } from '../errors/transport';
import { listQuery, redirectWithNotice, sendPage } from '../shared/page-crud';

/**
 * Course authoring, for course authors and site admins (anyone else gets 403); the service scopes
 * courses to the organizations where they author or administer, and anything outside answers 404.
 */
@ApiExcludeController()
@RequireRole('course_author', 'site_admin')
@Transport('page')
@Controller('author/courses')
export class CoursesPageController {
  constructor(
    private readonly courses: CoursesService,
    private readonly progress: ProgressService,
    private readonly organizations: OrganizationsService,
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
    const { value, filters, errors, notice } = listQuery(CourseQueryDto, rawQuery);
    const result = await this.courses.list(principal, value);
    const tree = await this.authoringTree(principal);
    sendPage(
      response,
      this.views.render('author/list', page, {
        result,
        query: activeFilters(filters),
        errors,
        notice,
        organizationName: new Map(tree.map((o) => [o.id, o.name])),
      }),
    );
  }

  @Get('new')
  async newForm(@Page() page: PageContext, @CurrentPrincipal() principal: Principal, @Res() response: Response) {
    sendPage(response, await this.renderNew(page, principal, {}, {}));
  }

  @Post()
  async create(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Body() body: FormBody,
    @Res() response: Response,
  ) {
    const render = (errors: Errors) => this.renderNew(page, principal, body, errors);
    await submitForm(response, CreateCourseDto, body, render, async (value) => {
      const course = await this.courses.create(principal, value);
      redirectWithNotice(response, `/author/courses/${course.id}`, 'created');
    });
  }

  @Get(':id')
  async show(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Query('notice') notice: unknown,
    @Res() response: Response,
  ) {
    sendPage(response, await this.renderShow(page, principal, id, { notice }));
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
    const action = async (value: UpdateCourseDto) => {
      await this.courses.update(principal, id, { ...value, ...emptiedToNull(body, ['code', 'description']) });
      redirectWithNotice(response, `/author/courses/${id}`, 'saved');
    };
    await submitForm(response, UpdateCourseDto, body, render, action, ['title']);
  }

  @Post(':id/activities')
  async addActivity(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: FormBody,
    @Res() response: Response,
  ) {
    const input = checkbox(body, 'required');
    const render = (errors: Errors) =>
      this.renderShow(page, principal, id, { activityValues: input, activityErrors: errors });
    await submitForm(response, CreateActivityDto, input, render, async (value) => {
      await this.courses.addActivity(principal, id, value);
      redirectWithNotice(response, `/author/courses/${id}`, 'activity-added', 'activities');
    });
  }

  @Post(':id/activities/:activityId/move')
  async moveActivity(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Param('activityId', UuidPipe) activityId: string,
    @Body('direction') direction: unknown,
    @Res() response: Response,
  ) {
    if (direction !== 'up' && direction !== 'down') {
      throw DomainError.invalidField('direction', 'direction must be up or down');
    }
    await this.courses.moveActivity(principal, id, activityId, direction);
    redirectWithNotice(response, `/author/courses/${id}`, 'activity-moved', 'activities');
  }

  @Post(':id/activities/:activityId/delete')
  async removeActivity(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Param('activityId', UuidPipe) activityId: string,
    @Res() response: Response,
  ) {
    await this.courses.removeActivity(principal, id, activityId);
    redirectWithNotice(response, `/author/courses/${id}`, 'activity-removed', 'activities');
  }

  /** A page of the course report (by name), under the summary of the whole course. */
  @Get(':id/progress')
  async report(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Query() rawQuery: FormBody,
    @Res() response: Response,
  ) {
    const course = await this.courses.get(principal, id);
    const result = await this.progress.courseReport(principal, id, listQuery(RosterQueryDto, rawQuery).value);
    const summary = await this.progress.courseSummary(principal, id, new Date());
    sendPage(
      response,
      this.views.render('author/progress', page, {
        course,
        result,
        summary,
        labels: PROGRESS_LABELS,
        enrollmentLabels: ENROLLMENT_STATUS_LABELS,
      }),
    );
  }

  @Get(':id/progress.csv')
  async reportCsv(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Res() response: Response,
  ) {
    await this.courses.get(principal, id);
    const batches = await this.progress.courseReportBatches(principal, id);
    await sendProgressCsv(response, `course-${id}-progress.csv`, batches);
  }

  /**
   * Where this person authors, as a tree. A select is offered only when there is a choice: with one
   * organization the service takes it.
   */
  private authoringTree(principal: Principal): Promise<OrganizationNode[]> {
    return this.organizations.listTree(principal, ['course_author']);
  }

  private async renderNew(page: PageContext, principal: Principal, values: FormBody, errors: Errors) {
    const tree = await this.authoringTree(principal);
    return this.views.render('author/new', page, { tree: tree.length > 1 ? tree : [], values, errors });
  }

  private async renderShow(page: PageContext, principal: Principal, id: string, data: FormBody) {
    const course = await this.courses.get(principal, id);
    const links = await this.courses.placeableLinks(principal, id);
    const contentItemTools = await this.courses.contentSelectionProviders(principal, id);
    const tree = await this.authoringTree(principal);
    const targets = await this.presentations.of(course.activities);
    return this.views.render('author/show', page, {
      course,
      preview: (activityId: string) => launchLink(launchPaths.preview(course.id, activityId), targets.get(activityId)),
      contentSelectionHref: (providerId: string, acceptMultiple: boolean) =>
        launchPaths.contentSelection(course.id, providerId, acceptMultiple),
      tree: tree.length > 1 ? tree : [],
      organizationName: new Map(tree.map((o) => [o.id, o.name])),
      links: links.map((link) => ({ value: link.id, label: link.name })),
      contentItemTools: contentItemTools.map((provider) => ({ id: provider.id, name: provider.name })),
      values: course,
      errors: {},
      activityValues: { required: true },
      activityErrors: {},
      ...data,
    });
  }
}
