import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { CourseCopyResult, SkippedActivity } from '@tms/core';
import { IsUuidField, Nullable, PlainText } from '../shared/validation';
import { toCourseDto } from './learning.dto';

export class CopyCourseDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Where the copy goes; defaults to the one organization where you author courses',
  })
  @IsOptional()
  @IsUuidField()
  organizationId?: string;

  @ApiPropertyOptional({ maxLength: 200, description: 'Defaults to the source course’s title' })
  @IsOptional()
  @PlainText(200)
  title?: string;

  @ApiPropertyOptional({ maxLength: 50, type: String, description: 'Unique in the organization; none by default' })
  @Nullable()
  @PlainText(50)
  code?: string | null;
}

export class SkippedActivityDto {
  @ApiProperty({ format: 'uuid', description: 'The activity of the source course left out' }) activityId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({
    enum: ['link_deleted', 'link_disabled', 'provider_disabled', 'link_withdrawn', 'provider_withdrawn'],
  })
  reason!: string;
  @ApiProperty({ description: 'The reason in words' }) message!: string;
}

export function toCourseCopyDto(result: CourseCopyResult) {
  return {
    ...toCourseDto(result.course),
    skippedActivities: result.skipped.map((skipped: SkippedActivity) => ({ ...skipped })),
  };
}
