import { OrganizationNode } from '@tms/core';
import { FormBody } from '../shared/forms';

/** Hidden inputs that say "this checkbox list was on the form" (an unticked list sends nothing at all). */
export const LIST_MARKERS = {
  availableOrganizationIds: 'availabilityShown',
  services: 'servicesShown',
  compatibility: 'compatibilityShown',
} as const;

/**
 * Maps "marker present, nothing ticked" to an empty list, and removes the markers: the shared DTOs
 * refuse fields they do not know. Without its marker an absent list stays absent (left as it was).
 */
export function withCheckboxLists(body: FormBody): FormBody {
  const out = { ...body };
  for (const [field, marker] of Object.entries(LIST_MARKERS)) {
    if (out[marker] !== undefined && out[field] === undefined) out[field] = [];
    delete out[marker];
  }
  return out;
}

/** What a form may show back: never the shared secret, even the one just typed. */
export function withoutSecret(body: FormBody): FormBody {
  return Object.fromEntries(Object.entries(body).filter(([key]) => key !== 'sharedSecret'));
}

/** A filter or choice as the `choice-select` partial lists it. */
export interface Choice {
  readonly value: string;
  readonly label: string;
  readonly depth?: number;
}

export function choices(values: readonly string[], labels: Record<string, string> = {}): Choice[] {
  return values.map((value) => ({ value, label: labels[value] ?? value }));
}

/** The managed organizations as availability checkboxes (indented by depth). */
export function organizationChoices(tree: readonly OrganizationNode[]): Choice[] {
  return tree.map((o) => ({ value: o.id, label: o.name, depth: o.depth }));
}

export const PRIVACY_LABELS: Record<string, string> = {
  anonymous: 'Anonymous (no name or email)',
  name_only: 'Name only',
  email_only: 'Email only',
  public: 'Name and email',
};

export const USER_ID_SOURCE_LABELS: Record<string, string> = {
  internal: 'Internal id',
  sis_id: 'SIS id',
  login_id: 'Login id',
};

export const PRESENTATION_LABELS: Record<string, string> = { iframe: 'In a frame', window: 'In a new window' };

export const SERVICE_LABELS: Record<string, string> = {
  grades: 'Assignment and Grade Services (scores)',
  roster: 'Names and Role Provisioning (roster)',
  deep_linking: 'Deep Linking (content selection)',
  notices: 'Platform Notification Service (notices)',
};

export const COMPATIBILITY_LABELS: Record<string, string> = {
  ags_plain_json: 'Accept grades (AGS) sent as application/json instead of the AGS media types',
};

export const STATUS_LABELS: Record<string, string> = { active: 'Active', disabled: 'Disabled' };
