import { FieldProblems } from '../../errors/field-problems';
import { lti1p1Provider, lti1p3Provider } from '../../testing/catalog.factories';
import { FIXED_TIME } from '../../testing/fixed-time';
import { providerChanges, providerRow, readProviderRow } from './provider-rows';
import { OrganizationDirectory } from './provisioning-organizations';
import { ProvisioningValues, RowReader } from './provisioning-row';

const ACME = '0a8d3f4e-1b2c-4d5e-8f90-a1b2c3d4e5f6';
const SALES = '1b9e4a5f-2c3d-4e6f-9a01-b2c3d4e5f6a7';
const organizations = new OrganizationDirectory([
  {
    id: ACME,
    name: 'Acme',
    parentId: 'an-organization-the-admin-does-not-manage',
    createdAt: FIXED_TIME,
    updatedAt: FIXED_TIME,
  },
  { id: SALES, name: 'Sales', parentId: ACME, createdAt: FIXED_TIME, updatedAt: FIXED_TIME },
]);

function read(values: ProvisioningValues) {
  const problems = new FieldProblems();
  const input = readProviderRow(new RowReader(values, problems));
  return { input, problems };
}

describe('OrganizationDirectory', () => {
  it('should name organizations by path from the top of the admin’s organizations when it writes them', () => {
    expect(organizations.pathOf(SALES)).toBe('Acme / Sales');
    expect(organizations.pathOf('elsewhere')).toBeUndefined();
  });

  it('should resolve an id or a path whatever its case and spacing when a file names an organization', () => {
    expect(organizations.resolve('acme/SALES')).toBe(SALES);
    expect(organizations.resolve(' Acme /  Sales ')).toBe(SALES);
    expect(organizations.resolve(ACME.toUpperCase())).toBe(ACME);
    expect(organizations.resolve('Sales')).toBeUndefined();
    expect(organizations.resolve('6f1c1f3e-1d2b-4c6a-9a51-2b8f2a1c0d7e')).toBeUndefined();
  });
});

describe('provider rows', () => {
  it('should name every bad cell by its column when a row has several', () => {
    const { problems } = read({
      kind: 'provider',
      ltiVersion: '2.0',
      privacy: 'everything',
      frameWidth: 'wide',
      platformStorage: 'perhaps',
    });

    expect(() => problems.throwIfAny()).toThrow(
      expect.objectContaining({
        fields: [
          { field: 'ltiVersion', message: 'ltiVersion must be one of 1.1, 1.3 (not “2.0”)' },
          { field: 'platformStorage', message: 'platformStorage must be true or false' },
          {
            field: 'privacy',
            message: 'privacy must be one of anonymous, name_only, email_only, public (not “everything”)',
          },
          { field: 'frameWidth', message: 'frameWidth must be a whole number from 100 to 10000' },
        ],
      }),
    );
  });

  it('should change nothing when the row is the provider’s own export', () => {
    for (const provider of [
      lti1p1Provider(
        { organizationId: SALES, availableOrganizationIds: [SALES, ACME] },
        { contentItemUrl: 'https://tool.example/ci' },
      ),
      lti1p3Provider({ organizationId: SALES, availableOrganizationIds: [SALES] }, { services: ['grades', 'roster'] }),
    ]) {
      const { input, problems } = read(providerRow(provider, organizations));
      expect(problems.isEmpty).toBe(true);
      const changes = providerChanges(
        provider,
        {
          ...input,
          availableOrganizationIds: [SALES, ACME].filter((id) => provider.availableOrganizationIds.includes(id)),
        },
        provider.availableOrganizationIds,
        false,
      );
      expect({ name: provider.name, changes }).toEqual({ name: provider.name, changes: {} });
    }
  });

  it('should carry only the fields that differ when a row changes a provider', () => {
    const provider = lti1p3Provider({ organizationId: SALES, availableOrganizationIds: [SALES] });
    const row = {
      ...providerRow(provider, organizations),
      status: 'disabled',
      redirectUris: 'https://tool.example/lti/launch https://tool.example/two',
    };
    const { input } = read(row);

    expect(providerChanges(provider, { ...input, availableOrganizationIds: [SALES] }, [SALES], false)).toEqual({
      status: 'disabled',
      redirectUris: ['https://tool.example/lti/launch', 'https://tool.example/two'],
    });
  });
});
