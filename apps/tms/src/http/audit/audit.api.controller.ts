import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { AUDIT_ENTITY_TYPES, type AuditEntityType, AuditEvent, AuditService, Principal } from '@tms/core';
import { CurrentPrincipal } from '../shared/decorators';
import { mapPage, PageQueryDto } from '../shared/paging';
import { Transport } from '../errors/transport';
import { IsUuidField, OneOf } from '../shared/validation';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUuidField()
  organizationId?: string;

  @ApiPropertyOptional({ enum: AUDIT_ENTITY_TYPES })
  @IsOptional()
  @OneOf(AUDIT_ENTITY_TYPES)
  entityType?: AuditEntityType;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUuidField()
  entityId?: string;
}

export class AuditEventDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() occurredAt!: string;
  @ApiProperty({ nullable: true, type: String }) actorUserId!: string | null;
  @ApiProperty({ nullable: true, type: String }) actorName!: string | null;
  @ApiProperty({ nullable: true, type: String }) organizationId!: string | null;
  @ApiProperty({ enum: AUDIT_ENTITY_TYPES }) entityType!: AuditEntityType;
  @ApiProperty({ format: 'uuid' }) entityId!: string;
  @ApiProperty() action!: string;
  @ApiProperty({ nullable: true, type: Object }) before!: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: Object }) after!: Record<string, unknown> | null;
}

export function toAuditEventDto(event: AuditEvent): AuditEventDto {
  return {
    id: event.id,
    occurredAt: event.occurredAt.toISOString(),
    actorUserId: event.actorUserId,
    actorName: event.actorName,
    organizationId: event.organizationId,
    entityType: event.entityType,
    entityId: event.entityId,
    action: event.action,
    before: event.before && { ...event.before },
    after: event.after && { ...event.after },
  };
}

@ApiTags('audit')
@ApiBearerAuth()
@Transport('api')
@Controller('api/v1/audit-events')
export class AuditApiController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOkResponse({ description: 'Changes made by administrators in your organizations, newest first, paged' })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: AuditQueryDto) {
    return mapPage(await this.audit.list(principal, query), toAuditEventDto);
  }
}
