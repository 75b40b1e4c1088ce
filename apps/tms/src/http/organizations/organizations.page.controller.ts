import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { OrganizationsService, Principal } from '@tms/core';
import { CurrentPrincipal, Page, RequireRole } from '../shared/decorators';
import { FormBody, submitForm } from '../shared/forms';
import { parseForm } from '../shared/validation';
import { UuidPipe } from '../shared/uuid.pipe';
import { PageContext, Views } from '../shared/views';
import {
  CreateOrganizationDto,
  OrganizationQueryDto,
  OrganizationSearchDto,
  UpdateOrganizationDto,
} from './organization.dto';
import { Transport } from '../errors/transport';
import { listQuery, redirectWithNotice, sendPage } from '../shared/page-crud';

/** Organizations a page lists as sub-organizations or as parent choices; beyond it the picker searches. */
const PICKER_LIMIT = 200;

/** The parent choice that makes a new top-level organization. */
const TOP_LEVEL = 'top-level';

@ApiExcludeController()
@RequireRole('site_admin')
@Transport('page')
@Controller('admin/organizations')
export class OrganizationsPageController {
  constructor(
    private readonly organizations: OrganizationsService,
    private readonly views: Views,
  ) {}

  /** A page of the tree (50 organizations, depth-first); the create form offers them as parents. */
  @Get()
  async list(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Query() rawQuery: FormBody,
    @Res() response: Response,
  ) {
    const { value, notice } = listQuery(OrganizationQueryDto, rawQuery);
    const result = await this.organizations.listPage(principal, value);
    sendPage(
      response,
      this.views.render('organizations/list', page, { result, tree: result.items, values: {}, errors: {}, notice }),
    );
  }

  /** The form's "top level" choice (platform administrators) is the API's `parentId: null`. */
  @Post()
  async create(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Res() response: Response,
  ) {
    const result = await this.organizations.listPage(principal, new OrganizationQueryDto());
    const render = (errors: Record<string, string>) =>
      this.views.render('organizations/list', page, { result, tree: result.items, values: body, errors });
    const form = body as Record<string, unknown>;
    const input = form.parentId === TOP_LEVEL ? { ...form, parentId: null } : form;
    await submitForm(response, CreateOrganizationDto, input, render, async (value) => {
      const created = await this.organizations.create(principal, value);
      redirectWithNotice(response, `/admin/organizations/${created.id}`, 'created');
    });
  }

  /** The pickers' search (organization "Choose", availability "Add Organizations"): JSON, never the whole tree. */
  @Get('search')
  async search(@CurrentPrincipal() principal: Principal, @Query() query: FormBody, @Res() response: Response) {
    const form = parseForm(OrganizationSearchDto, query);
    if (form.errors) {
      response.status(400).json({ errors: form.errors });
      return;
    }
    const found = await this.organizations.search(principal, form.value.q ?? '', form.value.limit ?? 20);
    response.json({
      items: found.items.map((o) => ({ id: o.id, name: o.name, path: o.path, depth: o.depth })),
      total: found.total,
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
    sendPage(response, await this.renderShow(page, principal, id, { values: {}, errors: {}, notice }));
  }

  @Post(':id')
  async update(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: unknown,
    @Res() response: Response,
  ) {
    const render = (errors: Record<string, string>) => this.renderShow(page, principal, id, { values: body, errors });
    const action = async (value: UpdateOrganizationDto) => {
      await this.organizations.update(principal, id, value);
      redirectWithNotice(response, `/admin/organizations/${id}`, 'saved');
    };
    await submitForm(response, UpdateOrganizationDto, body, render, action, ['name']);
  }

  private async renderShow(page: PageContext, principal: Principal, id: string, data: Record<string, unknown>) {
    const { organization, parent, children, parentChoices } = await this.organizations.withSurroundings(
      principal,
      id,
      PICKER_LIMIT,
    );
    // A long list of choices is searched, not rendered: only the current parent is listed then.
    const choices =
      parentChoices.total > PICKER_LIMIT ? (parent ? [{ ...parent, depth: 0 }] : []) : parentChoices.items;
    return this.views.render('organizations/show', page, {
      organization,
      parent,
      children: children.items,
      moreChildren: children.total - children.items.length,
      parentChoices: choices,
      canMove: parent !== null,
      ...data,
    });
  }
}
