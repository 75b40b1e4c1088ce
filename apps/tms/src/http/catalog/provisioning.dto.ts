import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { FormBoolean, OneOf } from '../shared/validation';
import { PROVISIONING_FORMATS, ProvisioningFormat } from './provisioning-file';

export class ProvisioningQueryDto {
  @ApiPropertyOptional({ enum: PROVISIONING_FORMATS, description: 'csv or json; otherwise from Accept / Content-Type' })
  @IsOptional()
  @OneOf(PROVISIONING_FORMATS)
  format?: ProvisioningFormat;

  @ApiPropertyOptional({ description: 'Check every row and report what would happen, writing nothing' })
  @IsOptional()
  @FormBoolean()
  @IsBoolean({ message: 'dryRun must be true or false' })
  dryRun?: boolean;
}

class ProvisioningOutcomeDto {
  @ApiProperty({ description: 'The line of the file (JSON: the position in rows, from 1)' })
  line!: number;

  @ApiProperty({ enum: ['provider', 'resource_link'] })
  kind!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: ['create', 'update', 'unchanged'] })
  action!: string;
}

export class ProvisioningReportDto {
  @ApiProperty()
  dryRun!: boolean;

  @ApiProperty({ description: 'Whether the rows were written (never in a dry run)' })
  applied!: boolean;

  @ApiProperty()
  total!: number;

  @ApiProperty()
  created!: number;

  @ApiProperty()
  updated!: number;

  @ApiProperty({ description: 'Rows that match the catalog already (re-importing an export: all of them)' })
  unchanged!: number;

  @ApiProperty({ type: [ProvisioningOutcomeDto] })
  rows!: ProvisioningOutcomeDto[];
}
