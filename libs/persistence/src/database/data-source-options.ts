import { MIGRATIONS } from '@tms/migrations';
import { DataSourceOptions } from 'typeorm';
import { ENTITIES } from '../entities';

export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each',
    // The schema changes only through migrations, in tests too.
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto',
    // A server that does not answer (a network cut, a full pool behind a stuck query) fails a request
    // after 10 s as unavailable (503) instead of holding it until the client gives up.
    extra: { max: poolSize, connectionTimeoutMillis: 10_000 },
  };
}
