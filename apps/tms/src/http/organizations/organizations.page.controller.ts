import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError, OrganizationNode, OrganizationsService, Principal } from '@tms/core';
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
    // The managed tree holds the organization itself: one scope lookup serves both.
    const tree = await this.organizations.listTree(principal);
    const organization = tree.find((o) => o.id === id);
    if (!organization) throw DomainError.notFound('Organization');
    const children = tree.filter((o) => o.parentId === id);
    const parent = tree.find((o) => o.id === organization.parentId) ?? null;
    // Possible new parents: anything managed outside this organization's own subtree.
    const subtree = subtreeOf(tree, id);
    const parentChoices = tree.filter((o) => !subtree.has(o.id));
    return this.views.render('organizations/show', page, {
      organization,
      parent,
      children,
      parentChoices,
      canMove: parent !== null,
      ...data,
    });
  }
}

/** The tree is depth-first, so every parent is met before its children. */
function subtreeOf(tree: readonly OrganizationNode[], id: string): Set<string> {
  const ids = new Set([id]);
  for (const node of tree) if (node.parentId !== null && ids.has(node.parentId)) ids.add(node.id);
  return ids;
}
