import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CATALOG_STATUSES, type CatalogStatus, ResourceLinkView } from '@tms/core';
import { formatCustomParameters, TOOL_URL_MAX_LENGTH } from '@tms/lti';
import { ListInput } from '../shared/list-input';
import { DecimalNumber, FormBoolean, IsUuidField, Nullable, OneOf, PlainText } from '../shared/validation';
import { CatalogQueryDto } from './catalog-query.dto';
import { CustomParametersText, ToolUrl } from './tool-fields';

export class CreateResourceLinkDto {
  @ApiProperty({ maxLength: 200 })
  @PlainText(200)
  name!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Owning organization; defaults to the one top organization you manage',
  })
  @IsOptional()
  @IsUuidField()
  organizationId?: string;

  @ApiProperty({ format: 'uuid', description: 'A provider available to the owning organization' })
  @IsUuidField()
  providerId!: string;

  @ApiProperty({ description: 'The resource link URL (https; http only for localhost)' })
  @IsString()
  @MaxLength(TOOL_URL_MAX_LENGTH)
  @ToolUrl()
  url!: string;

  @ApiPropertyOptional({ description: 'One name=value per line; overrides the provider’s' })
  @IsOptional()
  @IsString()
  @MaxLength(200_000)
  @CustomParametersText()
  customParameters?: string;

  @ApiPropertyOptional({ default: false, description: 'The tool’s score completes the activity' })
  @IsOptional()
  @FormBoolean()
  @IsBoolean({ message: 'requiresScoreForCompletion must be true or false' })
  requiresScoreForCompletion?: boolean;

  @ApiPropertyOptional({
    type: Number,
    minimum: 0,
    maximum: 100,
    description: 'Percent; empty: any score completes',
  })
  @Nullable()
  @Type(() => Number)
  @DecimalNumber(2)
  @Min(0, { message: 'passingScore must be 0 to 100 (percent)' })
  @Max(100, { message: 'passingScore must be 0 to 100 (percent)' })
  passingScore?: number | null;

  @ApiPropertyOptional({ enum: CATALOG_STATUSES, default: 'active' })
  @IsOptional()
  @OneOf(CATALOG_STATUSES)
  status?: CatalogStatus;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Defaults to the owning organization' })
  @IsOptional()
  @ListInput()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUuidField({ each: true })
  availableOrganizationIds?: string[];
}

export class UpdateResourceLinkDto extends PartialType(CreateResourceLinkDto) {}

export class ResourceLinkQueryDto extends CatalogQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUuidField()
  providerId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only links that can be placed in courses of this organization' })
  @IsOptional()
  @IsUuidField()
  usableIn?: string;
}

export class ResourceLinkDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty({ format: 'uuid' }) providerId!: string;
  @ApiProperty() providerName!: string;
  @ApiProperty() url!: string;
  @ApiProperty() customParameters!: string;
  @ApiProperty() requiresScoreForCompletion!: boolean;
  @ApiProperty({ nullable: true, type: Number }) passingScore!: number | null;
  @ApiProperty({
    nullable: true,
    type: Object,
    description:
      'The gradebook column the tool asked for when it created the link: label, scoreMaximum, resourceId, tag',
  })
  lineItem!: {
    label: string | null;
    scoreMaximum: number | null;
    resourceId: string | null;
    tag: string | null;
  } | null;
  @ApiProperty({ enum: CATALOG_STATUSES }) status!: CatalogStatus;
  @ApiProperty({ type: [String], description: 'Among the organizations you manage' })
  availableOrganizationIds!: string[];
  @ApiProperty() managed!: boolean;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class ResourceLinkUsageDto {
  @ApiProperty({ description: 'Course activities that place this link' }) activities!: number;
}

export function toResourceLinkDto(link: ResourceLinkView): ResourceLinkDto {
  return {
    id: link.id,
    name: link.name,
    organizationId: link.organizationId,
    providerId: link.providerId,
    providerName: link.providerName,
    url: link.url,
    customParameters: formatCustomParameters(link.customParameters),
    requiresScoreForCompletion: link.requiresScoreForCompletion,
    passingScore: link.passingScore,
    lineItem: link.lineItem && { ...link.lineItem },
    status: link.status,
    availableOrganizationIds: [...link.availableOrganizationIds],
    managed: link.managed,
    createdAt: link.createdAt.toISOString(),
    updatedAt: link.updatedAt.toISOString(),
  };
}
