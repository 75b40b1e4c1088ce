import { Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { PlatformKeysService, Principal } from '@tms/core';
import { CurrentPrincipal, Page } from '../shared/decorators';
import { PageContext, Views } from '../shared/views';
import { toPlatformKeyDto } from './platform-key.dto';
import { Transport } from '../errors/transport';
import { redirectWithNotice, sendPage } from '../shared/page-crud';

/** The platform's signing keys; the service lets only platform administrators see or rotate them (403 otherwise). */
@ApiExcludeController()
@Transport('page')
@Controller('admin/lti/platform-keys')
export class PlatformKeysPageController {
  constructor(
    private readonly keys: PlatformKeysService,
    private readonly views: Views,
  ) {}

  @Get()
  async list(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Query('notice') notice: unknown,
    @Res() response: Response,
  ) {
    const keys = (await this.keys.list(principal)).map(toPlatformKeyDto);
    sendPage(response, this.views.render('keys/list', page, { keys, notice }));
  }

  @Post('rotate')
  async rotate(@CurrentPrincipal() principal: Principal, @Res() response: Response) {
    await this.keys.rotate(principal);
    redirectWithNotice(response, '/admin/lti/platform-keys', 'rotated');
  }
}
