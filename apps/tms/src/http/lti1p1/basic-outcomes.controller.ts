import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { BasicOutcomesService, OutcomeRefused, OutcomesFault, PLATFORM_ROUTES, PlatformUrls } from '@tms/core';
import { parseOAuthAuthorizationHeader } from '@tms/lti';
import { Public } from '../shared/decorators';
import { problemFor, setRetryAfter } from '../shared/http-error.filter';
import { AppRequest } from '../shared/request-context';
import { POX_CONTENT_TYPE, poxFailure, poxRefusal, poxSuccess } from './pox-answers';

/**
 * LTI 1.1 Basic Outcomes (`lis_outcome_service_url`). The tool signed our public URL, so the
 * signature is checked against PUBLIC_URL + the path and query received, never the Host header
 * (which a proxy may have changed).
 */
@ApiExcludeController()
@Public()
@Controller(PLATFORM_ROUTES.outcomes)
export class BasicOutcomesController {
  constructor(
    private readonly outcomes: BasicOutcomesService,
    private readonly urls: PlatformUrls,
  ) {}

  @Post()
  @HttpCode(200)
  async outcome(@Req() request: AppRequest, @Res() response: Response) {
    let status = 200;
    let xml: string;
    try {
      xml = poxSuccess(
        await this.outcomes.handle({
          url: this.urls.received(request.originalUrl),
          oauthParams: parseOAuthAuthorizationHeader(request.headers.authorization),
          body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
          requestId: typeof request.id === 'string' ? request.id : null,
        }),
      );
    } catch (error) {
      if (error instanceof OutcomeRefused) {
        xml = poxRefusal(error);
      } else {
        if (!(error instanceof OutcomesFault)) throw error;
        // Our failure, not the tool's: a 5xx (503 with Retry-After in an outage) so it knows to try again.
        const problem = problemFor(error.cause, request);
        setRetryAfter(response, problem);
        status = problem.status;
        xml = poxFailure(error.reference, error.description);
      }
    }
    response.status(status).type(POX_CONTENT_TYPE).send(xml);
  }
}
