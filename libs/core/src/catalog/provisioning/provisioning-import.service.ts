import { Injectable } from '@nestjs/common';
import { Principal } from '../../access/principal';
import { DomainError } from '../../errors/domain-error';
import { FieldProblems } from '../../errors/field-problems';
import { OrganizationRepository } from '../../organizations/organization.repository';
import { isUuid } from '../../shared/uuid';
import { CatalogAccess } from '../catalog-access';
import { LtiProvider } from '../lti-provider';
import { LtiProviderRepository } from '../lti-provider.repository';
import { LtiProvidersService } from '../lti-providers.service';
import { LtiResourceLinkRepository, NamedResourceLink } from '../lti-resource-link.repository';
import { LtiResourceLinksService } from '../lti-resource-links.service';
import { ProviderSupport, sharedSecretContext } from '../provider-support';
import { linkChanges, readLinkRow } from './link-rows';
import { isMaskedSecret, providerChanges, readProviderRow } from './provider-rows';
import { OrganizationDirectory, unknownOrganization } from './provisioning-organizations';
import {
  ProgressListener,
  ProvisioningOutcome,
  ProvisioningProblem,
  ProvisioningReport,
  reportOf,
} from './provisioning-report';
import {
  MAX_PROVISIONING_ROWS,
  ORGANIZATION_LIST_SEPARATOR,
  PROVISIONING_KINDS,
  ProvisioningColumn,
  ProvisioningRow,
  RowReader,
} from './provisioning-row';

/** The service fields a problem may name, in the file's column names. */
const COLUMN_OF_FIELD: Record<string, ProvisioningColumn> = {
  organizationId: 'organization',
  availableOrganizationIds: 'availableOrganizations',
  providerId: 'provider',
};

/** Thrown inside the transaction to roll it back (a dry run, or a file with bad rows). */
class RollBack extends Error {}

/** The catalog as the import goes: what the admin owns, with what earlier rows created or changed. */
class OwnedCatalog {
  readonly providers = new Map<string, LtiProvider>();
  readonly links = new Map<string, NamedResourceLink>();
  /** Row keys already seen in this file, with their line. */
  readonly lines = new Map<string, number>();

  constructor(providers: readonly LtiProvider[], links: readonly NamedResourceLink[]) {
    for (const provider of providers) this.providers.set(entryKey(provider.organizationId, provider.name), provider);
    for (const link of links) this.links.set(entryKey(link.organizationId, link.name), link);
  }
}

const entryKey = (organizationId: string, name: string) => `${organizationId}\n${name.toLowerCase()}`;

/**
 * Bulk provisioning (issue 17): every row of a file is checked and applied in ONE transaction,
 * each under its own savepoint, so that one pass finds every bad row (with the real services'
 * checks, and seeing the providers that earlier rows create); any bad row, or a dry run, rolls the
 * whole transaction back: the file applies entirely or not at all.
 */
@Injectable()
export class ProvisioningImportService {
  constructor(
    private readonly providerService: LtiProvidersService,
    private readonly linkService: LtiResourceLinksService,
    private readonly providers: LtiProviderRepository,
    private readonly links: LtiResourceLinkRepository,
    private readonly organizations: OrganizationRepository,
    private readonly catalog: CatalogAccess,
    private readonly support: ProviderSupport,
  ) {}

  async import(
    principal: Principal,
    rows: readonly ProvisioningRow[],
    options: { dryRun: boolean; onProgress?: ProgressListener },
  ): Promise<ProvisioningReport> {
    if (rows.length === 0) throw DomainError.invalidField('file', 'The file has no rows to import');
    if (rows.length > MAX_PROVISIONING_ROWS) {
      throw DomainError.invalidField('file', `A file may hold at most ${MAX_PROVISIONING_ROWS} rows; split it`);
    }
    const scope = await this.catalog.scopeOf(principal);
    const directory = new OrganizationDirectory(await this.organizations.listInScope(scope));
    // Providers first, whatever the order of the file: links may name a provider the file creates.
    const ordered = [...rows].sort((a, b) => rank(a) - rank(b));
    const problems: ProvisioningProblem[] = [];
    const outcomes: ProvisioningOutcome[] = [];
    try {
      await this.support.uow.run(async () => {
        const owned = new OwnedCatalog(await this.providers.listOwned(scope), await this.links.listOwned(scope));
        for (const [index, row] of ordered.entries()) {
          try {
            outcomes.push(await this.support.uow.attempt(() => this.apply(principal, directory, owned, row)));
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            problems.push(...problemsOf(row.line, error));
          }
          await options.onProgress?.(index + 1, ordered.length);
        }
        if (problems.length > 0 || options.dryRun) throw new RollBack();
      });
    } catch (error) {
      if (!(error instanceof RollBack)) throw error;
    }
    if (problems.length > 0) throw refusal(problems);
    return reportOf(options.dryRun, outcomes);
  }

