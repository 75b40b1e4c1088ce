import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { OrganizationsService, Principal, ROLES, UsersService } from '@tms/core';
import { CurrentPrincipal, Page, RequireRole } from '../shared/decorators';
import { emptiedToNull, Errors, submitForm } from '../shared/forms';
import { UuidPipe } from '../shared/uuid.pipe';
import { PageContext, Views } from '../shared/views';
import { CreateMembershipDto, CreateUserDto, UpdateUserDto, UserQueryDto } from './user.dto';
import { Transport } from '../errors/transport';
import { listQuery, redirectWithNotice, sendPage } from '../shared/page-crud';

/** Optional person fields that an emptied input clears (rather than leaves as they were). */
const CLEARABLE = ['givenName', 'familyName', 'sisId', 'loginId'];

@ApiExcludeController()
@RequireRole('site_admin')
@Transport('page')
@Controller('admin/people')
export class PeoplePageController {
  constructor(
    private readonly users: UsersService,
    private readonly organizations: OrganizationsService,
    private readonly views: Views,
  ) {}

  @Get()
  async list(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Query() rawQuery: Record<string, unknown>,
    @Res() response: Response,
  ) {
    const { value, filters: query, errors, notice } = listQuery(UserQueryDto, rawQuery);
    const tree = await this.organizations.listTree(principal);
    const result = await this.users.list(principal, value);
    sendPage(response, this.views.render('people/list', page, { result, tree, query, errors, notice }));
  }

  @Get('new')
  async newForm(@Page() page: PageContext, @CurrentPrincipal() principal: Principal, @Res() response: Response) {
    const tree = await this.organizations.listTree(principal);
    sendPage(response, this.views.render('people/new', page, { tree, values: {}, errors: {} }));
  }

  @Post()
  async create(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Body() body: Record<string, unknown>,
    @Res() response: Response,
  ) {
    const tree = await this.organizations.listTree(principal);
    const render = (errors: Errors) => this.views.render('people/new', page, { tree, values: body, errors });
    await submitForm(response, CreateUserDto, body, render, async (value) => {
      const user = await this.users.create(principal, value);
      redirectWithNotice(response, `/admin/people/${user.id}`, 'created');
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
    @Body() body: Record<string, unknown>,
    @Res() response: Response,
  ) {
    const render = (errors: Errors) => this.renderShow(page, principal, id, { values: body, errors });
    const cleared = emptiedToNull(body, CLEARABLE);
    const action = async (value: UpdateUserDto) => {
      await this.users.update(principal, id, { ...value, ...cleared });
      redirectWithNotice(response, `/admin/people/${id}`, 'saved');
    };
    await submitForm(response, UpdateUserDto, body, render, action, ['name', 'email']);
  }

  @Post(':id/status')
  async setStatus(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: Record<string, unknown>,
    @Res() response: Response,
  ) {
    const render = (errors: Errors) => this.renderShow(page, principal, id, { errors });
    const action = async ({ status }: UpdateUserDto) => {
      await this.users.update(principal, id, { status });
      redirectWithNotice(response, `/admin/people/${id}`, String(status));
    };
    await submitForm(response, UpdateUserDto, { status: body.status ?? '' }, render, action, ['status']);
  }

  /** Grants (`platformAdmin=grant`) or revokes the platform administrator role; platform administrators only. */
  @Post(':id/platform-admin')
  async setPlatformAdmin(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: Record<string, unknown>,
    @Res() response: Response,
  ) {
    const render = (errors: Errors) => this.renderShow(page, principal, id, { errors });
    await submitForm(response, Object, {}, render, async () => {
      const grant = body.platformAdmin === 'grant';
      await this.users.setPlatformAdmin(principal, id, grant);
      response.redirect(
        303,
        `/admin/people/${id}?notice=${grant ? 'platform-admin-granted' : 'platform-admin-revoked'}`,
      );
    });
  }

  @Post(':id/memberships')
  async addMembership(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: Record<string, unknown>,
    @Res() response: Response,
  ) {
    const render = (errors: Errors) =>
      this.renderShow(page, principal, id, { membershipValues: body, membershipErrors: errors });
    await submitForm(response, CreateMembershipDto, body, render, async (value) => {
      await this.users.addMembership(principal, id, value);
      redirectWithNotice(response, `/admin/people/${id}`, 'role-added');
    });
  }

  @Post(':id/memberships/:membershipId/delete')
  async removeMembership(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Param('membershipId', UuidPipe) membershipId: string,
    @Res() response: Response,
  ) {
    const render = (errors: Errors) => this.renderShow(page, principal, id, { membershipErrors: errors });
    await submitForm(response, Object, {}, render, async () => {
      await this.users.removeMembership(principal, id, membershipId);
      redirectWithNotice(response, `/admin/people/${id}`, 'role-removed');
    });
  }

  private async renderShow(page: PageContext, principal: Principal, id: string, data: Record<string, unknown>) {
    const user = await this.users.get(principal, id);
    const tree = await this.organizations.listTree(principal);
    return this.views.render('people/show', page, {
      user,
      tree,
      roles: ROLES,
      organizationName: new Map(tree.map((o) => [o.id, o.name])),
      values: user,
      errors: {},
      membershipValues: {},
      membershipErrors: {},
      ...data,
    });
  }
}
