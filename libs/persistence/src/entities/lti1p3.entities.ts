import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { LaunchKind, PresentationPath, SelfTestRole } from '@tms/core';
import { ClassEntity, CourseActivityEntity, CourseEntity, EnrollmentEntity } from './learning.entities';
import { LineItemEntity } from './grading.entities';
import { LtiProviderEntity } from './lti-provider.entity';
import { UserEntity } from './user.entity';

@Entity('lti1p3_message_hints')
export class MessageHintEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'message_hint', type: 'varchar', length: 64 }) messageHint!: string;
  @Column({ name: 'login_hint', type: 'varchar', length: 64 }) loginHint!: string;

  @Column({ name: 'user_id', type: 'uuid' }) userId!: string;
  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ name: 'provider_id', type: 'uuid' }) providerId!: string;
  @ManyToOne(() => LtiProviderEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'provider_id' })
  provider?: LtiProviderEntity;

  @Column({ name: 'message_type', type: 'varchar', length: 32 })
  messageType!: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest' | 'LtiSubmissionReviewRequest';
  @Column({ type: 'varchar', length: 16 }) kind!: LaunchKind;

  @Column({ name: 'course_id', type: 'uuid', nullable: true }) courseId!: string | null;
  @ManyToOne(() => CourseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'course_id' })
  course?: CourseEntity;

  @Column({ name: 'class_id', type: 'uuid', nullable: true }) classId!: string | null;
  @ManyToOne(() => ClassEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'class_id' })
  courseClass?: ClassEntity;

  @Column({ name: 'enrollment_id', type: 'uuid', nullable: true }) enrollmentId!: string | null;
  @ManyToOne(() => EnrollmentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'enrollment_id' })
  enrollment?: EnrollmentEntity;

  @Column({ name: 'activity_id', type: 'uuid', nullable: true }) activityId!: string | null;
  @ManyToOne(() => CourseActivityEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'activity_id' })
  activity?: CourseActivityEntity;

  @Column({ name: 'target_link_uri', type: 'varchar', length: 2048 }) targetLinkUri!: string;
  @Column({ name: 'document_target', type: 'varchar', length: 8 }) documentTarget!: 'iframe' | 'window';
  @Column({ name: 'presentation_path', type: 'varchar', length: 32, nullable: true })
  presentationPath!: PresentationPath | null;
  @Column({ name: 'accept_multiple', type: 'boolean' }) acceptMultiple!: boolean;
  @Column({ name: 'for_enrollment_id', type: 'uuid', nullable: true }) forEnrollmentId!: string | null;
  @ManyToOne(() => EnrollmentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'for_enrollment_id' })
  forEnrollment?: EnrollmentEntity;
  @Column({ name: 'line_item_id', type: 'uuid', nullable: true }) lineItemId!: string | null;
  @ManyToOne(() => LineItemEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'line_item_id' })
  lineItem?: LineItemEntity;
  @Column({ name: 'test_role', type: 'varchar', length: 16, nullable: true }) testRole!: SelfTestRole | null;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt!: Date;
  @Column({ name: 'consumed_at', type: 'timestamptz', nullable: true }) consumedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity('lti1p3_access_tokens')
export class AccessTokenEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'token_hash', type: 'char', length: 64 }) tokenHash!: string;

  @Column({ name: 'provider_id', type: 'uuid' }) providerId!: string;
  @ManyToOne(() => LtiProviderEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'provider_id' })
  provider?: LtiProviderEntity;

  @Column({ type: 'text', array: true }) scopes!: string[];
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt!: Date;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
