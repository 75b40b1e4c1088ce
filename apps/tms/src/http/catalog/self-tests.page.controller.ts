import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Principal, SelfTestRuns } from '@tms/core';
import { Transport } from '../errors/transport';
import { CurrentPrincipal, Page, RequireRole } from '../shared/decorators';
import { sendPage } from '../shared/page-crud';
import { UuidPipe } from '../shared/uuid.pipe';
import { PageContext, Views } from '../shared/views';

/**
 * A provider self-test run in the launch inspector's style: who ran it, when, its outcome and what
 * was sent and received. A 1.3 test launch opens in the launch inspector itself (its launch record).
 */
@ApiExcludeController()
@RequireRole('site_admin')
@Transport('page')
@Controller('admin/lti/self-tests')
export class SelfTestsPageController {
  constructor(
    private readonly runs: SelfTestRuns,
    private readonly views: Views,
  ) {}

  @Get(':id')
  async show(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Res() response: Response,
  ) {
    const { run, provider } = await this.runs.inspect(principal, id);
    if (run.launchId) return response.redirect(303, `/admin/lti/launches/${run.launchId}`);
    sendPage(response, this.views.render('lti/self-tests/show', page, { run, provider }));
  }
}
