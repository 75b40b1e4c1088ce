/**
 * Port: one database transaction around several repository calls (a change and its audit entry
 * commit together or not at all). Nested calls join the outer transaction.
 */
export abstract class UnitOfWork {
  abstract run<T>(work: () => Promise<T>): Promise<T>;
}
