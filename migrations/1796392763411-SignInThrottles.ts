import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in counters, one per account (the email as typed, whether or not it exists) and one per
 * client address: failed attempts since the last success, the lockout they started (null: none),
 * and when they are forgotten. Kept here, not in a process, so every instance enforces the same lockouts; the
 * primary key lets one INSERT … ON CONFLICT count an attempt atomically.
 */
export class SignInThrottles1796392763411 implements MigrationInterface {
  name = 'SignInThrottles1796392763411';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sign_in_throttles (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        scope varchar(16) NOT NULL,
        key varchar(320) NOT NULL,
        failures integer NOT NULL,
        locked_until timestamptz NULL,
        expires_at timestamptz NOT NULL,
        CONSTRAINT sign_in_throttles_pk PRIMARY KEY (scope, key),
        CONSTRAINT sign_in_throttles_id_uq UNIQUE (id),
        CONSTRAINT sign_in_throttles_scope_ck CHECK (scope IN ('account', 'address')),
        CONSTRAINT sign_in_throttles_failures_ck CHECK (failures >= 0)
      )`);
    await queryRunner.query(`CREATE INDEX sign_in_throttles_expires_idx ON sign_in_throttles (expires_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE sign_in_throttles`);
  }
}
