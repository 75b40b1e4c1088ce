import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { PLATFORM_ROUTES, PlatformKeysService, PlatformUrls } from '@tms/core';
import { Public } from '../shared/decorators';
import { Transport } from '../errors/transport';

/** Public key material tools fetch to verify what we sign (LTI Security Framework §6.3), and our OpenID configuration. */
@ApiExcludeController()
@Public()
@Transport('page')
@Controller()
export class WellKnownController {
  constructor(
    private readonly keys: PlatformKeysService,
    private readonly urls: PlatformUrls,
  ) {}

  @Get(PLATFORM_ROUTES.jwks)
  @Header('Content-Type', 'application/json')
  async jwks(@Res({ passthrough: true }) response: Response) {
    // Short caching is safe: a key is published as `next` one rotation before it signs.
    response.setHeader('Cache-Control', 'public, max-age=300');
    return this.keys.jwks();
  }

  /** LTI Dynamic Registration 1.0 §3.4: what a tool reads to register itself with us. */
  @Get(PLATFORM_ROUTES.openidConfiguration)
  @Header('Content-Type', 'application/json')
  openidConfiguration(@Res({ passthrough: true }) response: Response) {
    response.setHeader('Cache-Control', 'public, max-age=300');
    return this.urls.configuration();
  }
}
