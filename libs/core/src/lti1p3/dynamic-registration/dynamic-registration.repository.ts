import type { ToolRegistrationRequest } from '@tms/lti';
import type { TenantScope } from '../../access/tenant-scope';
import { Page, PageRequest } from '../../shared/page';
import { DynamicRegistration, RegistrationStatus } from './dynamic-registration';

export interface NewDynamicRegistration {
  readonly id: string;
  readonly organizationId: string;
  readonly initiationUrl: string;
  /** SHA-256 of the registration token: the token itself is never stored. */
  readonly tokenHash: string;
  readonly tokenExpiresAt: Date;
  readonly startedBy: string;
}

export interface RegisteredTool {
  readonly clientId: string;
  readonly deploymentId: string;
  readonly request: ToolRegistrationRequest;
  readonly providerId: string | null;
}

/** Port: dynamic registrations. The scoped methods see registrations of organizations the scope covers. */
export abstract class DynamicRegistrationRepository {
  abstract create(scope: TenantScope, record: NewDynamicRegistration): Promise<DynamicRegistration>;
  /** Unscoped (the token is the tool's credential): a started registration whose token is unused and unexpired. */
  abstract findByUsableToken(tokenHash: string, now: Date): Promise<DynamicRegistration | null>;
  /** Marks the token used; false when another request used it first (single use). */
  abstract useToken(id: string, now: Date): Promise<boolean>;
  /** Unscoped: the registration of this organization the same tool (by login URI) made before, pending or approved. */
  abstract findEarlier(
    organizationId: string,
    initiateLoginUri: string,
    exceptId: string,
  ): Promise<DynamicRegistration | null>;
  abstract saveRegistered(id: string, tool: RegisteredTool): Promise<void>;
  /** A started registration that a tool's second registration was folded into: closed as used. */
  abstract delete(id: string): Promise<void>;
  abstract findVisible(scope: TenantScope, id: string): Promise<DynamicRegistration | null>;
  abstract list(
    scope: TenantScope,
    query: PageRequest & { status?: RegistrationStatus },
  ): Promise<Page<DynamicRegistration>>;
  abstract decide(id: string, status: 'approved' | 'rejected', providerId: string | null): Promise<void>;
  /**
   * Unscoped, for the janitor: deletes up to `limit` registrations the tool never completed (still
   * `started`) whose token expired before `before`; how many went. Safe in every process at once.
   */
  abstract deleteNeverCompleted(before: Date, limit: number): Promise<number>;
}
