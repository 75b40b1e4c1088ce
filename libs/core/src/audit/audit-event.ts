import { Page, PageRequest } from '../shared/page';

export const AUDIT_ENTITY_TYPES = [
  'organization',
  'user',
  'membership',
  'lti_provider',
  'lti_resource_link',
  'platform_key',
  /** A sign-in counter (an account or a client address) that locked. */
  'sign_in',
] as const;
export type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number];

export type AuditAction = 'create' | 'update' | 'delete' | 'disable' | 'enable' | 'rotate' | 'lock';

/** A JSON snapshot of what an administrator changed; secrets never appear in it. */
export type AuditSnapshot = Readonly<Record<string, unknown>>;

export interface AuditEntry {
  readonly actorUserId: string | null;
  /** The organization that owns the changed thing; null for platform-wide changes (keys, sign-in lockouts). */
  readonly organizationId: string | null;
  readonly entityType: AuditEntityType;
  readonly entityId: string;
  readonly action: AuditAction;
  readonly before: AuditSnapshot | null;
  readonly after: AuditSnapshot | null;
}

export interface AuditEvent extends AuditEntry {
  readonly id: string;
  readonly actorName: string | null;
  readonly occurredAt: Date;
}

export interface AuditListQuery extends PageRequest {
  readonly organizationIds: readonly string[];
  /** Platform administrators also see platform-wide events (organization null). */
  readonly includePlatform: boolean;
  readonly entityType?: AuditEntityType;
  readonly entityId?: string;
}

/** Port: the append-only audit log. */
export abstract class AuditLog {
  abstract record(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  abstract list(query: AuditListQuery): Promise<Page<AuditEvent>>;
}
