import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsDate, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import {
  ActivityView,
  Course,
  CourseActivity,
  CourseClass,
  CourseView,
  ENROLLMENT_ROLES,
  type EnrollmentRole,
  EnrollmentProgress,
  Enrollment,
  PROGRESS_STATUSES,
  RosterEntry,
} from '@tms/core';
import { ListInput } from '../shared/list-input';
import { pageQuery, PageQueryDto } from '../shared/paging';
import { IsUuidField, Nullable, OneOf, PlainText } from '../shared/validation';

export class CreateCourseDto {
  @ApiProperty({ maxLength: 200 }) @PlainText(200) title!: string;

  @ApiPropertyOptional({ maxLength: 50, type: String })
  @Nullable()
  @PlainText(50)
  code?: string | null;

  @ApiPropertyOptional({ maxLength: 5000, type: String })
  @Nullable()
  @IsString()
  @MaxLength(5000)
  description?: string | null;

  @ApiPropertyOptional({ format: 'uuid', description: 'Defaults to the one organization where you author courses' })
  @IsOptional()
  @IsUuidField()
  organizationId?: string;
}

export class UpdateCourseDto extends PartialType(CreateCourseDto) {}

export class CourseQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUuidField()
  organizationId?: string;

  @ApiPropertyOptional() @IsOptional() @PlainText(200) search?: string;
}

export class CreateActivityDto {
  @ApiProperty({ format: 'uuid', description: 'A catalog resource link available to the course’s organization' })
  @IsUuidField()
  resourceLinkId!: string;

  @ApiPropertyOptional({ default: true, description: 'Counts towards course completion' })
  @IsOptional()
  @IsBoolean({ message: 'required must be true or false' })
  required?: boolean;

  @ApiPropertyOptional({ maxLength: 200, description: 'Defaults to the resource link’s name' })
  @IsOptional()
  @PlainText(200)
  title?: string;
}

export class UpdateActivityDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean({ message: 'required must be true or false' }) required?: boolean;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @PlainText(200) title?: string;
}

export class ReorderActivitiesDto {
  @ApiProperty({ type: [String], format: 'uuid', description: 'Every activity of the course, in the new order' })
  @IsArray()
  @ArrayMaxSize(500)
  @IsUuidField({ each: true })
  activityIds!: string[];
}

export class CreateClassDto {
  @ApiProperty({ format: 'uuid' }) @IsUuidField() courseId!: string;
  @ApiProperty({ maxLength: 200 }) @PlainText(200) title!: string;

  @ApiPropertyOptional({ maxLength: 50, type: String })
  @Nullable()
  @PlainText(50)
  code?: string | null;

  @ApiPropertyOptional({ format: 'date', type: String })
  @Nullable()
  @IsISO8601({ strict: true }, { message: 'startsOn must be a date (YYYY-MM-DD)' })
  startsOn?: string | null;

  @ApiPropertyOptional({ format: 'date', type: String })
  @Nullable()
  @IsISO8601({ strict: true }, { message: 'endsOn must be a date (YYYY-MM-DD)' })
  endsOn?: string | null;

  @ApiPropertyOptional({ format: 'uuid', description: 'Defaults to the course’s organization' })
  @IsOptional()
  @IsUuidField()
  organizationId?: string;
}

export class UpdateClassDto extends PartialType(CreateClassDto) {}

export class ClassQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUuidField()
  courseId?: string;

  @ApiPropertyOptional() @IsOptional() @PlainText(200) search?: string;
}

export class CreateEnrollmentDto {
  @ApiProperty({ format: 'uuid' }) @IsUuidField() userId!: string;

  @ApiPropertyOptional({ enum: ENROLLMENT_ROLES, default: 'learner' })
  @IsOptional()
  @OneOf(ENROLLMENT_ROLES)
  role?: EnrollmentRole;
}

