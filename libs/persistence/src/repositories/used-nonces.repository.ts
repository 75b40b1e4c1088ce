import { Injectable } from '@nestjs/common';
import { OAuthNonceRepository, ToolJwtIdRepository, ToolJwtUse } from '@tms/core';
import { TransactionContext } from '../database/transaction-context';
import { UsedNonceEntity } from '../entities';

/**
 * A tool's use-once values share one table, `oauth_nonces`, keyed by tool and value; the key's
 * prefix tells the stores apart: none for LTI 1.1 OAuth nonces, `jti:` for client assertions, `dl:`
 * for Deep Linking responses (a provider is of one version, so their values never meet).
 */
const TOOL_JWT_PREFIXES: Readonly<Record<ToolJwtUse, string>> = {
  client_assertion: 'jti:',
  deep_linking_response: 'dl:',
};

/** The `oauth_nonces` key of a tool JWT's id: its use's prefix, within the column's 255 characters. */
export function toolJwtKey(use: ToolJwtUse, id: string): string {
  return `${TOOL_JWT_PREFIXES[use]}${id}`.slice(0, 255);
}
const TOOL_JWT_KEYS = `(nonce LIKE 'jti:%' OR nonce LIKE 'dl:%')`;

/** The primary key decides, atomically across processes: a second insert of the pair inserts nothing. */
async function consumeOnce(tx: TransactionContext, providerId: string, key: string, expiresAt: Date) {
  const rows = await tx.prepared<{ nonce: string }>(
    `INSERT INTO oauth_nonces (provider_id, nonce, expires_at) VALUES ($1, $2, $3)
     ON CONFLICT (provider_id, nonce) DO NOTHING RETURNING nonce`,
    [providerId, key.slice(0, 255), expiresAt],
  );
  return rows.length === 1;
}

async function deleteExpired(tx: TransactionContext, now: Date, keys: string): Promise<number> {
  const result = await tx
    .repository(UsedNonceEntity)
    .createQueryBuilder()
    .delete()
    .where('expires_at < :now', { now })
    .andWhere(keys)
    .execute();
  return result.affected ?? 0;
}

@Injectable()
export class TypeOrmOAuthNonceRepository extends OAuthNonceRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  consume(providerId: string, nonce: string, expiresAt: Date): Promise<boolean> {
    return consumeOnce(this.tx, providerId, nonce, expiresAt);
  }

  deleteExpired(now: Date): Promise<number> {
    return deleteExpired(this.tx, now, `NOT ${TOOL_JWT_KEYS}`);
  }
}

@Injectable()
export class TypeOrmToolJwtIdRepository extends ToolJwtIdRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  consume(providerId: string, use: ToolJwtUse, id: string, expiresAt: Date): Promise<boolean> {
    return consumeOnce(this.tx, providerId, toolJwtKey(use, id), expiresAt);
  }

  deleteExpired(now: Date): Promise<number> {
    return deleteExpired(this.tx, now, TOOL_JWT_KEYS);
  }
}
