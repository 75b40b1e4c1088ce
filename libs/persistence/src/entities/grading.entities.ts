import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { ActivityProgressValue, GradingProgressValue, SubmissionReview } from '@tms/lti';
import type { LtiVersion, ProgressStatus, ScoreDecision, SubmissionKind, SubmissionOutcome } from '@tms/core';
import { ClassEntity, CourseActivityEntity, CourseEntity, EnrollmentEntity } from './learning.entities';
import { LtiProviderEntity } from './lti-provider.entity';
import { numericColumn } from './numeric.transformer';
import { OrganizationEntity } from './organization.entity';
import { UserEntity } from './user.entity';

@Entity('score_ledger')
export class ScoreLedgerEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' }) receivedAt!: Date;
  @Column({ name: 'lti_version', type: 'varchar', length: 3 }) ltiVersion!: LtiVersion;

  @Column({ name: 'provider_id', type: 'uuid', nullable: true }) providerId!: string | null;
  @ManyToOne(() => LtiProviderEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'provider_id' })
  provider?: LtiProviderEntity;

  @Column({ name: 'organization_id', type: 'uuid', nullable: true }) organizationId!: string | null;
  @ManyToOne(() => OrganizationEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'organization_id' })
  organization?: OrganizationEntity;

  @Column({ name: 'enrollment_id', type: 'uuid', nullable: true }) enrollmentId!: string | null;
  @ManyToOne(() => EnrollmentEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'enrollment_id' })
  enrollment?: EnrollmentEntity;

  @Column({ name: 'activity_id', type: 'uuid', nullable: true }) activityId!: string | null;
  @ManyToOne(() => CourseActivityEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'activity_id' })
  activity?: CourseActivityEntity;

  @Column({ name: 'user_id', type: 'uuid', nullable: true }) userId!: string | null;
  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 1000, nullable: true }) source!: string | null;
  @Column({ type: 'varchar', length: 64 }) operation!: string;
  @Column({ name: 'raw_score', type: 'varchar', length: 64, nullable: true }) rawScore!: string | null;
  @Column({ type: 'varchar', length: 16 }) decision!: ScoreDecision;
  @Column({ type: 'varchar', length: 500, nullable: true }) reason!: string | null;
  @Column({ name: 'resulting_status', type: 'varchar', length: 16, nullable: true })
  resultingStatus!: ProgressStatus | null;
  @Column({
    name: 'score_percent',
    type: 'numeric',
    precision: 8,
    scale: 3,
    nullable: true,
    transformer: numericColumn,
  })
  scorePercent!: number | null;
  @Column({ name: 'request_id', type: 'varchar', length: 100, nullable: true }) requestId!: string | null;
}

@Entity('lti1p3_line_items')
export class LineItemEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;

  @Column({ name: 'provider_id', type: 'uuid' }) providerId!: string;
  @ManyToOne(() => LtiProviderEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'provider_id' })
  provider?: LtiProviderEntity;

  @Column({ name: 'course_id', type: 'uuid' }) courseId!: string;
  @ManyToOne(() => CourseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'course_id' })
  course?: CourseEntity;

  @Column({ name: 'class_id', type: 'uuid', nullable: true }) classId!: string | null;
  @ManyToOne(() => ClassEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'class_id' })
  courseClass?: ClassEntity;

  @Column({ name: 'activity_id', type: 'uuid', nullable: true }) activityId!: string | null;
  @ManyToOne(() => CourseActivityEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'activity_id' })
  activity?: CourseActivityEntity;

  @Column({ type: 'boolean' }) declarative!: boolean;
  @Column({ type: 'varchar', length: 1000 }) label!: string;
  // Kept as strings: numeric is exact, and the tool reads back what it wrote.
  @Column({ name: 'score_maximum', type: 'numeric' }) scoreMaximum!: string;
  @Column({ name: 'resource_link_id', type: 'varchar', length: 255, nullable: true }) resourceLinkId!: string | null;
  @Column({ name: 'resource_id', type: 'varchar', length: 255, nullable: true }) resourceId!: string | null;
  @Column({ type: 'varchar', length: 255, nullable: true }) tag!: string | null;
  @Column({ name: 'start_date_time', type: 'timestamptz', nullable: true }) startDateTime!: Date | null;
  @Column({ name: 'end_date_time', type: 'timestamptz', nullable: true }) endDateTime!: Date | null;
  @Column({ name: 'grades_released', type: 'boolean', nullable: true }) gradesReleased!: boolean | null;
  @Column({ name: 'submission_review', type: 'jsonb', nullable: true }) submissionReview!: SubmissionReview | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

