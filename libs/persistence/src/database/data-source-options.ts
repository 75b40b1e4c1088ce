import { MIGRATIONS } from '@tms/migrations';
import { DataSourceOptions } from 'typeorm';
import { ENTITIES } from '../entities';
import { APP_TYPE_PARSERS } from './timestamp-parser';

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
    //
    // No parallel workers: every statement here serves one request and reads a page or a row, and a
    // Gather waits for its workers to start — on two busy cores a 1,000-learner roster waited 90 ms
    // for its first row (auto_explain of bench:scale), ten times the whole query without one.
    //
    // Times are parsed by `parseTimestamptz` (timestamp-parser.ts), which reads the usual form faster.
    extra: {
      max: poolSize,
      connectionTimeoutMillis: 10_000,
      options: '-c max_parallel_workers_per_gather=0',
      types: APP_TYPE_PARSERS,
    },
  };
}
