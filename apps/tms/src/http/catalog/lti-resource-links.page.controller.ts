import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  CATALOG_STATUSES,
  CatalogStatus,
  LtiProvidersService,
  LtiResourceLinksService,
  MAX_PAGE_SIZE,
  OrganizationsService,
  Principal,
} from '@tms/core';
import { CurrentPrincipal, Page, RequireRole } from '../shared/decorators';
import { checkbox, emptiedToNull, Errors, FormBody, submitForm } from '../shared/forms';
import { UuidPipe } from '../shared/uuid.pipe';
import { PageContext, Views } from '../shared/views';
import { choices, organizationChoices, STATUS_LABELS, withCheckboxLists } from './catalog-forms';
import {
  CreateResourceLinkDto,
  ResourceLinkQueryDto,
  toResourceLinkDto,
  UpdateResourceLinkDto,
} from './resource-link.dto';
import { Transport } from '../errors/transport';
import { listQuery, redirectWithNotice, sendPage } from '../shared/page-crud';

const REQUIRES_SCORE = 'requiresScoreForCompletion';

/**
 * The form as the DTO takes it: checkboxes resolved, and no passing score unless a score is required
 * (the field only means something with the box ticked; the service then drops a stored one).
 */
function linkInput(body: FormBody): FormBody {
  const input = checkbox(withCheckboxLists(body), REQUIRES_SCORE);
  if (input[REQUIRES_SCORE] !== 'false') return input;
  return Object.fromEntries(Object.entries(input).filter(([key]) => key !== 'passingScore'));
}

@ApiExcludeController()
@RequireRole('site_admin')
@Transport('page')
@Controller('admin/lti/resource-links')
export class LtiResourceLinksPageController {
  constructor(
    private readonly links: LtiResourceLinksService,
    private readonly providers: LtiProvidersService,
    private readonly organizations: OrganizationsService,
    private readonly views: Views,
  ) {}

  @Get()
  async list(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Query() rawQuery: FormBody,
    @Res() response: Response,
  ) {
    const { value, filters, errors, notice } = listQuery(ResourceLinkQueryDto, rawQuery);
    const tree = await this.organizations.listTree(principal);
    const result = await this.links.list(principal, value);
    sendPage(
      response,
      this.views.render('lti/resource-links/list', page, {
        result,
        tree,
        query: filters,
        errors,
        notice,
        providers: await this.providerChoices(principal),
        statuses: choices(CATALOG_STATUSES, STATUS_LABELS),
        organizationName: new Map(tree.map((o) => [o.id, o.name])),
      }),
    );
  }

  @Get('new')
  async newForm(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Query('providerId') providerId: unknown,
    @Res() response: Response,
  ) {
    const tree = await this.organizations.listTree(principal);
    const defaults: FormBody = {
      providerId: typeof providerId === 'string' ? providerId : undefined,
      [REQUIRES_SCORE]: 'false',
      availableOrganizationIds: tree.length > 0 ? [tree[0].id] : [],
    };
    sendPage(response, await this.renderNew(page, principal, defaults, {}));
  }

  @Post()
  async create(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Body() body: FormBody,
    @Res() response: Response,
  ) {
    const input = linkInput(body);
    const render = (errors: Errors) => this.renderNew(page, principal, checkbox(body, REQUIRES_SCORE), errors);
    await submitForm(response, CreateResourceLinkDto, input, render, async (value) => {
      const link = await this.links.create(principal, value);
      redirectWithNotice(response, `/admin/lti/resource-links/${link.id}`, 'created');
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
    const input = linkInput(body);
    const values = checkbox(withCheckboxLists(body), REQUIRES_SCORE);
    const render = (errors: Errors) => this.renderShow(page, principal, id, { values, errors });
    const action = async (value: UpdateResourceLinkDto) => {
      await this.links.update(principal, id, { ...value, ...emptiedToNull(input, ['passingScore']) });
      redirectWithNotice(response, `/admin/lti/resource-links/${id}`, 'saved');
    };
    await submitForm(response, UpdateResourceLinkDto, input, render, action, ['name', 'url', 'customParameters']);
  }

  @Post(':id/status')
  async setStatus(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: FormBody,
    @Res() response: Response,
  ) {
    const render = (errors: Errors) => this.renderShow(page, principal, id, { errors });
    const action = async ({ status }: UpdateResourceLinkDto) => {
      await this.links.update(principal, id, { status });
      redirectWithNotice(response, `/admin/lti/resource-links/${id}`, status === 'active' ? 'enabled' : 'disabled');
    };
    await submitForm(response, UpdateResourceLinkDto, { status: body.status ?? '' }, render, action, ['status']);
  }

  @Get(':id/delete')
  async confirmDelete(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Res() response: Response,
  ) {
    const link = await this.links.get(principal, id);
    const activities = await this.links.countActivities(principal, id);
    sendPage(response, this.views.render('lti/resource-links/delete', page, { link, activities }));
  }

  @Post(':id/delete')
  async delete(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string, @Res() response: Response) {
    await this.links.delete(principal, id);
    redirectWithNotice(response, '/admin/lti/resource-links', 'deleted');
  }

  /** Providers to choose from, by name: all visible ones (filters) or only active ones (new links). */
  private async providerChoices(principal: Principal, status?: CatalogStatus) {
    const page = await this.providers.list(principal, { page: 1, limit: MAX_PAGE_SIZE, status });
    return page.items.map((p) => ({ value: p.id, label: `${p.name} (LTI ${p.ltiVersion})` }));
  }

  private async renderNew(page: PageContext, principal: Principal, values: FormBody, errors: Errors) {
    const tree = await this.organizations.listTree(principal);
    return this.views.render('lti/resource-links/new', page, {
      tree,
      organizations: organizationChoices(tree),
      providers: await this.providerChoices(principal, 'active'),
      values,
      errors,
    });
  }

  private async renderShow(page: PageContext, principal: Principal, id: string, data: FormBody) {
    const link = toResourceLinkDto(await this.links.get(principal, id));
    const tree = await this.organizations.listTree(principal);
    return this.views.render('lti/resource-links/show', page, {
      link,
      tree,
      organizations: organizationChoices(tree),
      organizationName: new Map(tree.map((o) => [o.id, o.name])),
      values: { ...link, [REQUIRES_SCORE]: String(link.requiresScoreForCompletion) },
      errors: {},
      ...data,
    });
  }
}
