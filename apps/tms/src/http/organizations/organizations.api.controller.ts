import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { OrganizationsService, Principal } from '@tms/core';
import { CurrentPrincipal } from '../shared/decorators';
import { mapPage } from '../shared/paging';
import { UuidPipe } from '../shared/uuid.pipe';
import {
  CreateOrganizationDto,
  OrganizationDto,
  OrganizationQueryDto,
  toOrganizationDto,
  UpdateOrganizationDto,
} from './organization.dto';
import { Transport } from '../errors/transport';

@ApiTags('organizations')
@ApiBearerAuth()
@Transport('api')
@Controller('api/v1/organizations')
export class OrganizationsApiController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Get()
  @ApiOkResponse({ description: 'The organizations you manage, depth-first (siblings by name), paged' })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: OrganizationQueryDto) {
    return mapPage(await this.organizations.listPage(principal, query), toOrganizationDto);
  }

  @Get(':id')
  @ApiOkResponse({ type: OrganizationDto })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string) {
    return toOrganizationDto(await this.organizations.get(principal, id));
  }

  @Post()
  @ApiCreatedResponse({ type: OrganizationDto })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateOrganizationDto) {
    return toOrganizationDto(await this.organizations.create(principal, body));
  }

  @Patch(':id')
  @ApiOkResponse({ type: OrganizationDto })
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: UpdateOrganizationDto,
  ) {
    return toOrganizationDto(await this.organizations.update(principal, id, body));
  }
}