export class BulkEnrollmentDto {
  @ApiProperty({ type: [String], description: 'Emails (a JSON list, or text with one per line or comma-separated)' })
  @ListInput(true)
  @IsArray({ message: 'emails must be a list' })
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MaxLength(254, { each: true })
  emails!: string[];
}

export class CreateSelfPacedDto {
  @ApiProperty({ format: 'uuid' }) @IsUuidField() courseId!: string;
  @ApiProperty({ format: 'uuid' }) @IsUuidField() userId!: string;

  @ApiPropertyOptional({ format: 'date-time', type: String })
  @Nullable()
  @Type(() => Date)
  @IsDate({ message: 'dueAt must be a date and time' })
  dueAt?: Date | null;
}

export class SelfPacedQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUuidField()
  courseId?: string;
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUuidField()
  userId?: string;
}

export class ActivityDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) resourceLinkId!: string;
  @ApiProperty({ description: 'The LTI resource_link_id of this placement' }) ltiResourceLinkId!: string;
  @ApiProperty() title!: string;
  @ApiProperty() position!: number;
  @ApiProperty() required!: boolean;
  @ApiPropertyOptional() resourceLinkName?: string;
  @ApiPropertyOptional() requiresScoreForCompletion?: boolean;
  @ApiPropertyOptional({ description: 'false: the link was disabled or withdrawn; launches stop' }) available?: boolean;
}

export function toActivityDto(activity: ActivityView | CourseActivity): ActivityDto {
  return { ...activity };
}

export function toCourseDto(course: Course | CourseView) {
  return {
    id: course.id,
    organizationId: course.organizationId,
    title: course.title,
    code: course.code,
    description: course.description,
    sourceCourseId: course.sourceCourseId,
    contextIdHistory: course.contextIdHistory,
    ...('activities' in course ? { activities: course.activities.map(toActivityDto) } : {}),
    createdAt: course.createdAt.toISOString(),
    updatedAt: course.updatedAt.toISOString(),
  };
}

export function toClassDto(courseClass: CourseClass) {
  return {
    ...courseClass,
    createdAt: courseClass.createdAt.toISOString(),
    updatedAt: courseClass.updatedAt.toISOString(),
  };
}

export function toEnrollmentDto(enrollment: Enrollment | RosterEntry) {
  return {
    ...enrollment,
    dueAt: enrollment.dueAt?.toISOString() ?? null,
    completedAt: enrollment.completedAt?.toISOString() ?? null,
    endedAt: enrollment.endedAt?.toISOString() ?? null,
    createdAt: enrollment.createdAt.toISOString(),
  };
}

export class ActivityProgressDto {
  @ApiProperty({ format: 'uuid' }) activityId!: string;
  @ApiProperty() title!: string;
  @ApiProperty() required!: boolean;
  @ApiProperty({ enum: PROGRESS_STATUSES }) status!: string;
  @ApiProperty({ nullable: true, type: Number }) scorePercent!: number | null;
  @ApiProperty({ nullable: true, type: String }) firstLaunchedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) completedAt!: string | null;
}

export function toProgressDto(progress: EnrollmentProgress) {
  return {
    enrollment: toEnrollmentDto(progress.enrollment),
    course: { id: progress.course.id, title: progress.course.title, code: progress.course.code },
    class: progress.courseClass && { id: progress.courseClass.id, title: progress.courseClass.title },
    courseComplete: progress.courseComplete,
    activities: progress.activities.map(({ activity, progress: p }) => ({
      activityId: activity.id,
      title: activity.title,
      required: activity.required,
      status: p.status,
      scorePercent: p.scorePercent,
      firstLaunchedAt: p.firstLaunchedAt?.toISOString() ?? null,
      completedAt: p.completedAt?.toISOString() ?? null,
    })),
  };
}

/** Largest roster page: a whole class of 1,000 in one answer, as NRPS allows a tool. */
export const MAX_ROSTER_PAGE_SIZE = 1000;

/** Paging of a roster or report: by name, then enrollment time. */
export class RosterQueryDto extends pageQuery(MAX_ROSTER_PAGE_SIZE) {}
