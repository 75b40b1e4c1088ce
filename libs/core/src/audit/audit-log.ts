import type { TenantScope } from '../access/tenant-scope';
import { Page, PageRequest } from '../shared/page';

export const AUDIT_ENTITY_TYPES = [
  'organization',
  'user',
  'membership',
  'lti_provider',
  'lti_resource_link',
  /** A tool's Dynamic Registration, from its start to an administrator's decision. */
  'lti_registration',
  'platform_key',
  /** A sign-in counter (an account or a client address) that locked. */
  'sign_in',
  /** An instructor's grade of a learner's activity (the entity is the enrollment). */
  'grade',
] as const;
export type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number];

export type AuditAction =
  | 'create'
  | 'update'
  | 'delete'
  | 'disable'
  | 'enable'
  | 'rotate'
  | 'lock'
  | 'check_key'
  /** A provider's self-test launch, with the tool's answer. */
  | 'test_launch'
  | 'register'
  | 'approve'
  | 'reject';

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
  /** Only this organization's events (checked to be in scope); otherwise every event of the scope. */
  readonly organizationId?: string;
  readonly entityType?: AuditEntityType;
  readonly entityId?: string;
}

/** Port: the append-only audit log. */
export abstract class AuditLog {
  abstract record(entry: AuditEntry): Promise<void>;
  /**
   * Newest first: events of organizations the scope covers, and platform-wide events (organization
   * null) for platform administrators when no organization is asked for.
   */
  abstract list(scope: TenantScope, query: AuditListQuery): Promise<Page<AuditEvent>>;
}
