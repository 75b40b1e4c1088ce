import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import {
  DynamicRegistration,
  DynamicRegistrationsService,
  PlatformUrls,
  Principal,
  REGISTRATION_STATUSES,
  RegistrationStatus,
} from '@tms/core';
import { IsOptional } from 'class-validator';
import { toProviderDto } from '../catalog/provider.dto';
import { Transport } from '../errors/transport';
import { CurrentPrincipal } from '../shared/decorators';
import { mapPage, PageQueryDto } from '../shared/paging';
import { UuidPipe } from '../shared/uuid.pipe';
import { OneOf } from '../shared/validation';
import { ApproveRegistrationDto, StartRegistrationDto } from './registration.dto';

export class RegistrationQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: REGISTRATION_STATUSES })
  @IsOptional()
  @OneOf(REGISTRATION_STATUSES)
  status?: RegistrationStatus;
}

export class RegistrationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty() initiationUrl!: string;
  @ApiProperty({ enum: REGISTRATION_STATUSES }) status!: RegistrationStatus;
  @ApiProperty({ nullable: true, type: String }) clientId!: string | null;
  @ApiProperty({ nullable: true, type: String }) deploymentId!: string | null;
  @ApiProperty({ nullable: true, type: Object, description: 'What the tool registered, as checked' })
  request!: object | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) providerId!: string | null;
  @ApiProperty() createdAt!: string;
}

export class StartedRegistrationDto extends RegistrationDto {
  @ApiProperty({
    description:
      'Open this in the administrator’s browser: the tool’s URL with openid_configuration and a single-use registration_token',
  })
  toolUrl!: string;
}

const toDto = (r: DynamicRegistration): RegistrationDto => ({
  id: r.id,
  organizationId: r.organizationId,
  initiationUrl: r.initiationUrl,
  status: r.status,
  clientId: r.clientId,
  deploymentId: r.deploymentId,
  request: r.request,
  providerId: r.providerId,
  createdAt: r.createdAt.toISOString(),
});

@ApiTags('lti registrations')
@ApiBearerAuth()
@Transport('api')
@Controller('api/v1/lti/registrations')
export class RegistrationsApiController {
  constructor(
    private readonly registrations: DynamicRegistrationsService,
    private readonly urls: PlatformUrls,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'Dynamic registrations of organizations you manage, newest first, paged' })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: RegistrationQueryDto) {
    return mapPage(await this.registrations.list(principal, query), toDto);
  }

  @Post()
  @ApiCreatedResponse({ type: StartedRegistrationDto })
  async start(
    @CurrentPrincipal() principal: Principal,
    @Body() body: StartRegistrationDto,
  ): Promise<StartedRegistrationDto> {
    const { registration, toolUrl } = await this.registrations.start(principal, body);
    return { ...toDto(registration), toolUrl };
  }

  @Get(':id')
  @ApiOkResponse({ type: RegistrationDto })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string) {
    return toDto(await this.registrations.get(principal, id));
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The provider the registration became (or updated)' })
  async approve(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: ApproveRegistrationDto,
  ) {
    return toProviderDto(await this.registrations.approve(principal, id, body), this.urls);
  }

  @Post(':id/reject')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Rejected; nothing was created' })
  async reject(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string) {
    await this.registrations.reject(principal, id);
  }
}
