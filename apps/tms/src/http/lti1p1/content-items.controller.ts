import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { APP_CONFIG, RuntimeConfig } from '@tms/config';
import { ContentItemReturnService, ContentItemService, CONTENT_ITEM_RETURN_PATH, Principal } from '@tms/core';
import { CurrentPrincipal, Page, Public, SkipCsrf } from '../shared/decorators';
import { AppRequest } from '../shared/request-context';
import { UuidPipe } from '../shared/uuid.pipe';
import { PageContext, Views } from '../shared/views';
import { sendLaunchPage } from '../launch/launch-page';

/** Content-Item (LTI 1.1 deep linking): an author picks content in a tool; it comes back as activities. */
@ApiExcludeController()
@Controller()
export class ContentItemsController {
  constructor(
    private readonly contentItems: ContentItemService,
    private readonly returns: ContentItemReturnService,
    private readonly views: Views,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  @Get('author/courses/:courseId/content-items/:providerId')
  async select(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('courseId', UuidPipe) courseId: string,
    @Param('providerId', UuidPipe) providerId: string,
    @Res() response: Response,
  ) {
    const form = await this.contentItems.start(principal, courseId, providerId);
    sendLaunchPage(response, this.views, page, {
      form,
      title: `Add from ${form.toolName}`,
      toolName: form.toolName,
      backHref: `/author/courses/${courseId}`,
      preview: false,
      againHref: page.path,
    });
  }

  /**
   * The tool posts the selection through the author's browser, cross-site, so no cookie comes with
   * it (SameSite) and no CSRF token can: the OAuth signature and the single-use `data` stand in.
   */
  @Post(CONTENT_ITEM_RETURN_PATH.slice(1))
  @Public()
  @SkipCsrf()
  @HttpCode(200)
  async returned(
    @Page() page: PageContext,
    @Req() request: AppRequest,
    @Body() body: Record<string, unknown>,
    @Res() response: Response,
  ) {
    const params = Object.fromEntries(
      Object.entries(body ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
    const outcome = await this.returns.complete({
      method: 'POST',
      url: `${this.config.app.publicUrl.replace(/\/+$/, '')}${request.originalUrl}`,
      params,
    });
    response.type('html').send(this.views.render('launch/content-items-added', page, { outcome }));
  }
}
