import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { PLATFORM_ROUTES, PlatformKeysService } from '@tms/core';
import { Public } from '../shared/decorators';
import { Transport } from '../errors/transport';

/** Public key material tools fetch to verify what we sign (LTI Security Framework §6.3). */
@ApiExcludeController()
@Public()
@Transport('page')
@Controller()
export class WellKnownController {
  constructor(private readonly keys: PlatformKeysService) {}

  @Get(PLATFORM_ROUTES.jwks)
  @Header('Content-Type', 'application/json')
  async jwks(@Res({ passthrough: true }) response: Response) {
    // Short caching is safe: a key is published as `next` one rotation before it signs.
    response.setHeader('Cache-Control', 'public, max-age=300');
    return this.keys.jwks();
  }
}
