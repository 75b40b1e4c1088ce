import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@tms/core';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral, Repository } from 'typeorm';

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
}
