import type { ToolRegistrationRequest } from '@tms/lti';

/**
 * LTI Dynamic Registration 1.0 on the platform side: an administrator starts one for an organization
 * (`started`, with a single-use registration token); the tool registers itself (`pending`, a client_id
 * issued); an administrator approves it (`approved`: a provider exists) or rejects it (`rejected`).
 */
export const REGISTRATION_STATUSES = ['started', 'pending', 'approved', 'rejected'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

export interface DynamicRegistration {
  readonly id: string;
  readonly organizationId: string;
  /** The tool's registration initiation URL the administrator entered. */
  readonly initiationUrl: string;
  readonly status: RegistrationStatus;
  readonly tokenExpiresAt: Date;
  /** Issued when the tool registers; the provider keeps them on approval. */
  readonly clientId: string | null;
  readonly deploymentId: string | null;
  /** What the tool asked for, as checked; null until it registers. */
  readonly request: ToolRegistrationRequest | null;
  /** The provider it created or, for a tool that registered again, the one it updates. */
  readonly providerId: string | null;
  readonly startedBy: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** How long a registration token may wait for the tool: the administrator is watching the tool's window. */
export const REGISTRATION_TOKEN_LIFETIME_MS = 15 * 60 * 1000;
