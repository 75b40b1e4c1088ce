import { Injectable } from '@nestjs/common';
import { AccessService } from '../access/access.service';
import { Principal } from '../access/admin-scope';
import { Page, PageRequest } from '../shared/page';
import { AuditEntityType, AuditEvent, AuditLog } from './audit-event';

@Injectable()
export class AuditService {
  constructor(
    private readonly log: AuditLog,
    private readonly access: AccessService,
  ) {}

  /** What a site admin may read: changes in the organizations they manage (and platform changes for platform admins). */
  async list(
    principal: Principal,
    query: PageRequest & { organizationId?: string; entityType?: AuditEntityType; entityId?: string },
  ): Promise<Page<AuditEvent>> {
    const scope = await this.access.adminScope(principal);
    if (query.organizationId !== undefined) scope.require(query.organizationId);
    return this.log.list({
      ...query,
      organizationIds: query.organizationId !== undefined ? [query.organizationId] : scope.organizationIds,
      includePlatform: query.organizationId === undefined && scope.isPlatformAdmin,
    });
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
