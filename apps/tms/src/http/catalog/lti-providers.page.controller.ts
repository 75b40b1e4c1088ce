import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  DomainError,
  LaunchInspector,
  Lti1p1TestLaunch,
  LtiProvidersService,
  OrganizationsService,
  PlatformNoticesService,
  PlatformUrls,
  Principal,
  ProviderSelfTest,
  ProviderView,
  RefusedAuthorizations,
  SelfTestRuns,
} from '@tms/core';
import { NOTICE_TYPES } from '@tms/lti';
import { CurrentPrincipal, Page, RequireRole } from '../shared/decorators';
import { checkbox, emptiedToNull, Errors, FormBody, submitForm } from '../shared/forms';
import { UuidPipe } from '../shared/uuid.pipe';
import { parseForm } from '../shared/validation';
import { PageContext, Views } from '../shared/views';
import { withCheckboxLists, withoutSecret } from './catalog-forms';
import {
  CreateProviderDto,
  ProviderQueryDto,
  ProviderSearchDto,
  toProviderDto,
  UpdateProviderDto,
} from './provider.dto';
import { presentationNote, providerFormOptions, providerFormValues } from './provider-form';
import { Transport } from '../errors/transport';
import { listQuery, redirectWithNotice, sendPage } from '../shared/page-crud';

/** Refused authorizations shown a page at a time on the provider's page (`?refused=<page>`). */
const REFUSALS_PAGE_SIZE = 10;
const MAX_REFUSED_PAGE = 1000;

function refusedPageOf(value: unknown): number {
  if (value === undefined) return 1;
  const page = typeof value === 'string' && /^[1-9][0-9]{0,3}$/.test(value) ? Number(value) : NaN;
  if (!(page <= MAX_REFUSED_PAGE)) {
    throw DomainError.invalidField('refused', `refused must be a page number from 1 to ${MAX_REFUSED_PAGE}`);
  }
  return page;
}

/** Optional provider fields that an emptied input clears rather than keeps. */
const CLEARABLE = ['frameWidth', 'frameHeight', 'jwksUrl', 'publicKeyPem', 'contentItemUrl', 'replacesProviderId'];

/** Fields that must not be emptied on an edit form (an empty one fails instead of being kept). */
const REQUIRED_ON_EDIT = ['name', 'consumerKey', 'loginUrl', 'redirectUris', 'targetLinkUri', 'customParameters'];

@ApiExcludeController()
@RequireRole('site_admin')
@Transport('page')
@Controller('admin/lti/providers')
export class LtiProvidersPageController {
  constructor(
    private readonly providers: LtiProvidersService,
    private readonly organizations: OrganizationsService,
    private readonly views: Views,
    private readonly urls: PlatformUrls,
    private readonly notices: PlatformNoticesService,
    private readonly inspector: LaunchInspector,
    private readonly selfTests: ProviderSelfTest,
    private readonly testLaunches: Lti1p1TestLaunch,
    private readonly refusals: RefusedAuthorizations,
    private readonly selfTestRuns: SelfTestRuns,
  ) {}

