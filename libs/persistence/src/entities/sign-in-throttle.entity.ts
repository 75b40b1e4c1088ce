import { Column, Entity, Generated, PrimaryColumn } from 'typeorm';
import type { ThrottleScope } from '@tms/core';

/** A sign-in counter: an account (the email as typed) or a client address. See the repository for how it counts. */
@Entity('sign_in_throttles')
export class SignInThrottleEntity {
  @Column({ type: 'uuid', unique: true })
  @Generated('uuid')
  id!: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  scope!: ThrottleScope;

  @PrimaryColumn({ type: 'varchar', length: 320 })
  key!: string;

  /** Attempts counted since the last success (or since failures were last forgotten). */
  @Column({ type: 'integer' })
  failures!: number;

  /** Attempts are refused until then; null while no lockout was started. */
  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  /** When the failures are forgotten (and the row may be deleted). */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
