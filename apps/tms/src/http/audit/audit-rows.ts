import { AuditEntityType, AuditEvent } from '@tms/core';

/** One changed field of an audit event, values as compact JSON (the template escapes them). */
export interface AuditChange {
  readonly field: string;
  readonly before?: string;
  readonly after?: string;
}

export interface AuditRow {
  readonly occurredAt: string;
  readonly actorName: string | null;
  readonly organizationId: string | null;
  readonly entityType: AuditEntityType;
  readonly entityLabel: string;
  readonly entityId: string;
  /** The entity's page, when there is one (and the entity still exists). */
  readonly href: string | null;
  readonly action: string;
  readonly changes: AuditChange[];
}

export const ENTITY_LABELS: Record<AuditEntityType, string> = {
  organization: 'Organization',
  user: 'Person',
  membership: 'Role',
  lti_provider: 'LTI provider',
  lti_resource_link: 'LTI resource link',
  lti_registration: 'LTI tool registration',
  platform_key: 'Platform key',
  sign_in: 'Sign-in lockout',
};

const PAGES: Partial<Record<AuditEntityType, (id: string) => string>> = {
  organization: (id) => `/admin/organizations/${id}`,
  user: (id) => `/admin/people/${id}`,
  lti_provider: (id) => `/admin/lti/providers/${id}`,
  lti_resource_link: (id) => `/admin/lti/resource-links/${id}`,
  platform_key: () => '/admin/lti/platform-keys',
};

const MAX_VALUE_LENGTH = 120;

export function compactJson(value: unknown): string {
  const text = value === undefined ? '—' : (JSON.stringify(value) ?? String(value));
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text;
}

/** Fields in first-seen order: updates hold only what changed, creations and deletions the whole snapshot. */
export function changesOf(event: Pick<AuditEvent, 'before' | 'after'>): AuditChange[] {
  const before = event.before ?? {};
  const after = event.after ?? {};
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return fields.map((field) => ({
    field,
    ...(event.before ? { before: compactJson(before[field]) } : {}),
    ...(event.after ? { after: compactJson(after[field]) } : {}),
  }));
}

export function toAuditRow(event: AuditEvent): AuditRow {
  const page = PAGES[event.entityType];
  return {
    occurredAt: event.occurredAt.toISOString(),
    actorName: event.actorName,
    organizationId: event.organizationId,
    entityType: event.entityType,
    entityLabel: ENTITY_LABELS[event.entityType] ?? event.entityType,
    entityId: event.entityId,
    href: page && event.action !== 'delete' ? page(event.entityId) : null,
    action: event.action,
    changes: changesOf(event),
  };
}
