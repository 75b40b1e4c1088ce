/**
 * Port: one database transaction around several repository calls (a change and its audit entry
 * commit together or not at all). Nested calls join the outer transaction.
 */
export abstract class UnitOfWork {
  abstract run<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Inside a transaction: runs `work` under a savepoint, so that its failure (a unique violation
   * included) undoes only what it wrote and the transaction goes on. Outside one: `run`.
   */
  abstract attempt<T>(work: () => Promise<T>): Promise<T>;
}
