import { Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiForbiddenResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PlatformKeysService, Principal } from '@tms/core';
import { CurrentPrincipal } from '../shared/decorators';
import { PlatformKeyDto, RotationDto, toPlatformKeyDto, toRotationDto } from './platform-key.dto';
import { Transport } from '../errors/transport';

/** The platform's signing keys; platform administrators only (403 for anyone else). */
@ApiTags('platform keys')
@ApiBearerAuth()
@Transport('api')
@Controller('api/v1/platform-keys')
export class PlatformKeysApiController {
  constructor(private readonly keys: PlatformKeysService) {}

  @Get()
  @ApiForbiddenResponse({ description: 'You are not a platform administrator' })
  @ApiOkResponse({ type: [PlatformKeyDto], description: 'The published keys: next, current, previous' })
  async list(@CurrentPrincipal() principal: Principal) {
    return (await this.keys.list(principal)).map(toPlatformKeyDto);
  }

  @Post('rotate')
  @ApiForbiddenResponse({ description: 'You are not a platform administrator' })
  @ApiCreatedResponse({ type: RotationDto, description: 'next → current → previous, and a new next' })
  async rotate(@CurrentPrincipal() principal: Principal) {
    return toRotationDto(await this.keys.rotate(principal));
  }
}
