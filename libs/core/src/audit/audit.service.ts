import { Injectable } from '@nestjs/common';
import { AccessService } from '../access/access.service';
import { Principal } from '../access/principal';
import { Page, PageRequest } from '../shared/page';
import { AuditEntityType, AuditEvent, AuditLog } from './audit-log';

@Injectable()
export class AuditService {
  constructor(
    private readonly log: AuditLog,
    private readonly access: AccessService,
  ) {}

  /**
   * What a site admin may read: changes in the organizations they manage, and, for platform
   * administrators, platform-wide changes (keys, platform roles) unless one organization is asked for.
   */
  async list(
    principal: Principal,
    query: PageRequest & { organizationId?: string; entityType?: AuditEntityType; entityId?: string },
  ): Promise<Page<AuditEvent>> {
    const scope = await this.access.scope(principal);
    if (query.organizationId !== undefined) await this.access.require(scope, query.organizationId);
    return this.log.list(scope, query);
  }
}

/** Field-by-field difference, for an update entry that shows only what changed. */
export function changedFields(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const out = { before: {} as Record<string, unknown>, after: {} as Record<string, unknown> };
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      out.before[key] = before[key];
      out.after[key] = after[key];
    }
  }
  return out;
}
