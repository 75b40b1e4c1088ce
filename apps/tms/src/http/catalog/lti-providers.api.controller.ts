import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { LtiProvidersService, PlatformUrls, Principal } from '@tms/core';
import { CurrentPrincipal } from '../shared/decorators';
import { mapPage } from '../shared/paging';
import { UuidPipe } from '../shared/uuid.pipe';
import {
  CreateProviderDto,
  ProviderDto,
  ProviderQueryDto,
  ProviderUsageDto,
  toProviderDto,
  UpdateProviderDto,
} from './provider.dto';
import { Transport } from '../errors/transport';

@ApiTags('lti providers')
@ApiBearerAuth()
@Transport('api')
@Controller('api/v1/lti/providers')
export class LtiProvidersApiController {
  constructor(
    private readonly providers: LtiProvidersService,
    private readonly urls: PlatformUrls,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'Providers you manage or that are available to your organizations, by name, paged' })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ProviderQueryDto) {
    return mapPage(await this.providers.list(principal, query), (p) => toProviderDto(p, this.urls));
  }

  @Get(':id')
  @ApiOkResponse({ type: ProviderDto })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string) {
    return toProviderDto(await this.providers.get(principal, id), this.urls);
  }

  @Get(':id/usage')
  @ApiOkResponse({ type: ProviderUsageDto, description: 'What deleting it would remove' })
  async usage(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string): Promise<ProviderUsageDto> {
    return this.providers.usageOf(principal, id);
  }

  @Post()
  @ApiCreatedResponse({ type: ProviderDto })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateProviderDto) {
    return toProviderDto(await this.providers.create(principal, body), this.urls);
  }

  @Patch(':id')
  @ApiOkResponse({ type: ProviderDto })
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: UpdateProviderDto,
  ) {
    return toProviderDto(await this.providers.update(principal, id, body), this.urls);
  }

  @Post(':id/key-check')
  @HttpCode(200)
  @ApiOkResponse({
    type: ProviderDto,
    description:
      'LTI 1.3: fetches the tool’s JWKS URL now; toolKey says whether it is ready or still waiting for the tool’s key, and why',
  })
  async checkKey(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string) {
    return toProviderDto(await this.providers.checkKey(principal, id), this.urls);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted with its resource links and the course activities placing them' })
  async delete(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string) {
    await this.providers.delete(principal, id);
  }
}
