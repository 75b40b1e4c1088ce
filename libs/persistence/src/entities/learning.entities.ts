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
import type { EnrollmentKind, EnrollmentRole, EnrollmentStatus, ProgressStatus } from '@tms/core';
import { LtiResourceLinkEntity } from './lti-resource-link.entity';
import { numericColumn } from './numeric.transformer';
import { OrganizationEntity } from './organization.entity';
import { UserEntity } from './user.entity';

@Entity('courses')
export class CourseEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;

  @Column({ name: 'organization_id', type: 'uuid' }) organizationId!: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id' })
  organization?: OrganizationEntity;

  @Column({ type: 'varchar', length: 200 }) title!: string;
  @Column({ type: 'varchar', length: 50, nullable: true }) code!: string | null;
  @Column({ type: 'text', nullable: true }) description!: string | null;
  @Column({ name: 'source_course_id', type: 'uuid', nullable: true }) sourceCourseId!: string | null;

  @ManyToOne(() => CourseEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'source_course_id' })
  sourceCourse?: CourseEntity;

  @Column({ name: 'context_id_history', type: 'text', array: true, default: () => "'{}'" })
  contextIdHistory!: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

@Entity('course_activities')
export class CourseActivityEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;

  @Column({ name: 'course_id', type: 'uuid' }) courseId!: string;

  @ManyToOne(() => CourseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'course_id' })
  course?: CourseEntity;

  @Column({ name: 'resource_link_id', type: 'uuid' }) resourceLinkId!: string;

  @ManyToOne(() => LtiResourceLinkEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'resource_link_id' })
  resourceLink?: LtiResourceLinkEntity;

  @Column({ name: 'lti_resource_link_id', type: 'varchar', length: 255 }) ltiResourceLinkId!: string;
  @Column({ type: 'varchar', length: 200 }) title!: string;
  @Column({ type: 'integer' }) position!: number;
  @Column({ type: 'boolean' }) required!: boolean;
  @Column({ name: 'source_activity_id', type: 'uuid', nullable: true }) sourceActivityId!: string | null;

  @ManyToOne(() => CourseActivityEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'source_activity_id' })
  sourceActivity?: CourseActivityEntity;

  @Column({ name: 'lti_resource_link_id_history', type: 'text', array: true, default: () => "'{}'" })
  resourceLinkIdHistory!: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

@Entity('classes')
export class ClassEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;

  @Column({ name: 'course_id', type: 'uuid' }) courseId!: string;

  @ManyToOne(() => CourseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'course_id' })
  course?: CourseEntity;

  @Column({ name: 'organization_id', type: 'uuid' }) organizationId!: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id' })
  organization?: OrganizationEntity;

  @Column({ type: 'varchar', length: 200 }) title!: string;
  @Column({ type: 'varchar', length: 50, nullable: true }) code!: string | null;
  @Column({ name: 'starts_on', type: 'date', nullable: true }) startsOn!: string | null;
  @Column({ name: 'ends_on', type: 'date', nullable: true }) endsOn!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

@Entity('enrollments')
export class EnrollmentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar', length: 16 }) kind!: EnrollmentKind;

  @Column({ name: 'course_id', type: 'uuid' }) courseId!: string;

  @ManyToOne(() => CourseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'course_id' })
  course?: CourseEntity;

  @Column({ name: 'class_id', type: 'uuid', nullable: true }) classId!: string | null;

  @ManyToOne(() => ClassEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'class_id' })
  courseClass?: ClassEntity;

  @Column({ name: 'user_id', type: 'uuid' }) userId!: string;

  // Not mapped: `user_name`, the person's name for roster order, which triggers keep (migration RosterByName).
  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 16 }) role!: EnrollmentRole;
  @Column({ type: 'varchar', length: 16 }) status!: EnrollmentStatus;
  @Column({ name: 'due_at', type: 'timestamptz', nullable: true }) dueAt!: Date | null;
  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true }) completedAt!: Date | null;
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true }) endedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

@Entity('activity_progress')
export class ActivityProgressEntity {
  @PrimaryColumn({ name: 'enrollment_id', type: 'uuid' }) enrollmentId!: string;

  @ManyToOne(() => EnrollmentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'enrollment_id' })
  enrollment?: EnrollmentEntity;

  @PrimaryColumn({ name: 'activity_id', type: 'uuid' }) activityId!: string;

  @ManyToOne(() => CourseActivityEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'activity_id' })
  activity?: CourseActivityEntity;

  @Column({ type: 'varchar', length: 16 }) status!: ProgressStatus;

  @Column({
    name: 'score_percent',
    type: 'numeric',
    precision: 8,
    scale: 3,
    nullable: true,
    transformer: numericColumn,
  })
  scorePercent!: number | null;

  // Kept as strings: numeric is exact in PostgreSQL, and readResult must answer what was stored.
  @Column({ name: 'score_given', type: 'numeric', nullable: true }) scoreGiven!: string | null;
  @Column({ name: 'score_maximum', type: 'numeric', nullable: true }) scoreMaximum!: string | null;
  @Column({ name: 'scored_at', type: 'timestamptz', nullable: true }) scoredAt!: Date | null;

  @Column({ name: 'first_launched_at', type: 'timestamptz', nullable: true }) firstLaunchedAt!: Date | null;
  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true }) completedAt!: Date | null;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
