import { DomainError } from '../errors/domain-error';

export interface ScopedOrganization {
  readonly id: string;
  readonly parentId: string | null;
}

/**
 * The organizations a site admin manages: those they administer and every descendant.
 * Anything outside answers "not found", so a tenant cannot even learn that it exists.
 */
export class AdminScope {
  private readonly ids: ReadonlySet<string>;
  /** Managed organizations whose parent is not managed: where the admin's ground starts. */
  readonly topOrganizationIds: readonly string[];

  /**
   * Administers a root of the tree: may act on what belongs to the whole platform (the platform's
   * signing keys, platform-wide audit entries).
   */
  readonly isPlatformAdmin: boolean;

  constructor(organizations: readonly ScopedOrganization[]) {
    this.ids = new Set(organizations.map((o) => o.id));
    const tops = organizations.filter((o) => !this.manages(o.parentId));
    this.topOrganizationIds = tops.map((o) => o.id);
    this.isPlatformAdmin = tops.some((o) => o.parentId === null);
  }

  /** Throws `forbidden` unless the admin administers a root organization. */
  requirePlatformAdmin(): void {
    if (!this.isPlatformAdmin) {
      throw new DomainError('forbidden', 'Only administrators of a top-level organization can do this');
    }
  }

  get organizationIds(): string[] {
    return [...this.ids];
  }

  manages(organizationId: string | null | undefined): boolean {
    return organizationId != null && this.ids.has(organizationId);
  }

  /** Throws `not_found` for an organization outside the scope. */
  require(organizationId: string | null | undefined, what = 'Organization'): void {
    if (!this.manages(organizationId)) throw DomainError.notFound(what);
  }

  /** `requested` when managed; when absent, the only top organization. Otherwise a field error on `field`. */
  chooseOrganization(requested: string | null | undefined, field: string): string {
    if (requested == null) {
      if (this.topOrganizationIds.length !== 1) throw DomainError.invalidField(field, `${field} is required`);
      return this.topOrganizationIds[0];
    }
    if (!this.manages(requested)) throw DomainError.invalidField(field, 'Choose an organization you manage');
    return requested;
  }
}

/** Who is acting. Always taken from the authenticated context, never from a request body. */
export interface Principal {
  readonly userId: string;
}
