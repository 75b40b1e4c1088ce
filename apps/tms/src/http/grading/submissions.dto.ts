import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, Matches } from 'class-validator';
import type { ActivityProgress, ActivitySubmissions, Submission, SubmissionView } from '@tms/core';
import { OneOf, PlainText } from '../shared/validation';

const PERCENT = /^(?:100(?:\.0{1,3})?|\d{1,2}(?:\.\d{1,3})?)$/;

/** An instructor's grade: a score out of 100, a completion, or both, and always why. */
export class GradeOverrideDto {
  @ApiPropertyOptional({ type: String, example: '85', description: 'Score out of 100 (0 to 100, at most 3 decimals)' })
  @IsOptional()
  @Transform(({ value }) =>
    typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : value,
  )
  @Matches(PERCENT, { message: 'score must be a number from 0 to 100 with at most 3 decimals' })
  score?: string;

  @ApiPropertyOptional({
    enum: ['completed', 'failed'],
    description: "Decides completion outright; without it the score decides, by the link's passing score",
  })
  @IsOptional()
  @OneOf(['completed', 'failed'])
  completion?: 'completed' | 'failed';

  @ApiProperty({ maxLength: 500, description: 'Why: kept in the audit log, the score ledger and the history' })
  @PlainText(500)
  reason!: string;
}

export class ClearGradeDto {
  @ApiProperty({ maxLength: 500, description: 'Why the grade is withdrawn' })
  @PlainText(500)
  reason!: string;
}

export class SubmissionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['tool', 'override', 'override_cleared'] }) kind!: string;
  @ApiProperty({ enum: ['applied', 'overridden'], description: 'overridden: kept while an instructor grade stood' })
  outcome!: string;
  @ApiProperty() receivedAt!: string;
  @ApiProperty({ nullable: true, type: String }) scoreGiven!: string | null;
  @ApiProperty({ nullable: true, type: String }) scoreMaximum!: string | null;
  @ApiProperty({ nullable: true, type: String }) status!: string | null;
  @ApiProperty({ nullable: true, type: String }) comment!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Plain text from the tool' }) text!: string | null;
  @ApiProperty({ nullable: true, type: String }) url!: string | null;
  @ApiProperty({ nullable: true, type: String }) ltiLaunchUrl!: string | null;
  @ApiProperty({ nullable: true, type: String }) startedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) submittedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ nullable: true, type: String }) byUserName!: string | null;
}

export class ActivitySubmissionsDto {
  @ApiProperty({ format: 'uuid' }) enrollmentId!: string;
  @ApiProperty({ format: 'uuid' }) activityId!: string;
  @ApiProperty() learnerName!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ nullable: true, type: Number }) scorePercent!: number | null;
  @ApiProperty({ nullable: true, type: SubmissionDto }) latest!: SubmissionDto | null;
  @ApiProperty({ nullable: true, type: SubmissionDto, description: 'The instructor grade in force' })
  override!: SubmissionDto | null;
  @ApiProperty({ type: [SubmissionDto], description: 'Newest first' }) history!: SubmissionDto[];
}

export function toSubmissionDto(submission: Submission | SubmissionView): SubmissionDto {
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return {
    id: submission.id,
    kind: submission.kind,
    outcome: submission.outcome,
    receivedAt: submission.receivedAt.toISOString(),
    scoreGiven: submission.scoreGiven,
    scoreMaximum: submission.scoreMaximum,
    status: submission.status,
    comment: submission.comment,
    text: submission.text,
    url: submission.url,
    ltiLaunchUrl: submission.ltiLaunchUrl,
    startedAt: iso(submission.startedAt),
    submittedAt: iso(submission.submittedAt),
    reason: submission.reason,
    byUserName: 'byUserName' in submission ? submission.byUserName : null,
  };
}

export function toActivitySubmissionsDto(view: ActivitySubmissions): ActivitySubmissionsDto {
  return {
    enrollmentId: view.placement.enrollment.id,
    activityId: view.placement.activity.id,
    learnerName: view.learnerName,
    status: view.progress.status,
    scorePercent: view.progress.scorePercent,
    latest: view.latest && toSubmissionDto(view.latest),
    override: view.override && toSubmissionDto(view.override),
    history: view.history.map(toSubmissionDto),
  };
}

/** The service's input from either form. */
export function toOverrideInput(dto: GradeOverrideDto) {
  return { scorePercent: dto.score ?? null, status: dto.completion ?? null, reason: dto.reason };
}

/** The activity's progress after a grade changed. */
export function toGradedProgressDto(progress: ActivityProgress) {
  return {
    enrollmentId: progress.enrollmentId,
    activityId: progress.activityId,
    status: progress.status,
    scorePercent: progress.scorePercent,
    completedAt: progress.completedAt?.toISOString() ?? null,
  };
}
