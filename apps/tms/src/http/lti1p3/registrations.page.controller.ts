import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  DynamicRegistrationsService,
  OrganizationsService,
  personalClaimsAsked,
  Principal,
  privacyAsked,
  servicesAsked,
} from '@tms/core';
import { Transport } from '../errors/transport';
import { CurrentPrincipal, Page, RequireRole } from '../shared/decorators';
import { Errors, FormBody, submitForm } from '../shared/forms';
import { redirectWithNotice, sendPage } from '../shared/page-crud';
import { UuidPipe } from '../shared/uuid.pipe';
import { PageContext, Views } from '../shared/views';
import { withCheckboxLists } from '../catalog/catalog-forms';
import { providerFormOptions } from '../catalog/provider-form';
import { ApproveRegistrationDto, StartRegistrationDto } from './registration.dto';
import { allowTool } from '../launch/launch-page';

/**
 * LTI Dynamic Registration 1.0 for administrators: start one (the tool's page opens in a new window
 * with our configuration and a token), then review what the tool registered and approve or reject it.
 */
@ApiExcludeController()
@RequireRole('site_admin')
@Transport('page')
@Controller('admin/lti/registrations')
export class RegistrationsPageController {
  constructor(
    private readonly registrations: DynamicRegistrationsService,
    private readonly organizations: OrganizationsService,
    private readonly views: Views,
  ) {}

  @Get()
  async list(@Page() page: PageContext, @CurrentPrincipal() principal: Principal, @Res() response: Response) {
    const result = await this.registrations.list(principal, { page: 1, limit: 100 });
    const tree = await this.organizations.listTree(principal);
    sendPage(response, this.views.render('lti/registrations/list', page, { result, tree, values: {}, errors: {} }));
  }

  /** Starts one and answers the page that opens the tool's window (the token is in this answer only). */
  @Post()
  async start(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Body() body: FormBody,
    @Res() response: Response,
  ) {
    const render = async (errors: Errors) => {
      const result = await this.registrations.list(principal, { page: 1, limit: 100 });
      const tree = await this.organizations.listTree(principal);
      return this.views.render('lti/registrations/list', page, { result, tree, values: body, errors });
    };
    await submitForm(response, StartRegistrationDto, body, render, async (value) => {
      const { registration, toolUrl } = await this.registrations.start(principal, value);
      // §3.3: the tool's page opens in a frame here (or, on request, a new window); when done it posts its
      // close message to window.opener or window.parent (§3.7). In a frame that always reaches us: a tool
      // whose pages send COOP same-origin (helmet's default, ltijs among them) severs any window.opener.
      allowTool(response, toolUrl);
      response.setHeader('Cross-Origin-Opener-Policy', 'same-origin-allow-popups');
      sendPage(response, this.views.render('lti/registrations/started', page, { registration, toolUrl }));
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
    sendPage(response, await this.renderShow(page, principal, id, {}, notice));
  }

  @Post(':id/approve')
  async approve(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: FormBody,
    @Res() response: Response,
  ) {
    const input = withCheckboxLists(body);
    const render = (errors: Errors) => this.renderShow(page, principal, id, errors);
    await submitForm(response, ApproveRegistrationDto, input, render, async (value) => {
      const provider = await this.registrations.approve(principal, id, value);
      redirectWithNotice(response, `/admin/lti/providers/${provider.id}`, 'approved');
    });
  }

  @Post(':id/reject')
  async reject(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string, @Res() response: Response) {
    await this.registrations.reject(principal, id);
    redirectWithNotice(response, `/admin/lti/registrations/${id}`, 'rejected');
  }

  private async renderShow(page: PageContext, principal: Principal, id: string, errors: Errors, notice?: unknown) {
    const registration = await this.registrations.get(principal, id);
    const tree = await this.organizations.listTree(principal);
    const request = registration.request;
    const asked = request && {
      services: servicesAsked(request),
      privacy: privacyAsked(request),
      personalClaims: personalClaimsAsked(request),
    };
    return this.views.render('lti/registrations/show', page, {
      registration,
      asked,
      tree,
      options: providerFormOptions(tree),
      organizationName: new Map(tree.map((o) => [o.id, o.name])),
      values: { privacy: asked?.privacy, availableOrganizationIds: [registration.organizationId] },
      errors,
      notice,
    });
  }
}
