import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError, OrganizationNode, OrganizationsService, Principal } from '@tms/core';
import { requireRole } from '../shared/auth.guard';
import { CurrentPrincipal, Page } from '../shared/decorators';
import { sendFormErrors } from '../shared/forms';
import { AppRequest } from '../shared/request-context';
import { UuidPipe } from '../shared/uuid.pipe';
import { parseForm } from '../shared/validation';
import { PageContext, Views } from '../shared/views';
import { CreateOrganizationDto, UpdateOrganizationDto } from './organization.dto';

@ApiExcludeController()
@Controller('admin/organizations')
export class OrganizationsPageController {
  constructor(
    private readonly organizations: OrganizationsService,
    private readonly views: Views,
  ) {}

  @Get()
  async list(
    @Req() request: AppRequest,
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Query('notice') notice: unknown,
    @Res() response: Response,
  ) {
    requireRole(request, 'site_admin');
    const tree = await this.organizations.listTree(principal);
    response.type('html').send(this.views.render('organizations/list', page, { tree, values: {}, errors: {}, notice }));
  }

  @Post()
  async create(
    @Req() request: AppRequest,
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Res() response: Response,
  ) {
    requireRole(request, 'site_admin');
    const tree = await this.organizations.listTree(principal);
    const render = (errors: Record<string, string>) =>
      this.views.render('organizations/list', page, { tree, values: body, errors });
    const form = parseForm(CreateOrganizationDto, body);
    if (form.errors) return response.status(400).type('html').send(render(form.errors));
    await sendFormErrors(response, render, async () => {
      const created = await this.organizations.create(principal, form.value);
      response.redirect(303, `/admin/organizations/${created.id}?notice=created`);
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
    response.type('html').send(await this.renderShow(page, principal, id, { values: {}, errors: {}, notice }));
  }

  @Post(':id')
  async update(
    @Req() request: AppRequest,
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: unknown,
    @Res() response: Response,
  ) {
    requireRole(request, 'site_admin');
    const form = parseForm(UpdateOrganizationDto, body);
    const render = (errors: Record<string, string>) => this.renderShow(page, principal, id, { values: body, errors });
    if (form.errors)
      return response
        .status(400)
        .type('html')
        .send(await render(form.errors));
    await sendFormErrors(response, render, async () => {
      await this.organizations.update(principal, id, form.value);
      response.redirect(303, `/admin/organizations/${id}?notice=saved`);
    });
  }

  private async renderShow(page: PageContext, principal: Principal, id: string, data: Record<string, unknown>) {
    const organization = await this.organizations.get(principal, id);
    const tree = await this.organizations.listTree(principal);
    const node = tree.find((o) => o.id === id);
    if (!node) throw DomainError.notFound('Organization');
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

function subtreeOf(tree: readonly OrganizationNode[], id: string): Set<string> {
  const ids = new Set([id]);
  for (const node of tree) if (node.parentId !== null && ids.has(node.parentId)) ids.add(node.id);
  return ids;
}
