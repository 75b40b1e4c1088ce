import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@tms/core';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Pool, PoolClient } from 'pg';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral, QueryFailedError, Repository } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * The unit of work behind core's port: `run` opens a transaction and every repository call made
 * inside it (however deep) uses that transaction's EntityManager, found through AsyncLocalStorage.
 * Outside `run`, repositories work on the pool as usual.
 */
@Injectable()
export class TransactionContext extends UnitOfWork {
  private readonly storage = new AsyncLocalStorage<EntityManager>();

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.storage.getStore()) return work();
    return this.dataSource.transaction((manager) => this.storage.run(manager, work));
  }

  async attempt<T>(work: () => Promise<T>): Promise<T> {
    const manager = this.storage.getStore();
    if (!manager) return this.run(work);
    // One name reused: SAVEPOINT of an existing name shadows it, RELEASE / ROLLBACK TO take the newest.
    await manager.query('SAVEPOINT attempt');
    try {
      const result = await work();
      await manager.query('RELEASE SAVEPOINT attempt');
      return result;
    } catch (error) {
      await manager.query('ROLLBACK TO SAVEPOINT attempt');
      await manager.query('RELEASE SAVEPOINT attempt');
      throw error;
    }
  }

  get manager(): EntityManager {
    return this.storage.getStore() ?? this.dataSource.manager;
  }

  repository<E extends ObjectLiteral>(entity: EntityTarget<E>): Repository<E> {
    return this.manager.getRepository(entity);
  }

  /** A raw query in the current transaction, if any. */
  query<R = unknown>(sql: string, parameters: unknown[] = []): Promise<R[]> {
    return this.manager.query(sql, parameters);
  }

  /**
   * A hot statement of fixed text (a launch's, a score's) as a named prepared statement, in the
   * current transaction if any: PostgreSQL parses and plans it once per connection instead of on
   * every request, and those statements' planning was the server's main cost per request. Named by
   * a hash of the text, so one name never stands for two texts. Errors are TypeORM's, as `query`'s.
   */
  async prepared<R = unknown>(sql: string, parameters: unknown[] = []): Promise<R[]> {
    const query = { name: statementName(sql), text: sql, values: parameters };
    const inTransaction = this.manager.queryRunner;
    try {
      // Outside a transaction the pool runs it on any connection (pg prepares it there once): no query runner is needed.
      const result = inTransaction
        ? await ((await inTransaction.connect()) as PoolClient).query<R & object>(query)
        : await this.pool.query<R & object>(query);
      return result.rows;
    } catch (error) {
      throw error instanceof Error && 'code' in error && !(error instanceof QueryFailedError)
        ? new QueryFailedError(sql, parameters, error)
        : error;
    }
  }

  private get pool(): Pool {
    return (this.dataSource.driver as PostgresDriver).master as Pool;
  }
}

/** Statement texts are few and fixed: each one's name is worked out once. */
const statementNames = new LRUCache<string, string>({ max: 1_000 });

function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `tms_${createHash('sha1').update(sql).digest('base64url').slice(0, 20)}`;
    statementNames.set(sql, name);
  }
  return name;
}
