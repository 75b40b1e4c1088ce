import type { LineItemTemplate } from '@tms/lti';
import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { CatalogStatus } from '@tms/core';
import type { CustomParameter } from '@tms/lti';
import { LtiProviderEntity } from './lti-provider.entity';
import { numericColumn } from './numeric.transformer';
import { OrganizationEntity } from './organization.entity';

@Entity('lti_resource_links')
export class LtiResourceLinkEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id' })
  organization?: OrganizationEntity;

  @Column({ name: 'provider_id', type: 'uuid' })
  providerId!: string;

  @ManyToOne(() => LtiProviderEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'provider_id' })
  provider?: LtiProviderEntity;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 2048 })
  url!: string;

  @Column({ name: 'custom_parameters', type: 'jsonb' })
  customParameters!: CustomParameter[];

  @Column({ name: 'requires_score_for_completion', type: 'boolean' })
  requiresScoreForCompletion!: boolean;

  @Column({
    name: 'passing_score',
    type: 'numeric',
    precision: 5,
    scale: 2,
    nullable: true,
    transformer: numericColumn,
  })
  passingScore!: number | null;

  @Column({ name: 'line_item', type: 'jsonb', nullable: true })
  lineItem!: LineItemTemplate | null;

  @Column({ type: 'varchar', length: 16 })
  status!: CatalogStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
