import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError, Lti1p3LoginService, Principal, SelfTestRole } from '@tms/core';
import { Transport } from '../errors/transport';
import { CurrentPrincipal, Page, RequireRole } from '../shared/decorators';
import { UuidPipe } from '../shared/uuid.pipe';
import { PageContext } from '../shared/views';
import { LaunchPages } from './launch-page';
import { LAUNCH_PAGE_ROUTES } from './launch-paths';

const ROLES: readonly SelfTestRole[] = ['learner', 'instructor'];

/**
 * An administrator's LTI 1.3 test launch of a provider, from its page: the real login initiation as a
 * test learner or test instructor, opened by its link in a new window (which this page posts into).
 * Only administrators of the provider's organization; loading it again is a new launch.
 */
@ApiExcludeController()
@RequireRole('site_admin')
@Transport('page')
@Controller()
export class ProviderTestLaunchPageController {
  constructor(
    private readonly lti1p3: Lti1p3LoginService,
    private readonly pages: LaunchPages,
  ) {}

  @Get(LAUNCH_PAGE_ROUTES.providerTest)
  async launch(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('providerId', UuidPipe) providerId: string,
    @Param('role') role: string,
    @Res() response: Response,
  ) {
    const testRole = ROLES.find((r) => r === role);
    if (!testRole) throw DomainError.notFound('Test launch');
    const form = await this.lti1p3.initiateTestLaunch(principal, providerId, testRole);
    this.pages.sendLaunchPage(response, page, {
      form,
      title: `Test launch of ${form.toolName} as a test ${testRole}`,
      toolName: form.toolName,
      backHref: `/admin/lti/providers/${providerId}`,
      preview: false,
      againHref: page.path,
    });
  }
}