  private async apply(
    principal: Principal,
    directory: OrganizationDirectory,
    owned: OwnedCatalog,
    row: ProvisioningRow,
  ): Promise<ProvisioningOutcome> {
    const problems = new FieldProblems();
    const reader = new RowReader(row.values, problems);
    const kind = reader.text('kind');
    if (kind === 'provider') return this.applyProvider(principal, directory, owned, row, reader);
    if (kind === 'resource_link') return this.applyLink(principal, directory, owned, row, reader);
    throw DomainError.invalidField('kind', `kind must be ${PROVISIONING_KINDS.join(' or ')}`);
  }

  private async applyProvider(
    principal: Principal,
    directory: OrganizationDirectory,
    owned: OwnedCatalog,
    row: ProvisioningRow,
    reader: RowReader,
  ): Promise<ProvisioningOutcome> {
    const input = readProviderRow(reader);
    const { organizationId, availability } = this.placement(reader, directory);
    const name = this.identity(reader, owned, 'provider', organizationId, row.line);
    const existing = owned.providers.get(entryKey(organizationId, name));
    const masked = isMaskedSecret(input.sharedSecret);
    if (!existing && masked) {
      reader.problems.add('sharedSecret', 'sharedSecret is masked; give the secret itself for a new provider');
    }
    reader.problems.throwIfAny();
    const desired = { ...input, sharedSecret: masked ? undefined : input.sharedSecret };
    const outcome = { line: row.line, kind: 'provider' as const, name };
    if (!existing) {
      const created = await this.providerService.create(principal, {
        ...desired,
        organizationId,
        availableOrganizationIds: availability,
      });
      owned.providers.set(entryKey(organizationId, name), created);
      return { ...outcome, action: 'create' };
    }
    const changes = providerChanges(
      existing,
      { ...desired, availableOrganizationIds: availability },
      existing.availableOrganizationIds.filter((id) => directory.covers(id)),
      await this.isStoredSecret(existing, desired.sharedSecret),
    );
    if (Object.keys(changes).length === 0) return { ...outcome, action: 'unchanged' };
    owned.providers.set(
      entryKey(organizationId, name),
      await this.providerService.update(principal, existing.id, changes),
    );
    return { ...outcome, action: 'update' };
  }

  private async applyLink(
    principal: Principal,
    directory: OrganizationDirectory,
    owned: OwnedCatalog,
    row: ProvisioningRow,
    reader: RowReader,
  ): Promise<ProvisioningOutcome> {
    const input = readLinkRow(reader);
    const { organizationId, availability } = this.placement(reader, directory);
    const name = this.identity(reader, owned, 'resource_link', organizationId, row.line);
    const providerId = this.providerOf(reader, directory, owned, organizationId);
    reader.problems.throwIfAny();
    const desired = { ...input, providerId, availableOrganizationIds: availability };
    const existing = owned.links.get(entryKey(organizationId, name));
    const outcome = { line: row.line, kind: 'resource_link' as const, name };
    if (!existing) {
      const created = await this.linkService.create(principal, { ...desired, organizationId });
      owned.links.set(entryKey(organizationId, name), created);
      return { ...outcome, action: 'create' };
    }
    const covered = existing.availableOrganizationIds.filter((id) => directory.covers(id));
    const changes = linkChanges(existing, desired, covered);
    if (Object.keys(changes).length === 0) return { ...outcome, action: 'unchanged' };
    const updated = await this.linkService.update(principal, existing.id, changes);
    owned.links.set(entryKey(organizationId, name), updated);
    return { ...outcome, action: 'update' };
  }

