import { Injectable } from '@nestjs/common';
import { Principal } from '../../access/principal';
import { OrganizationRepository } from '../../organizations/organization.repository';
import { CatalogAccess } from '../catalog-access';
import { LtiProviderRepository } from '../lti-provider.repository';
import { LtiResourceLinkRepository } from '../lti-resource-link.repository';
import { linkRow } from './link-rows';
import { providerRow } from './provider-rows';
import { OrganizationDirectory } from './provisioning-organizations';
import { ProvisioningValues } from './provisioning-row';

/**
 * The catalog an admin manages (providers and resource links owned by their organizations), as the
 * rows of a provisioning file: importing it again changes nothing. Secrets are masked.
 */
@Injectable()
export class ProvisioningExportService {
  constructor(
    private readonly providers: LtiProviderRepository,
    private readonly links: LtiResourceLinkRepository,
    private readonly organizations: OrganizationRepository,
    private readonly catalog: CatalogAccess,
  ) {}

  async export(principal: Principal): Promise<ProvisioningValues[]> {
    const scope = await this.catalog.scopeOf(principal);
    const directory = new OrganizationDirectory(await this.organizations.listInScope(scope));
    const providers = await this.providers.listOwned(scope);
    const ownerOf = new Map(providers.map((provider) => [provider.id, provider.organizationId]));
    const links = await this.links.listOwned(scope);
    return [
      ...providers.map((provider) => providerRow(provider, directory)),
      ...links.map((link) => linkRow(link, ownerOf.get(link.providerId), directory)),
    ];
  }
}
