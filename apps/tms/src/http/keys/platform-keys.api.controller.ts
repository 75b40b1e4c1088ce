import { Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PlatformKeysService, Principal } from '@tms/core';
import { CurrentPrincipal } from '../shared/decorators';
import { PlatformKeyDto, RotationDto, toPlatformKeyDto, toRotationDto } from './platform-key.dto';

/** The platform's signing keys; administrators of a top-level organization only. */
@ApiTags('platform keys')
@ApiBearerAuth()
@Controller('api/v1/platform-keys')
export class PlatformKeysApiController {
  constructor(private readonly keys: PlatformKeysService) {}

  @Get()
  @ApiOkResponse({ type: [PlatformKeyDto], description: 'The published keys: next, current, previous' })
  async list(@CurrentPrincipal() principal: Principal) {
    return (await this.keys.list(principal)).map(toPlatformKeyDto);
  }

  @Post('rotate')
  @ApiCreatedResponse({ type: RotationDto, description: 'next → current → previous, and a new next' })
  async rotate(@CurrentPrincipal() principal: Principal) {
    return toRotationDto(await this.keys.rotate(principal));
  }
}
