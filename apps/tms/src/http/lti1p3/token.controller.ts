import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Lti1p3TokenService, PLATFORM_ROUTES } from '@tms/core';
import { Public } from '../shared/decorators';

/**
 * The OAuth 2.0 token endpoint of LTI Advantage (`/lti/1p3/token`). Answers are JSON and never
 * cached (RFC 6749 §5.1); errors are RFC 6749 §5.2 objects, 401 for a client that failed to
 * authenticate (with `WWW-Authenticate`), 400 otherwise.
 */
@ApiExcludeController()
@Public()
@Controller(PLATFORM_ROUTES.token)
export class TokenController {
  constructor(private readonly tokens: Lti1p3TokenService) {}

  @Post()
  async token(@Body() body: Record<string, unknown>, @Res() response: Response) {
    const outcome = await this.tokens.issue(body ?? {});
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Pragma', 'no-cache');
    if (outcome.ok) {
      response.status(200).json(outcome.body);
      return;
    }
    if (outcome.status === 401) response.setHeader('WWW-Authenticate', 'Bearer realm="lti", error="invalid_client"');
    response.status(outcome.status).json({ error: outcome.error, error_description: outcome.description });
  }
}
