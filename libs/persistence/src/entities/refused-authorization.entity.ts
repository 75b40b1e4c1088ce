import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { LtiProviderEntity } from './lti-provider.entity';

@Entity('lti1p3_refused_authorizations')
export class RefusedAuthorizationEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'provider_id', type: 'uuid', nullable: true }) providerId!: string | null;
  @ManyToOne(() => LtiProviderEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'provider_id' })
  provider?: LtiProviderEntity;
  @Column({ name: 'client_id', type: 'varchar', length: 255, nullable: true }) clientId!: string | null;
  @Column({ type: 'varchar', length: 64 }) error!: string;
  @Column({ type: 'varchar', length: 500 }) description!: string;
  @Column({ type: 'jsonb' }) parameters!: Record<string, string>;
  @Column({ name: 'redirect_uri', type: 'varchar', length: 2048, nullable: true }) redirectUri!: string | null;
  @Column({ name: 'registered_redirect_uris', type: 'text', array: true }) registeredRedirectUris!: string[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
