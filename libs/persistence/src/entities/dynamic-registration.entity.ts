import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { RegistrationStatus } from '@tms/core';
import type { ToolRegistrationRequest } from '@tms/lti';

@Entity('lti_dynamic_registrations')
export class DynamicRegistrationEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  @Column({ name: 'initiation_url', type: 'varchar', length: 2048 })
  initiationUrl!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: RegistrationStatus;

  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash!: string;

  @Column({ name: 'token_expires_at', type: 'timestamptz' })
  tokenExpiresAt!: Date;

  @Column({ name: 'token_used_at', type: 'timestamptz', nullable: true })
  tokenUsedAt!: Date | null;

  @Column({ name: 'client_id', type: 'varchar', length: 64, nullable: true })
  clientId!: string | null;

  @Column({ name: 'deployment_id', type: 'varchar', length: 64, nullable: true })
  deploymentId!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  request!: ToolRegistrationRequest | null;

  @Column({ name: 'initiate_login_uri', type: 'varchar', length: 2048, nullable: true })
  initiateLoginUri!: string | null;

  @Column({ name: 'provider_id', type: 'uuid', nullable: true })
  providerId!: string | null;

  @Column({ name: 'started_by', type: 'uuid', nullable: true })
  startedBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
