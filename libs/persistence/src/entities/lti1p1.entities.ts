import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { LaunchKind, LtiVersion, PresentationPath, ProgressStatus, ScoreDecision } from '@tms/core';
import { CourseActivityEntity, CourseEntity, EnrollmentEntity } from './learning.entities';
import { LtiProviderEntity } from './lti-provider.entity';
import { LtiResourceLinkEntity } from './lti-resource-link.entity';
import { numericColumn } from './numeric.transformer';
import { OrganizationEntity } from './organization.entity';
import { UserEntity } from './user.entity';

@Entity('lti_launches')
export class LtiLaunchEntity {
  @PrimaryColumn('uuid') id!: string;

  @Column({ name: 'user_id', type: 'uuid' }) userId!: string;
  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ name: 'enrollment_id', type: 'uuid', nullable: true }) enrollmentId!: string | null;
  @ManyToOne(() => EnrollmentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'enrollment_id' })
  enrollment?: EnrollmentEntity;

  @Column({ name: 'activity_id', type: 'uuid', nullable: true }) activityId!: string | null;
  @ManyToOne(() => CourseActivityEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'activity_id' })
  activity?: CourseActivityEntity;

  @Column({ name: 'resource_link_id', type: 'uuid' }) resourceLinkId!: string;
  @ManyToOne(() => LtiResourceLinkEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'resource_link_id' })
  resourceLink?: LtiResourceLinkEntity;

  @Column({ name: 'provider_id', type: 'uuid' }) providerId!: string;
  @ManyToOne(() => LtiProviderEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'provider_id' })
  provider?: LtiProviderEntity;

  @Column({ name: 'lti_version', type: 'varchar', length: 3 }) ltiVersion!: LtiVersion;
  @Column({ type: 'varchar', length: 16 }) kind!: LaunchKind;
  @Column({ type: 'text', array: true }) roles!: string[];
  @Column({ name: 'pii_sent', type: 'text', array: true }) piiSent!: string[];
  @Column({ name: 'presentation_path', type: 'varchar', length: 32, nullable: true })
  presentationPath!: PresentationPath | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity('oauth_nonces')
export class OAuthNonceEntity {
  @PrimaryColumn({ name: 'provider_id', type: 'uuid' }) providerId!: string;
  @ManyToOne(() => LtiProviderEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'provider_id' })
  provider?: LtiProviderEntity;

  @PrimaryColumn({ type: 'varchar', length: 255 }) nonce!: string;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt!: Date;
}

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

@Entity('content_item_requests')
export class ContentItemRequestEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;

  @Column({ name: 'user_id', type: 'uuid' }) userId!: string;
  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ name: 'course_id', type: 'uuid' }) courseId!: string;
  @ManyToOne(() => CourseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'course_id' })
  course?: CourseEntity;

  @Column({ name: 'provider_id', type: 'uuid' }) providerId!: string;
  @ManyToOne(() => LtiProviderEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'provider_id' })
  provider?: LtiProviderEntity;

  @Column({ name: 'accept_multiple', type: 'boolean' }) acceptMultiple!: boolean;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt!: Date;
  @Column({ name: 'consumed_at', type: 'timestamptz', nullable: true }) consumedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