@Entity('lti1p3_results')
export class LineItemResultEntity {
  @PrimaryColumn({ name: 'line_item_id', type: 'uuid' }) lineItemId!: string;
  @ManyToOne(() => LineItemEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'line_item_id' })
  lineItem?: LineItemEntity;

  @PrimaryColumn({ name: 'enrollment_id', type: 'uuid' }) enrollmentId!: string;
  @ManyToOne(() => EnrollmentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'enrollment_id' })
  enrollment?: EnrollmentEntity;

  @Column({ name: 'lti_user_id', type: 'varchar', length: 255 }) ltiUserId!: string;
  @Column({ name: 'score_given', type: 'numeric', nullable: true }) scoreGiven!: string | null;
  @Column({ name: 'score_maximum', type: 'numeric', nullable: true }) scoreMaximum!: string | null;
  @Column({ type: 'text', nullable: true }) comment!: string | null;
  @Column({ name: 'activity_progress', type: 'varchar', length: 16 }) activityProgress!: ActivityProgressValue;
  @Column({ name: 'grading_progress', type: 'varchar', length: 16 }) gradingProgress!: GradingProgressValue;
  @Column({ name: 'scored_at', type: 'timestamptz' }) scoredAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

@Entity('submissions')
export class SubmissionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;

  @Column({ name: 'enrollment_id', type: 'uuid' }) enrollmentId!: string;
  @ManyToOne(() => EnrollmentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'enrollment_id' })
  enrollment?: EnrollmentEntity;

  @Column({ name: 'activity_id', type: 'uuid' }) activityId!: string;
  @ManyToOne(() => CourseActivityEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'activity_id' })
  activity?: CourseActivityEntity;

  @Column({ name: 'provider_id', type: 'uuid', nullable: true }) providerId!: string | null;
  @ManyToOne(() => LtiProviderEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'provider_id' })
  provider?: LtiProviderEntity;

  @Column({ type: 'varchar', length: 16 }) kind!: SubmissionKind;
  @Column({ type: 'varchar', length: 16 }) outcome!: SubmissionOutcome;
  @Column({ name: 'score_given', type: 'numeric', nullable: true }) scoreGiven!: string | null;
  @Column({ name: 'score_maximum', type: 'numeric', nullable: true }) scoreMaximum!: string | null;
  @Column({ type: 'varchar', length: 16, nullable: true }) status!: ProgressStatus | null;
  @Column({ type: 'text', nullable: true }) comment!: string | null;
  @Column({ type: 'text', nullable: true }) text!: string | null;
  @Column({ type: 'varchar', length: 2048, nullable: true }) url!: string | null;
  @Column({ name: 'lti_launch_url', type: 'varchar', length: 2048, nullable: true }) ltiLaunchUrl!: string | null;
  @Column({ name: 'started_at', type: 'timestamptz', nullable: true }) startedAt!: Date | null;
  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true }) submittedAt!: Date | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) reason!: string | null;

  @Column({ name: 'by_user_id', type: 'uuid', nullable: true }) byUserId!: string | null;
  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'by_user_id' })
  byUser?: UserEntity;

  @Column({ name: 'received_at', type: 'timestamptz', insert: false, update: false }) receivedAt!: Date;
}
