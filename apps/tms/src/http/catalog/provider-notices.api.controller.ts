import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { NoticeDelivery, PlatformNoticesService, Principal } from '@tms/core';
import { NOTICE_TYPES } from '@tms/lti';
import { CurrentPrincipal } from '../shared/decorators';
import { mapPage, PageQueryDto } from '../shared/paging';
import { UuidPipe } from '../shared/uuid.pipe';
import { Transport } from '../errors/transport';

export class NoticeDeliveryDto {
  @ApiProperty({ format: 'uuid', description: 'Also the notice claim’s id' }) id!: string;
  @ApiProperty({ enum: NOTICE_TYPES }) noticeType!: string;
  @ApiProperty({ description: 'The handler the notice goes to' }) handler!: string;
  @ApiProperty({ enum: ['pending', 'sent', 'failed'] }) status!: string;
  @ApiProperty() attempts!: number;
  @ApiPropertyOptional({ nullable: true, description: 'When a pending notice is tried next' }) nextAttemptAt!:
    string | null;
  @ApiPropertyOptional({ nullable: true }) lastAttemptAt!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Why the last attempt failed' }) lastError!: string | null;
  @ApiPropertyOptional({ nullable: true }) sentAt!: string | null;
  @ApiProperty() createdAt!: string;
}

export function toNoticeDeliveryDto(delivery: NoticeDelivery): NoticeDeliveryDto {
  return {
    id: delivery.id,
    noticeType: delivery.noticeType,
    handler: delivery.handler,
    status: delivery.status,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    lastAttemptAt: delivery.lastAttemptAt?.toISOString() ?? null,
    lastError: delivery.lastError,
    sentAt: delivery.sentAt?.toISOString() ?? null,
    createdAt: delivery.createdAt.toISOString(),
  };
}

/** The notices of one tool (LTI Platform Notification Service): what was sent, what failed, what is tried next. */
@ApiTags('lti providers')
@ApiBearerAuth()
@Transport('api')
@Controller('api/v1/lti/providers/:id/notices')
export class ProviderNoticesApiController {
  constructor(private readonly notices: PlatformNoticesService) {}

  @Get()
  @ApiOkResponse({ type: NoticeDeliveryDto, isArray: true, description: 'Newest first, paged' })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Query() query: PageQueryDto,
  ) {
    return mapPage(await this.notices.deliveriesOf(principal, id, query), toNoticeDeliveryDto);
  }

  @Post('hello-world')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: NoticeDeliveryDto, description: 'An LtiHelloWorldNotice queued for the tool’s handler' })
  async helloWorld(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string) {
    return toNoticeDeliveryDto(await this.notices.helloWorld(principal, id));
  }
}
