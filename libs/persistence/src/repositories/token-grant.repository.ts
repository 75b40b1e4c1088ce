import { Injectable } from '@nestjs/common';
import { TokenGrant, TokenGrantOutcome, TokenGrantRepository } from '@tms/core';
import { TransactionContext } from '../database/transaction-context';
import { toolJwtKey } from './used-nonces.repository';

/**
 * A token request in one statement: the tool still active as LTI 1.3 with the client_id, key (PEM or
 * JWKS URL) and services the request was verified and granted with — a tool kept in a process's
 * cache may have been disabled, given a new key or fewer services elsewhere; then nothing is
 * written — its assertion's jti consumed once (the primary key decides across processes, RFC 7523
 * §3), and with it, when a scope is granted, the token's hash.
 *
 * $1 provider, $2 client_id, $3 PEM, $4 JWKS URL, $5 services (jsonb), $6 jti key, $7 jti expiry,
 * $8 token hash, $9 scopes, $10 token expiry.
 */
const GRANT = `
  WITH tool AS (
    SELECT id FROM lti_providers
     WHERE id = $1 AND lti_version = '1.3' AND status = 'active' AND client_id = $2
       AND public_key_pem IS NOT DISTINCT FROM $3::text AND jwks_url IS NOT DISTINCT FROM $4::text
       AND services = $5::jsonb
  ),
  jti AS (
    INSERT INTO oauth_nonces (provider_id, nonce, expires_at)
    SELECT id, $6, $7 FROM tool
    ON CONFLICT (provider_id, nonce) DO NOTHING
    RETURNING provider_id
  ),
  token AS (
    INSERT INTO lti1p3_access_tokens (token_hash, provider_id, scopes, expires_at)
    SELECT $8, provider_id, $9::text[], $10 FROM jti WHERE cardinality($9::text[]) > 0
    RETURNING id
  )
  SELECT EXISTS (SELECT 1 FROM tool) AS current, EXISTS (SELECT 1 FROM jti) AS consumed`;

@Injectable()
export class SqlTokenGrantRepository extends TokenGrantRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  async grant(grant: TokenGrant): Promise<TokenGrantOutcome> {
    const { lti1p3 } = grant.client;
    const [row] = await this.tx.prepared<{ current: boolean; consumed: boolean }>(GRANT, [
      grant.client.id,
      lti1p3.clientId,
      lti1p3.publicKeyPem,
      lti1p3.jwksUrl,
      JSON.stringify(lti1p3.services),
      toolJwtKey('client_assertion', grant.jti),
      grant.jtiExpiresAt,
      grant.tokenHash,
      [...grant.scopes],
      grant.expiresAt,
    ]);
    if (!row?.current) return 'client_changed';
    return row.consumed ? 'granted' : 'jti_used';
  }
}
