import type { Organization } from '../../organizations/organization';
import { isUuid } from '../../shared/uuid';

/** Joins the names of an organization path ("Acme / Sales / East"). */
export const PATH_SEPARATOR = ' / ';

/**
 * The organizations an admin manages, named the way a provisioning file names them: by id, or by
 * the path of names from the top of the admin's organizations down (sibling names are unique,
 * case-insensitively, so a path names one organization). Exports write paths: a file reads the
 * same for the admin who re-imports it, whatever the ids of another installation.
 */
export class OrganizationDirectory {
  private readonly pathById = new Map<string, string>();
  private readonly idByPath = new Map<string, string>();

  constructor(organizations: readonly Organization[]) {
    const byId = new Map(organizations.map((organization) => [organization.id, organization]));
    const pathOf = (organization: Organization): string => {
      const known = this.pathById.get(organization.id);
      if (known !== undefined) return known;
      const parent = organization.parentId ? byId.get(organization.parentId) : undefined;
      const path = parent ? `${pathOf(parent)}${PATH_SEPARATOR}${organization.name}` : organization.name;
      this.pathById.set(organization.id, path);
      return path;
    };
    for (const organization of organizations) this.idByPath.set(pathKey(pathOf(organization)), organization.id);
  }

  /** The id of a managed organization named by id or path, or undefined. */
  resolve(reference: string): string | undefined {
    if (isUuid(reference)) return this.pathById.has(reference.toLowerCase()) ? reference.toLowerCase() : undefined;
    return this.idByPath.get(pathKey(reference));
  }

  /** The path of a managed organization; undefined for one the admin does not manage. */
  pathOf(id: string): string | undefined {
    return this.pathById.get(id);
  }

  covers(id: string): boolean {
    return this.pathById.has(id);
  }
}

function pathKey(path: string): string {
  return path
    .split('/')
    .map((name) => name.trim().toLowerCase())
    .join('/');
}

export function unknownOrganization(column: string, reference: string): string {
  return `${column} “${reference.length > 60 ? `${reference.slice(0, 60)}…` : reference}” is not an organization you manage (give its id or its path, like “Acme${PATH_SEPARATOR}Sales”)`;
}
