import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../shared/unit-of-work';
import { AuditEntry, AuditLog } from './audit-log';

/** A change and its audit entry, committed together or not at all. */
@Injectable()
export class AuditTrail {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly log: AuditLog,
  ) {}

  /** Runs `change`, then records what `describe` makes of its result (nothing when it returns null). */
  async change<T>(change: () => Promise<T>, describe: (result: T) => AuditEntry | null): Promise<T> {
    return this.uow.run(async () => {
      const result = await change();
      const entry = describe(result);
      if (entry) await this.log.record(entry);
      return result;
    });
  }

  /** One more entry, in the transaction of the change under way (if any). */
  record(entry: AuditEntry): Promise<void> {
    return this.log.record(entry);
  }
}
