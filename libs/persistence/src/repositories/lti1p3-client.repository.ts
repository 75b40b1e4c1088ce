import { Injectable } from '@nestjs/common';
import { Lti1p3ClientRepository, VersionedProvider } from '@tms/core';
import { TransactionContext } from '../database/transaction-context';
import { LtiProviderEntity } from '../entities';
import { entityFromJson } from './json-entity';
import { toProvider } from './lti-provider.repository';

/**
 * The version of a provider row (`lti_providers` aliased `p`): the digest of the whole row, so any
 * change of any column (status, key, redirect URIs, services…) gives another. A statement acting on a
 * provider a process keeps compares it with the version read.
 */
export const PROVIDER_VERSION = `md5(to_jsonb(p)::text)`;

/**
 * The provider of a client_id with its availability and version, in one prepared statement of plain
 * SQL: the token and authorization endpoints read it when their process does not keep the tool (the
 * ORM's query builder cost more CPU than the statement).
 */
const FIND = `
  SELECT to_jsonb(p) - 'shared_secret_sealed' AS provider, ${PROVIDER_VERSION} AS version,
         ARRAY(SELECT pa.organization_id::text FROM lti_provider_availability pa
                WHERE pa.provider_id = p.id ORDER BY pa.organization_id) AS availability
    FROM lti_providers p
   WHERE p.client_id = $1
   LIMIT 1`;

@Injectable()
export class SqlLti1p3ClientRepository extends Lti1p3ClientRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  async findByClientId(clientId: string): Promise<VersionedProvider | null> {
    const [row] = await this.tx.prepared<{
      provider: Record<string, unknown>;
      version: string;
      availability: string[];
    }>(FIND, [clientId]);
    if (!row) return null;
    const entity = entityFromJson(this.tx.manager, LtiProviderEntity, row.provider);
    return { provider: toProvider(entity, row.availability), version: row.version };
  }
}
