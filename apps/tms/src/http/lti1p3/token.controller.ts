import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { IssuedAccessToken, Lti1p3TokenService, PLATFORM_ROUTES } from '@tms/core';
import { Transport } from '../errors/transport';
import { Public } from '../shared/decorators';

/**
 * The OAuth 2.0 token endpoint of LTI Advantage (`/lti/1p3/token`). Answers are JSON and never
 * cached (RFC 6749 §5.1); errors are RFC 6749 §5.2 objects (OAuthErrorFilter), 401 for a client that
 * failed to authenticate (with `WWW-Authenticate`), 400 otherwise.
 */
@ApiExcludeController()
@Public()
@Transport('oauth')
@Controller(PLATFORM_ROUTES.token)
export class TokenController {
  constructor(private readonly tokens: Lti1p3TokenService) {}

  @Post()
  @HttpCode(200)
  async token(
    @Body() body: Record<string, unknown>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<IssuedAccessToken> {
    const token = await this.tokens.issue(body ?? {});
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Pragma', 'no-cache');
    return token;
  }
}
