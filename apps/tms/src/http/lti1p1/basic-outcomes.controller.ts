import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { BasicOutcomesService, PLATFORM_ROUTES, PlatformUrls } from '@tms/core';
import { parseOAuthAuthorizationHeader } from '@tms/lti';
import { Transport } from '../errors/transport';
import { Public } from '../shared/decorators';
import { AppRequest } from '../shared/request-context';
import { POX_CONTENT_TYPE, poxSuccess } from './pox-answers';

/**
 * LTI 1.1 Basic Outcomes (`lis_outcome_service_url`). The tool signed our public URL, so the
 * signature is checked against PUBLIC_URL + the path and query received, never the Host header
 * (which a proxy may have changed). Refusals and failures are POX too (PoxFailureFilter).
 */
@ApiExcludeController()
@Public()
@Transport('pox')
@Controller(PLATFORM_ROUTES.outcomes)
export class BasicOutcomesController {
  constructor(
    private readonly outcomes: BasicOutcomesService,
    private readonly urls: PlatformUrls,
  ) {}

  @Post()
  @HttpCode(200)
  async outcome(@Req() request: AppRequest, @Res() response: Response) {
    const answer = await this.outcomes.handle({
      url: this.urls.received(request.originalUrl),
      oauthParams: parseOAuthAuthorizationHeader(request.headers.authorization),
      body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
      requestId: typeof request.id === 'string' ? request.id : null,
    });
    response.status(200).type(POX_CONTENT_TYPE).send(poxSuccess(answer));
  }
}
