import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { CATALOG_STATUSES, CatalogStatus } from '@tms/core';
import { PageQueryDto } from '../shared/paging';
import { IsUuidField, OneOf, PlainText } from '../shared/validation';

/** The filters every catalog list takes (providers, resource links), beside paging. */
export class CatalogQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Owned by this organization' })
  @IsOptional()
  @IsUuidField()
  organizationId?: string;

  @ApiPropertyOptional({ enum: CATALOG_STATUSES })
  @IsOptional()
  @OneOf(CATALOG_STATUSES)
  status?: CatalogStatus;

  @ApiPropertyOptional({ description: 'Part of the name' })
  @IsOptional()
  @PlainText(200)
  search?: string;
}
