import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type {
  CatalogStatus,
  CompatibilitySwitch,
  LtiService,
  LtiVersion,
  PresentationTarget,
  PrivacyLevel,
  ToolKeyStatus,
  UserIdSource,
} from '@tms/core';
import type { CustomParameter } from '@tms/lti';
import { OrganizationEntity } from './organization.entity';

@Entity('lti_providers')
export class LtiProviderEntity {
  /** Chosen by core before the insert: the sealed secret is bound to it. */
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id' })
  organization?: OrganizationEntity;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'lti_version', type: 'varchar', length: 3 })
  ltiVersion!: LtiVersion;

  @Column({ type: 'varchar', length: 16 })
  status!: CatalogStatus;

  @Column({ name: 'custom_parameters', type: 'jsonb' })
  customParameters!: CustomParameter[];

  @Column({ name: 'privacy_level', type: 'varchar', length: 16 })
  privacyLevel!: PrivacyLevel;

  @Column({ name: 'user_id_source', type: 'varchar', length: 16 })
  userIdSource!: UserIdSource;

  @Column({ name: 'presentation_target', type: 'varchar', length: 16 })
  presentationTarget!: PresentationTarget;

  @Column({ name: 'presentation_width', type: 'integer', nullable: true })
  presentationWidth!: number | null;

  @Column({ name: 'presentation_height', type: 'integer', nullable: true })
  presentationHeight!: number | null;

  @Column({ name: 'consumer_key', type: 'varchar', length: 255, nullable: true })
  consumerKey!: string | null;

  @Column({ name: 'replaces_provider_id', type: 'uuid', nullable: true })
  replacesProviderId!: string | null;

  @Column({ name: 'content_item_url', type: 'varchar', length: 2048, nullable: true })
  contentItemUrl!: string | null;

  @Column({ name: 'shared_secret_sealed', type: 'text', nullable: true })
  sharedSecretSealed!: string | null;

  @Column({ name: 'shared_secret_mask', type: 'varchar', length: 32, nullable: true })
  sharedSecretMask!: string | null;

  @Column({ name: 'client_id', type: 'varchar', length: 64, nullable: true })
  clientId!: string | null;

  @Column({ name: 'deployment_id', type: 'varchar', length: 64, nullable: true })
  deploymentId!: string | null;

  @Column({ name: 'login_url', type: 'varchar', length: 2048, nullable: true })
  loginUrl!: string | null;

  @Column({ name: 'redirect_uris', type: 'jsonb', nullable: true })
  redirectUris!: string[] | null;

  @Column({ name: 'target_link_uri', type: 'varchar', length: 2048, nullable: true })
  targetLinkUri!: string | null;

  @Column({ name: 'jwks_url', type: 'varchar', length: 2048, nullable: true })
  jwksUrl!: string | null;

  @Column({ name: 'public_key_pem', type: 'text', nullable: true })
  publicKeyPem!: string | null;

  @Column({ name: 'key_status', type: 'varchar', length: 16, nullable: true })
  keyStatus!: ToolKeyStatus | null;

  @Column({ name: 'key_problem', type: 'varchar', length: 500, nullable: true })
  keyProblem!: string | null;

  @Column({ name: 'key_checked_at', type: 'timestamptz', nullable: true })
  keyCheckedAt!: Date | null;

  @Column({ type: 'jsonb' })
  services!: LtiService[];

  @Column({ type: 'jsonb' })
  compatibility!: CompatibilitySwitch[];

  @Column({ name: 'platform_storage', type: 'boolean' })
  platformStorage!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
