import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { LtiProviderEntity } from './lti-provider.entity';

/**
 * Values a tool may use once, per tool, kept until they expire: LTI 1.1 OAuth nonces, and the `jti`
 * of LTI 1.3 client assertions and `nonce` of Deep Linking responses (prefixed `jti:` and `dl:`).
 */
@Entity('oauth_nonces')
export class UsedNonceEntity {
  @PrimaryColumn({ name: 'provider_id', type: 'uuid' }) providerId!: string;
  @ManyToOne(() => LtiProviderEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'provider_id' })
  provider?: LtiProviderEntity;

  @PrimaryColumn({ type: 'varchar', length: 255 }) nonce!: string;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt!: Date;
}
