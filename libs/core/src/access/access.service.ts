import { Injectable } from '@nestjs/common';
import { OrganizationRepository } from '../organizations/organization.repository';
import { Role } from '../identity/user';
import { AdminScope, Principal } from './admin-scope';

@Injectable()
export class AccessService {
  constructor(private readonly organizations: OrganizationRepository) {}

  async adminScope(principal: Principal): Promise<AdminScope> {
    return new AdminScope(await this.organizations.findManaged(principal.userId));
  }

  /** The organizations where the user holds one of `roles` (site admins always included), with descendants. */
  async roleScope(principal: Principal, roles: readonly Role[]): Promise<AdminScope> {
    const withAdmin = [...new Set<Role>([...roles, 'site_admin'])];
    return new AdminScope(await this.organizations.findInRoleScope(principal.userId, withAdmin));
  }
}
