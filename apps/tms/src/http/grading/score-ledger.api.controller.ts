import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { Principal, SCORE_DECISIONS, type ScoreDecision, ScoreLedgerService, ScoreLedgerView } from '@tms/core';
import { CurrentPrincipal } from '../shared/decorators';
import { mapPage, PageQueryDto } from '../shared/paging';
import { Transport } from '../errors/transport';
import { IsUuidField, OneOf } from '../shared/validation';

export class ScoreLedgerQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUuidField()
  organizationId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUuidField()
  providerId?: string;

  @ApiPropertyOptional({ enum: SCORE_DECISIONS })
  @IsOptional()
  @OneOf(SCORE_DECISIONS)
  decision?: ScoreDecision;
}

export class ScoreLedgerEntryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() receivedAt!: string;
  @ApiProperty({ enum: ['1.1', '1.3'] }) ltiVersion!: string;
  @ApiProperty({ nullable: true, type: String }) providerId!: string | null;
  @ApiProperty({ nullable: true, type: String }) providerName!: string | null;
  @ApiProperty({ nullable: true, type: String }) organizationId!: string | null;
  @ApiProperty({ nullable: true, type: String }) enrollmentId!: string | null;
  @ApiProperty({ nullable: true, type: String }) activityId!: string | null;
  @ApiProperty({ nullable: true, type: String }) activityTitle!: string | null;
  @ApiProperty({ nullable: true, type: String }) userId!: string | null;
  @ApiProperty({ nullable: true, type: String }) userName!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The sourcedid (1.1) or line item (1.3) named' })
  source!: string | null;
  @ApiProperty() operation!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The score as the tool sent it' }) rawScore!: string | null;
  @ApiProperty({ enum: SCORE_DECISIONS }) decision!: ScoreDecision;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ nullable: true, type: String }) resultingStatus!: string | null;
  @ApiProperty({ nullable: true, type: Number }) scorePercent!: number | null;
  @ApiProperty({ nullable: true, type: String }) requestId!: string | null;
}

export function toScoreLedgerEntryDto(entry: ScoreLedgerView): ScoreLedgerEntryDto {
  return { ...entry, receivedAt: entry.receivedAt.toISOString() };
}

@ApiTags('grading')
@ApiBearerAuth()
@Transport('api')
@Controller('api/v1/score-ledger')
export class ScoreLedgerApiController {
  constructor(private readonly ledger: ScoreLedgerService) {}

  @Get()
  @ApiOkResponse({
    description:
      'Every score request tools sent (LTI 1.1 outcomes, LTI 1.3 scores) for your organizations, newest first, with what became of it',
  })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ScoreLedgerQueryDto) {
    return mapPage(await this.ledger.list(principal, query), toScoreLedgerEntryDto);
  }
}
