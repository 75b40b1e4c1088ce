import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { LaunchKind, LaunchSent, LtiVersion, PresentationPath } from '@tms/core';
import { CourseActivityEntity, CourseEntity, EnrollmentEntity } from './learning.entities';
import { LtiProviderEntity } from './lti-provider.entity';
import { LtiResourceLinkEntity } from './lti-resource-link.entity';
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

  @Column({ name: 'resource_link_id', type: 'uuid', nullable: true }) resourceLinkId!: string | null;
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
  @Column({ type: 'jsonb', nullable: true }) sent!: LaunchSent | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** A content selection an author started (LTI 1.1 Content-Item or LTI 1.3 Deep Linking): single use. */
@Entity('content_item_requests')
export class ContentSelectionRequestEntity {
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
