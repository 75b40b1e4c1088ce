import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { OrganizationsService, Principal } from '@tms/core';
import { CurrentPrincipal } from '../shared/decorators';
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
  @ApiOkResponse({ description: 'The organizations you manage, depth-first, paged' })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: OrganizationQueryDto) {
    const search = query.search?.toLowerCase();
    const tree = (await this.organizations.listTree(principal)).filter(
      (o) => !search || o.name.toLowerCase().includes(search),
    );
    const start = (query.page - 1) * query.limit;
    return {
      items: tree.slice(start, start + query.limit).map(toOrganizationDto),
      total: tree.length,
      page: query.page,
      limit: query.limit,
    };
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
