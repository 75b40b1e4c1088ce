import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Principal, UsersService } from '@tms/core';
import { CurrentPrincipal } from '../shared/decorators';
import { mapPage } from '../shared/paging';
import { UuidPipe } from '../shared/uuid.pipe';
import {
  CreateMembershipDto,
  CreateUserDto,
  MembershipDto,
  toMembershipDto,
  toUserDto,
  UpdateUserDto,
  UserDto,
  UserQueryDto,
} from './user.dto';
import { Transport } from '../errors/transport';

@ApiTags('users')
@ApiBearerAuth()
@Transport('api')
@Controller('api/v1/users')
export class UsersApiController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOkResponse({ description: 'Users of the organizations you manage, by name, paged' })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: UserQueryDto) {
    return mapPage(await this.users.list(principal, query), toUserDto);
  }

  @Get(':id')
  @ApiOkResponse({ type: UserDto })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string) {
    return toUserDto(await this.users.get(principal, id));
  }

  @Post()
  @ApiCreatedResponse({ type: UserDto })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateUserDto) {
    return toUserDto(await this.users.create(principal, body));
  }

  @Patch(':id')
  @ApiOkResponse({ type: UserDto })
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: UpdateUserDto,
  ) {
    return toUserDto(await this.users.update(principal, id, body));
  }

  @Put(':id/platform-admin')
  @ApiOperation({ summary: 'Make a person you manage a platform administrator (audited)' })
  @ApiOkResponse({ type: UserDto })
  @ApiForbiddenResponse({ description: 'You are not a platform administrator' })
  async grantPlatformAdmin(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string) {
    return toUserDto(await this.users.setPlatformAdmin(principal, id, true));
  }

  @Delete(':id/platform-admin')
  @ApiOperation({ summary: 'Take the platform administrator role from a person you manage (not yourself; audited)' })
  @ApiOkResponse({ type: UserDto })
  @ApiForbiddenResponse({ description: 'You are not a platform administrator' })
  async revokePlatformAdmin(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string) {
    return toUserDto(await this.users.setPlatformAdmin(principal, id, false));
  }

  @Get(':id/memberships')
  @ApiOkResponse({ type: [MembershipDto] })
  async memberships(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string) {
    return (await this.users.listMemberships(principal, id)).map(toMembershipDto);
  }

  @Post(':id/memberships')
  @ApiCreatedResponse({ type: MembershipDto })
  async addMembership(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: CreateMembershipDto,
  ) {
    return toMembershipDto(await this.users.addMembership(principal, id, body));
  }

  @Delete(':id/memberships/:membershipId')
  @HttpCode(204)
  @ApiNoContentResponse()
  async removeMembership(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Param('membershipId', UuidPipe) membershipId: string,
  ) {
    await this.users.removeMembership(principal, id, membershipId);
  }
}
