import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, MaxLength } from 'class-validator';
import { PRIVACY_LEVELS, type PrivacyLevel } from '@tms/core';
import { TOOL_URL_MAX_LENGTH } from '@tms/lti';
import { ListInput } from '../shared/list-input';
import { IsUuidField, OneOf } from '../shared/validation';

export class StartRegistrationDto {
  @ApiProperty({ description: 'The tool’s registration initiation URL (LTI Dynamic Registration 1.0 §3.3)' })
  @IsString()
  @MaxLength(TOOL_URL_MAX_LENGTH)
  initiationUrl!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Owning organization of the provider it becomes' })
  @IsOptional()
  @IsUuidField()
  organizationId?: string;
}

export class ApproveRegistrationDto {
  @ApiPropertyOptional({ enum: PRIVACY_LEVELS, description: 'Defaults to what the tool asked for' })
  @IsOptional()
  @OneOf(PRIVACY_LEVELS)
  privacy?: PrivacyLevel;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Where it can be used; defaults to the owner' })
  @IsOptional()
  @ListInput()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUuidField({ each: true })
  availableOrganizationIds?: string[];
}
