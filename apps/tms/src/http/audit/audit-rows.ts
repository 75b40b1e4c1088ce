import { AuditEntityType, AuditEvent } from '@tms/core';
import { labelOf } from '../shared/field-words';

/** One changed field of an audit event, values as compact JSON (the template escapes them). */
export interface AuditChange {
  readonly field: string;
  /** The field as the forms call it (`availableOrganizationIds` → "Availability"). */
  readonly label: string;
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
  /** Its name, when known (ids on hover). */
  readonly entityName: string | null;
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
  grade: 'Grade',
};

const PAGES: Partial<Record<AuditEntityType, (id: string) => string>> = {
  organization: (id) => `/admin/organizations/${id}`,
  user: (id) => `/admin/people/${id}`,
  lti_provider: (id) => `/admin/lti/providers/${id}`,
  lti_resource_link: (id) => `/admin/lti/resource-links/${id}`,
  platform_key: () => '/admin/lti/platform-keys',
};

const MAX_VALUE_LENGTH = 120;

/** A value as compact JSON, known ids replaced by their names. */
export function compactJson(value: unknown, names: ReadonlyMap<string, string> = new Map()): string {
  const named = (_: string, v: unknown) => (typeof v === 'string' && names.has(v) ? names.get(v) : v);
  const text = value === undefined ? '—' : (JSON.stringify(value, named) ?? String(value));
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text;
}

/** Fields in first-seen order: updates hold only what changed, creations and deletions the whole snapshot. */
export function changesOf(
  event: Pick<AuditEvent, 'before' | 'after'>,
  names: ReadonlyMap<string, string> = new Map(),
): AuditChange[] {
  const before = event.before ?? {};
  const after = event.after ?? {};
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return fields.map((field) => ({
    field,
    label: labelOf(field),
    ...(event.before ? { before: compactJson(before[field], names) } : {}),
    ...(event.after ? { after: compactJson(after[field], names) } : {}),
  }));
}

export function toAuditRow(event: AuditEvent, names: ReadonlyMap<string, string> = new Map()): AuditRow {
  const page = PAGES[event.entityType];
  return {
    occurredAt: event.occurredAt.toISOString(),
    actorName: event.actorName,
    organizationId: event.organizationId,
    entityType: event.entityType,
    entityLabel: ENTITY_LABELS[event.entityType] ?? event.entityType,
    entityId: event.entityId,
    entityName: names.get(event.entityId) ?? null,
    href: page && event.action !== 'delete' ? page(event.entityId) : null,
    action: event.action,
    changes: changesOf(event, names),
  };
}