  /** The owning organization (required) and the availability (default: the owning organization). */
  private placement(reader: RowReader, directory: OrganizationDirectory) {
    const reference = reader.text('organization', 2000);
    let organizationId = '';
    if (!reference) reader.problems.add('organization', 'organization is required (its id or path)');
    else organizationId = directory.resolve(reference) ?? '';
    if (reference && !organizationId)
      reader.problems.add('organization', unknownOrganization('organization', reference));
    const listed = (reader.text('availableOrganizations', 100_000) ?? '')
      .split(ORGANIZATION_LIST_SEPARATOR)
      .map((item) => item.trim())
      .filter((item) => item !== '');
    const availability: string[] = [];
    for (const item of listed) {
      const id = directory.resolve(item);
      if (id) availability.push(id);
      else reader.problems.add('availableOrganizations', unknownOrganization('availableOrganizations', item));
    }
    return { organizationId, availability: listed.length > 0 ? [...new Set(availability)] : [organizationId] };
  }

  /** The row's name, required and not repeated for the same kind and organization in this file. */
  private identity(reader: RowReader, owned: OwnedCatalog, kind: string, organizationId: string, line: number) {
    const name = reader.text('name', 200) ?? '';
    if (!name) reader.problems.add('name', 'name is required');
    const key = `${kind}\n${entryKey(organizationId, name)}`;
    const earlier = owned.lines.get(key);
    if (name && organizationId && earlier !== undefined) {
      reader.problems.add(
        'name',
        `name “${name}” is already on line ${earlier} of this file for the same organization`,
      );
    } else if (name && organizationId) owned.lines.set(key, line);
    return name;
  }

  /** A link's provider: its id, or its name in `providerOrganization` (default: the link's organization). */
  private providerOf(
    reader: RowReader,
    directory: OrganizationDirectory,
    owned: OwnedCatalog,
    organizationId: string,
  ): string | undefined {
    const reference = reader.text('provider', 200);
    if (!reference) {
      reader.problems.add('provider', 'provider is required (its name, or its id)');
      return undefined;
    }
    if (isUuid(reference)) return reference.toLowerCase();
    const organizationReference = reader.text('providerOrganization', 2000);
    const providerOrganizationId = organizationReference ? directory.resolve(organizationReference) : organizationId;
    if (organizationReference && !providerOrganizationId) {
      reader.problems.add('providerOrganization', unknownOrganization('providerOrganization', organizationReference));
      return undefined;
    }
    const provider = providerOrganizationId && owned.providers.get(entryKey(providerOrganizationId, reference));
    if (provider) return provider.id;
    if (providerOrganizationId) {
      const where = directory.pathOf(providerOrganizationId) ?? providerOrganizationId;
      reader.problems.add(
        'provider',
        `provider “${reference}” is not a provider of ${where} (in this file or the catalog)`,
      );
    }
    return undefined;
  }

  /** Whether a clear secret of the file is the one the provider has (then it changes nothing). */
  private async isStoredSecret(provider: LtiProvider, secret: string | undefined): Promise<boolean> {
    if (secret === undefined || provider.ltiVersion !== '1.1') return false;
    const sealed = await this.providers.findSealedSecret(provider.id);
    return sealed !== null && this.support.secrets.open(sealed, sharedSecretContext(provider.id)) === secret;
  }
}

function rank(row: ProvisioningRow): number {
  return row.values.kind?.trim() === 'provider' ? 0 : 1;
}

/** A row's refusal as problems of its line, named by the file's columns. */
function problemsOf(line: number, error: DomainError): ProvisioningProblem[] {
  if (error.fields.length === 0) {
    const field = error.code === 'not_found' || error.code === 'forbidden' ? 'organization' : 'name';
    return [{ line, field, message: error.message }];
  }
  return error.fields.map((problem) => ({
    line,
    field: COLUMN_OF_FIELD[problem.field] ?? problem.field,
    message: problem.message,
  }));
}

function refusal(problems: readonly ProvisioningProblem[]): DomainError {
  const lines = new Set(problems.map((problem) => problem.line)).size;
  const sorted = [...problems].sort((a, b) => a.line - b.line);
  return new DomainError(
    'validation_failed',
    `${lines} ${lines === 1 ? 'row has' : 'rows have'} problems; nothing was written. Fix them and import the file again.`,
    sorted,
  );
}
