import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError, Principal, RefusedAuthorizations } from '@tms/core';
import { Transport } from '../errors/transport';
import { CurrentPrincipal, Page, RequireRole } from '../shared/decorators';
import { sendPage } from '../shared/page-crud';
import { UuidPipe } from '../shared/uuid.pipe';
import { PageContext, Views } from '../shared/views';

const PAGE_SIZE = 20;
const MAX_PAGE = 1000;

/**
 * Refused LTI 1.3 authorization requests, in the launch inspector's style: one in detail (for the
 * administrators of the tool it names, or platform administrators when it names none we know), and
 * the unattributable ones, for platform administrators. A provider's own are listed on its page.
 */
@ApiExcludeController()
@RequireRole('site_admin')
@Transport('page')
@Controller('admin/lti/refused-authorizations')
export class RefusedAuthorizationsPageController {
  constructor(
    private readonly refusals: RefusedAuthorizations,
    private readonly views: Views,
  ) {}

  @Get()
  async unattributed(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Query('page') pageNumber: unknown,
    @Res() response: Response,
  ) {
    const result = await this.refusals.unattributed(principal, { page: pageOf(pageNumber), limit: PAGE_SIZE });
    sendPage(response, this.views.render('lti/refused-authorizations/list', page, { result }));
  }

  @Get(':id')
  async show(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Res() response: Response,
  ) {
    const inspected = await this.refusals.inspect(principal, id);
    sendPage(response, this.views.render('lti/refused-authorizations/show', page, { ...inspected }));
  }
}

function pageOf(value: unknown): number {
  if (value === undefined) return 1;
  const page = typeof value === 'string' && /^[1-9][0-9]{0,3}$/.test(value) ? Number(value) : NaN;
  if (!(page <= MAX_PAGE)) throw DomainError.invalidField('page', `page must be a number from 1 to ${MAX_PAGE}`);
  return page;
}
