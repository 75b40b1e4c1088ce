import { Injectable } from '@nestjs/common';
import { OrganizationRepository } from '../organizations/organization.repository';
import { AdminScope, Principal } from './admin-scope';

@Injectable()
export class AccessService {
  constructor(private readonly organizations: OrganizationRepository) {}

  async adminScope(principal: Principal): Promise<AdminScope> {
    return new AdminScope(await this.organizations.findManaged(principal.userId));
  }
}
