import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  ContentItemReturnService,
  ContentItemService,
  CoursesService,
  Lti1p3DeepLinkingReturnService,
  Lti1p3LoginService,
  PLATFORM_ROUTES,
  PlatformUrls,
  Principal,
  routePath,
} from '@tms/core';
import { CurrentPrincipal, Page, Public, SkipCsrf } from '../shared/decorators';
import { AppRequest } from '../shared/request-context';
import { UuidPipe } from '../shared/uuid.pipe';
import { PageContext, Views } from '../shared/views';
import { LaunchPages } from './launch-page';
import { LAUNCH_PAGE_ROUTES } from './launch-paths';
import { Transport } from '../errors/transport';
import { sendPage } from '../shared/page-crud';

/**
 * Content picked inside a tool by a course author: LTI 1.1 Content-Item and LTI 1.3 Deep Linking.
 * What the tool returns becomes resource links and activities of the course.
 */
@ApiExcludeController()
@Transport('page')
@Controller()
export class ContentSelectionController {
  constructor(
    private readonly contentItems: ContentItemService,
    private readonly returns: ContentItemReturnService,
    private readonly courses: CoursesService,
    private readonly lti1p3: Lti1p3LoginService,
    private readonly deepLinkingReturns: Lti1p3DeepLinkingReturnService,
    private readonly views: Views,
    private readonly pages: LaunchPages,
    private readonly urls: PlatformUrls,
  ) {}

  @Get(LAUNCH_PAGE_ROUTES.contentSelection)
  async select(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('courseId', UuidPipe) courseId: string,
    @Param('providerId', UuidPipe) providerId: string,
    @Res() response: Response,
  ) {
    const providers = await this.courses.contentSelectionProviders(principal, courseId);
    const version = providers.find((provider) => provider.id === providerId)?.ltiVersion;
    // `?multiple=false`: the author adds one item (the tool may not return several).
    const acceptMultiple = (response.req.query as Record<string, unknown>).multiple !== 'false';
    const form =
      version === '1.3'
        ? await this.lti1p3.initiateDeepLinking(principal, courseId, providerId, acceptMultiple)
        : await this.contentItems.start(principal, courseId, providerId, acceptMultiple);
    this.pages.sendLaunchPage(response, page, {
      form,
      title: `Add from ${form.toolName}`,
      toolName: form.toolName,
      backHref: routePath('courseAuthoring', { courseId }),
      preview: false,
      againHref: page.path,
    });
  }

  /**
   * The tool posts the selection through the author's browser, cross-site, so no cookie comes with
   * it (SameSite) and no CSRF token can: the OAuth signature and the single-use `data` stand in.
   */
  @Post(PLATFORM_ROUTES.contentItemReturn)
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
      url: this.urls.received(request.originalUrl),
      params,
    });
    sendPage(response, this.views.render('launch/content-items-added', page, { outcome }));
  }

  /**
   * LTI 1.3 Deep Linking's answer (`JWT` form field), cross-site like Content-Item's: the tool's
   * signature and the single-use `data` stand in for a cookie.
   */
  @Post(PLATFORM_ROUTES.deepLinkingReturn)
  @Public()
  @SkipCsrf()
  @HttpCode(200)
  async deepLinkingReturned(
    @Page() page: PageContext,
    @Body() body: Record<string, unknown>,
    @Res() response: Response,
  ) {
    const jwt = typeof body?.JWT === 'string' ? body.JWT : undefined;
    const outcome = await this.deepLinkingReturns.complete(jwt);
    sendPage(response, this.views.render('launch/content-items-added', page, { outcome }));
  }
}
