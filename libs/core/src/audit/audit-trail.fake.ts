import { AuditEntry, AuditLog } from './audit-log';
import { AuditTrail } from './audit-trail';

/** For unit tests: an AuditTrail without a database; `entries` holds what was recorded. */
export function fakeAuditTrail(): AuditTrail & { entries: AuditEntry[] } {
  const entries: AuditEntry[] = [];
  const log = { record: async (entry: AuditEntry) => void entries.push(entry), list: async () => ({}) as never };
  return Object.assign(new AuditTrail({ run: (work) => work(), attempt: (work) => work() }, log as AuditLog), {
    entries,
  });
}
