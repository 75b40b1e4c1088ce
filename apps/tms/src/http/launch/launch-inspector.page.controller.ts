import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { LaunchInspector, Principal } from '@tms/core';
import { Transport } from '../errors/transport';
import { CurrentPrincipal, Page, RequireRole } from '../shared/decorators';
import { sendPage } from '../shared/page-crud';
import { UuidPipe } from '../shared/uuid.pipe';
import { PageContext, Views } from '../shared/views';

/** The launch inspector: what a recorded launch sent and why, for administrators of the provider. */
@ApiExcludeController()
@RequireRole('site_admin')
@Transport('page')
@Controller('admin/lti/launches')
export class LaunchInspectorPageController {
  constructor(
    private readonly inspector: LaunchInspector,
    private readonly views: Views,
  ) {}

  @Get(':id')
  async show(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Res() response: Response,
  ) {
    const inspected = await this.inspector.inspect(principal, id);
    sendPage(response, this.views.render('lti/launches/show', page, { ...inspected }));
  }
}
