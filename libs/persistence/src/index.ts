export * from './persistence.module';
export * from './database/data-source-options';
export * from './database/migrate';
export * from './database/embedded-database';
export * from './database/database-errors';
