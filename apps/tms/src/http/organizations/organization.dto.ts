import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Organization, ORGANIZATION_NAME_MAX, OrganizationNode } from '@tms/core';
import { PageQueryDto } from '../shared/paging';
import { IsUuidField, Nullable, PlainText } from '../shared/validation';

export class CreateOrganizationDto {
  @ApiProperty({ maxLength: ORGANIZATION_NAME_MAX })
  @PlainText(ORGANIZATION_NAME_MAX)
  name!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    type: String,
    description:
      'Defaults to the one top organization you manage. null: a new top-level organization (a new tenant), ' +
      'for platform administrators only, who become its first site administrator',
  })
  @Nullable()
  @IsOptional()
  @IsUuidField()
  parentId?: string | null;
}

/** Rename and move in one request; either may be left out. */
export class UpdateOrganizationDto {
  @ApiPropertyOptional({ maxLength: ORGANIZATION_NAME_MAX })
  @IsOptional()
  @PlainText(ORGANIZATION_NAME_MAX)
  name?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUuidField()
  parentId?: string;
}

export class OrganizationQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Part of the name' })
  @IsOptional()
  @PlainText(200)
  search?: string;
}

export class OrganizationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) parentId!: string | null;
  @ApiPropertyOptional({ description: 'Depth below the top organizations you manage' }) depth?: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export function toOrganizationDto(organization: Organization | OrganizationNode): OrganizationDto {
  return {
    id: organization.id,
    name: organization.name,
    parentId: organization.parentId,
    ...('depth' in organization ? { depth: organization.depth } : {}),
    createdAt: organization.createdAt.toISOString(),
    updatedAt: organization.updatedAt.toISOString(),
  };
}

/** A picker's search: part of a name (empty: the first ones), at most `limit` answers. */
export class OrganizationSearchDto {
  @IsOptional()
  @PlainText(200, 0)
  q?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(50)
  limit?: number;
}
