import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { LtiResourceLinksService, Principal } from '@tms/core';
import { CurrentPrincipal } from '../shared/decorators';
import { mapPage } from '../shared/paging';
import { UuidPipe } from '../shared/uuid.pipe';
import {
  CreateResourceLinkDto,
  ResourceLinkDto,
  ResourceLinkQueryDto,
  ResourceLinkUsageDto,
  toResourceLinkDto,
  UpdateResourceLinkDto,
} from './resource-link.dto';
import { Transport } from '../errors/transport';

@ApiTags('lti resource links')
@ApiBearerAuth()
@Transport('api')
@Controller('api/v1/lti/resource-links')
export class LtiResourceLinksApiController {
  constructor(private readonly links: LtiResourceLinksService) {}

  @Get()
  @ApiOkResponse({ description: 'Resource links you manage or that are available to your organizations, paged' })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ResourceLinkQueryDto) {
    return mapPage(await this.links.list(principal, query), toResourceLinkDto);
  }

  @Get(':id')
  @ApiOkResponse({ type: ResourceLinkDto })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string) {
    return toResourceLinkDto(await this.links.get(principal, id));
  }

  @Get(':id/usage')
  @ApiOkResponse({ type: ResourceLinkUsageDto, description: 'What deleting it would remove' })
  async usage(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
  ): Promise<ResourceLinkUsageDto> {
    return { activities: await this.links.countActivities(principal, id) };
  }

  @Post()
  @ApiCreatedResponse({ type: ResourceLinkDto })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateResourceLinkDto) {
    return toResourceLinkDto(await this.links.create(principal, body));
  }

  @Patch(':id')
  @ApiOkResponse({ type: ResourceLinkDto })
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: UpdateResourceLinkDto,
  ) {
    return toResourceLinkDto(await this.links.update(principal, id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted with the course activities placing it' })
  async delete(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string) {
    await this.links.delete(principal, id);
  }
}
