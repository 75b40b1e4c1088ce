import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { SelfTestKind } from '@tms/core';
import { LtiProviderEntity } from './lti-provider.entity';

@Entity('lti_provider_self_tests')
export class SelfTestRunEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'provider_id', type: 'uuid' }) providerId!: string;
  @ManyToOne(() => LtiProviderEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'provider_id' })
  provider?: LtiProviderEntity;
  @Column({ name: 'user_id', type: 'uuid', nullable: true }) userId!: string | null;
  @Column({ type: 'varchar', length: 32 }) kind!: SelfTestKind;
  @Column({ type: 'boolean' }) passed!: boolean;
  @Column({ type: 'varchar', length: 500 }) summary!: string;
  @Column({ type: 'jsonb' }) detail!: Record<string, unknown>;
  @Column({ name: 'launch_id', type: 'uuid', nullable: true }) launchId!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
