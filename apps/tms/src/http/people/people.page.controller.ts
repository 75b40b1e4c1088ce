import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { OrganizationsService, Principal, ROLES, UsersService } from '@tms/core';
import { requireRole } from '../shared/auth.guard';
import { CurrentPrincipal, Page } from '../shared/decorators';
import { sendFormErrors } from '../shared/forms';
import { AppRequest } from '../shared/request-context';
import { UuidPipe } from '../shared/uuid.pipe';
import { parseForm } from '../shared/validation';
import { PageContext, Views } from '../shared/views';
import { CreateMembershipDto, CreateUserDto, UpdateUserDto, UserQueryDto } from './user.dto';

@ApiExcludeController()
@Controller('admin/people')
export class PeoplePageController {
  constructor(
    private readonly users: UsersService,
    private readonly organizations: OrganizationsService,
    private readonly views: Views,
  ) {}

  @Get()
  async list(
    @Req() request: AppRequest,
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Query() rawQuery: Record<string, unknown>,
    @Res() response: Response,
  ) {
    requireRole(request, 'site_admin');
    const tree = await this.organizations.listTree(principal);
    const { notice, ...filters } = rawQuery;
    const form = parseForm(UserQueryDto, filters);
    const query = form.value ?? new UserQueryDto();
    const result = await this.users.list(principal, query);
    response.type('html').send(
      this.views.render('people/list', page, {
        result,
        tree,
        query: form.value ? filters : {},
        errors: form.errors ?? {},
        notice,
      }),
    );
  }

  @Get('new')
  async newForm(
    @Req() request: AppRequest,
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Res() response: Response,
  ) {
    requireRole(request, 'site_admin');
    const tree = await this.organizations.listTree(principal);
    response.type('html').send(this.views.render('people/new', page, { tree, values: {}, errors: {} }));
  }

  @Post()
  async create(
    @Req() request: AppRequest,
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Body() body: Record<string, unknown>,
    @Res() response: Response,
  ) {
    requireRole(request, 'site_admin');
    const tree = await this.organizations.listTree(principal);
    const render = (errors: Record<string, string>) =>
      this.views.render('people/new', page, { tree, values: { ...body, password: '' }, errors });
    const form = parseForm(CreateUserDto, body);
    if (form.errors) return response.status(400).type('html').send(render(form.errors));
    await sendFormErrors(response, render, async () => {
      const user = await this.users.create(principal, form.value);
      response.redirect(303, `/admin/people/${user.id}?notice=created`);
    });
  }

  @Get(':id')
  async show(
    @Req() request: AppRequest,
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Query('notice') notice: unknown,
    @Res() response: Response,
  ) {
    requireRole(request, 'site_admin');
    response.type('html').send(await this.renderShow(page, principal, id, { notice }));
  }

  @Post(':id')
  async update(
    @Req() request: AppRequest,
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: Record<string, unknown>,
    @Res() response: Response,
  ) {
    requireRole(request, 'site_admin');
    const render = (errors: Record<string, string>) =>
      this.renderShow(page, principal, id, { values: { ...body, password: '' }, errors });
    // Optional text fields left empty are cleared, not ignored.
    const cleared = Object.fromEntries(
      ['givenName', 'familyName', 'sisId', 'loginId'].filter((key) => body[key] === '').map((key) => [key, null]),
    );
    const form = parseForm(UpdateUserDto, body);
    if (form.errors)
      return response
        .status(400)
        .type('html')
        .send(await render(form.errors));
    await sendFormErrors(response, render, async () => {
      await this.users.update(principal, id, { ...form.value, ...cleared });
      response.redirect(303, `/admin/people/${id}?notice=saved`);
    });
  }

  @Post(':id/status')
  async setStatus(
    @Req() request: AppRequest,
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: Record<string, unknown>,
    @Res() response: Response,
  ) {
    requireRole(request, 'site_admin');
    const form = parseForm(UpdateUserDto, { status: body.status });
    const render = (errors: Record<string, string>) => this.renderShow(page, principal, id, { errors });
    if (form.errors || form.value.status === undefined) {
      return response
        .status(400)
        .type('html')
        .send(await render(form.errors ?? { status: 'status is required' }));
    }
    const status = form.value.status;
    await sendFormErrors(response, render, async () => {
      await this.users.update(principal, id, { status });
      response.redirect(303, `/admin/people/${id}?notice=${status}`);
    });
  }

  @Post(':id/memberships')
  async addMembership(
    @Req() request: AppRequest,
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: Record<string, unknown>,
    @Res() response: Response,
  ) {
    requireRole(request, 'site_admin');
    const render = (errors: Record<string, string>) =>
      this.renderShow(page, principal, id, { membershipValues: body, membershipErrors: errors });
    const form = parseForm(CreateMembershipDto, body);
    if (form.errors)
      return response
        .status(400)
        .type('html')
        .send(await render(form.errors));
    await sendFormErrors(response, render, async () => {
      await this.users.addMembership(principal, id, form.value);
      response.redirect(303, `/admin/people/${id}?notice=role-added`);
    });
  }

  @Post(':id/memberships/:membershipId/delete')
  async removeMembership(
    @Req() request: AppRequest,
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Param('membershipId', UuidPipe) membershipId: string,
    @Res() response: Response,
  ) {
    requireRole(request, 'site_admin');
    const render = (errors: Record<string, string>) =>
      this.renderShow(page, principal, id, { membershipErrors: errors });
    await sendFormErrors(response, render, async () => {
      await this.users.removeMembership(principal, id, membershipId);
      response.redirect(303, `/admin/people/${id}?notice=role-removed`);
    });
  }

  private async renderShow(page: PageContext, principal: Principal, id: string, data: Record<string, unknown>) {
    const user = await this.users.get(principal, id);
    const tree = await this.organizations.listTree(principal);
    const organizationName = new Map(tree.map((o) => [o.id, o.name]));
    return this.views.render('people/show', page, {
      user,
      tree,
      roles: ROLES,
      organizationName,
      values: user,
      errors: {},
      membershipValues: {},
      membershipErrors: {},
      ...data,
    });
  }
}