  @Get()
  async list(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Query() rawQuery: FormBody,
    @Res() response: Response,
  ) {
    const { value, filters, errors, notice } = listQuery(ProviderQueryDto, rawQuery);
    const tree = await this.organizations.listTree(principal);
    const result = await this.providers.list(principal, value);
    const organizationName = new Map(tree.map((o) => [o.id, o.name]));
    sendPage(
      response,
      this.views.render('lti/providers/list', page, {
        result,
        tree,
        query: filters,
        organizationName,
        errors,
        notice,
        options: providerFormOptions(tree),
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
    const input = checkbox(withCheckboxLists(body), 'platformStorage');
    const render = (errors: Errors) => this.renderNew(page, principal, withoutSecret(input), errors);
    await submitForm(response, CreateProviderDto, input, render, async (value) => {
      const provider = await this.providers.create(principal, value);
      redirectWithNotice(response, `/admin/lti/providers/${provider.id}`, 'created');
    });
  }

  /** The resource link form's "Choose" for its LTI provider: active providers usable in an organization. */
  @Get('search')
  async search(@CurrentPrincipal() principal: Principal, @Query() query: FormBody, @Res() response: Response) {
    const form = parseForm(ProviderSearchDto, query);
    if (form.errors) {
      response.status(400).json({ errors: form.errors });
      return;
    }
    const { q, organizationId, limit } = form.value;
    const found = await this.providers.list(principal, {
      search: q || undefined,
      usableIn: organizationId,
      status: 'active',
      page: 1,
      limit: limit ?? 20,
    });
    response.json({ items: found.items.map((p) => ({ id: p.id, name: p.name, path: p.name })), total: found.total });
  }

  @Get(':id')
  async show(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Query('notice') notice: unknown,
    @Query('refused') refused: unknown,
    @Res() response: Response,
  ) {
    sendPage(response, await this.renderShow(page, principal, id, { notice }, refusedPageOf(refused)));
  }

  @Post(':id')
  async update(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: FormBody,
    @Res() response: Response,
  ) {
    const input = checkbox(withCheckboxLists(body), 'platformStorage');
    const render = (errors: Errors) => this.renderShow(page, principal, id, { values: withoutSecret(input), errors });
    const action = async (value: UpdateProviderDto) => {
      await this.providers.update(principal, id, { ...value, ...emptiedToNull(input, CLEARABLE) });
      redirectWithNotice(response, `/admin/lti/providers/${id}`, 'saved');
    };
    await submitForm(response, UpdateProviderDto, input, render, action, REQUIRED_ON_EDIT);
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
    const action = async ({ status }: UpdateProviderDto) => {
      await this.providers.update(principal, id, { status });
      redirectWithNotice(response, `/admin/lti/providers/${id}`, status === 'active' ? 'enabled' : 'disabled');
    };
    await submitForm(response, UpdateProviderDto, { status: body.status ?? '' }, render, action, ['status']);
  }

  @Post(':id/key-check')
  async checkKey(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Res() response: Response,
  ) {
    const provider = await this.providers.checkKey(principal, id);
    const ready = provider.lti1p3?.key.status === 'ready';
    redirectWithNotice(response, `/admin/lti/providers/${id}`, ready ? 'key_ready' : 'key_waiting');
  }

  /** The 1.3 self-test: its checks shown on the provider's page. */
  @Post(':id/self-test')
  async selfTest(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Res() response: Response,
  ) {
    const selfTest = await this.selfTests.run(principal, id);
    sendPage(response, await this.renderShow(page, principal, id, { selfTest }));
  }

  /** The 1.1 self-test: a signed launch to the URL given, the tool's answer shown on the provider's page. */
  @Post(':id/test-launch')
  async testLaunch(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: FormBody,
    @Res() response: Response,
  ) {
    const launchUrl = typeof body.launchUrl === 'string' ? body.launchUrl : '';
    try {
      const testLaunch = await this.testLaunches.run(principal, id, launchUrl);
      sendPage(response, await this.renderShow(page, principal, id, { testLaunch, launchUrl }));
    } catch (error) {
      const field = error instanceof DomainError ? error.fields.find((f) => f.field === 'launchUrl') : undefined;
      if (!field) throw error;
      const html = await this.renderShow(page, principal, id, { errors: { launchUrl: field.message }, launchUrl });
      response.status(400).type('html').send(html);
    }
  }

  /** Queues an LtiHelloWorldNotice for the tool's handler (LTI PNS 1.0), to try the connection. */
  @Post(':id/notices/hello-world')
  async helloWorld(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Res() response: Response,
  ) {
    try {
      await this.notices.helloWorld(principal, id);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'conflict') throw error;
      sendPage(response, await this.renderShow(page, principal, id, { errors: { notices: error.message } }));
      return;
    }
    redirectWithNotice(response, `/admin/lti/providers/${id}`, 'notice-queued', 'notices');
  }

  @Get(':id/delete')
  async confirmDelete(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Res() response: Response,
  ) {
    const provider = await this.providers.get(principal, id);
    const usage = await this.providers.usageOf(principal, id);
    sendPage(response, this.views.render('lti/providers/delete', page, { provider, usage }));
  }

  @Post(':id/delete')
  async delete(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string, @Res() response: Response) {
    await this.providers.delete(principal, id);
    redirectWithNotice(response, '/admin/lti/providers', 'deleted');
  }

  private async renderNew(page: PageContext, principal: Principal, values: FormBody, errors: Errors) {
    const tree = await this.organizations.listTree(principal);
    const defaults: FormBody = {
      ltiVersion: '1.1',
      privacy: 'public',
      userIdSource: 'internal',
      presentation: 'iframe',
      availableOrganizationIds: tree.length > 0 ? [tree[0].id] : [],
    };
    return this.views.render('lti/providers/new', page, {
      options: { ...providerFormOptions(tree), replaceable: await this.replaceable(principal) },
      tree,
      values: Object.keys(values).length > 0 ? values : defaults,
      errors,
    });
  }

  private async renderShow(page: PageContext, principal: Principal, id: string, data: FormBody, refusedPage = 1) {
    const provider: ProviderView = await this.providers.get(principal, id);
    const tree = await this.organizations.listTree(principal);
    const dto = toProviderDto(provider, this.urls);
    const launches = provider.managed ? await this.inspector.recent(principal, id) : [];
    const refusals =
      provider.managed && provider.ltiVersion === '1.3'
        ? await this.refusals.forProvider(principal, id, { page: refusedPage, limit: REFUSALS_PAGE_SIZE })
        : null;
    return this.views.render('lti/providers/show', page, {
      provider: dto,
      options: { ...providerFormOptions(tree), replaceable: await this.replaceable(principal) },
      tree,
      organizationName: new Map(tree.map((o) => [o.id, o.name])),
      values: providerFormValues(dto),
      presentationNote: presentationNote(provider, this.urls.issuer),
      launches,
      refusals,
      selfTestRuns: provider.managed ? await this.selfTestRuns.recent(principal, id) : [],
      notices: await this.noticesOf(principal, provider),
      errors: {},
      ...data,
    });
  }

  /** A tool granted notices: its handlers and its latest notices, for the page's notifications section. */
  private async noticesOf(principal: Principal, provider: ProviderView) {
    if (!provider.managed || !provider.lti1p3?.services.includes('notices')) return null;
    return {
      types: NOTICE_TYPES,
      handlers: await this.notices.handlersOf(principal, provider.id),
      deliveries: (await this.notices.deliveriesOf(principal, provider.id, { page: 1, limit: 20 })).items,
    };
  }

  /** LTI 1.1 providers the admin manages: what a 1.3 provider may replace (the migration claim). */
  private async replaceable(principal: Principal) {
    const page = await this.providers.list(principal, { ltiVersion: '1.1', page: 1, limit: 200 });
    return page.items.filter((p) => p.managed).map((p) => ({ value: p.id, label: p.name }));
  }
}
