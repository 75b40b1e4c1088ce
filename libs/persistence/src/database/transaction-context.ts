import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@tms/core';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral, QueryFailedError, Repository } from 'typeorm';

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
    const inTransaction = this.manager.queryRunner;
    const runner = inTransaction ?? this.dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as PoolClient;
      const name = `tms_${createHash('sha1').update(sql).digest('base64url').slice(0, 20)}`;
      const result = await client.query<R & object>({ name, text: sql, values: parameters });
      return result.rows;
    } catch (error) {
      throw error instanceof Error && 'code' in error && !(error instanceof QueryFailedError)
        ? new QueryFailedError(sql, parameters, error)
        : error;
    } finally {
      if (!inTransaction) await runner.release();
    }
  }
}
