import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DynamicRegistrationsService, PLATFORM_ROUTES } from '@tms/core';
import { Transport } from '../errors/transport';
import { Public } from '../shared/decorators';

/**
 * The registration endpoint of LTI Dynamic Registration 1.0 (§3.5; RFC 7591 §3): a tool posts its
 * client registration with the registration token as a bearer token (RFC 6750 §2.1). Errors are
 * RFC 7591 §3.2.2 objects (OAuthErrorFilter): 400 for metadata, 401 for a token that is not usable.
 */
@ApiExcludeController()
@Public()
@Transport('oauth')
@Controller(PLATFORM_ROUTES.registration)
export class RegistrationController {
  constructor(private readonly registrations: DynamicRegistrationsService) {}

  @Post()
  @HttpCode(201)
  async register(
    @Headers('authorization') authorization: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ) {
    const bearer = /^Bearer\s+(\S{1,200})$/i.exec(authorization ?? '')?.[1];
    const answer = await this.registrations.register(bearer, body);
    response.setHeader('Cache-Control', 'no-store');
    return answer;
  }
}
