import { isAvailableIn, whyUnavailable } from './catalog-access';

/** root ─ a ─ a1 ; root ─ b */
const lineage = { a1: ['a1', 'a', 'root'], b: ['b', 'root'], root: ['root'] };
const active = (availableOrganizationIds: string[]) => ({ status: 'active' as const, availableOrganizationIds });

describe('catalog availability', () => {
  it('should reach sub-organizations when an entry is available to their ancestor', () => {
    expect(isAvailableIn(['a'], lineage.a1)).toBe(true);
    expect(isAvailableIn(['a'], lineage.b)).toBe(false);
    expect(isAvailableIn(['a'], lineage.root)).toBe(false);
    expect(isAvailableIn([], lineage.a1)).toBe(false);
  });

  it('should let an activity launch when link and provider are active and available there', () => {
    expect(whyUnavailable(active(['a']), active(['root']), lineage.a1)).toBeNull();
  });

  it('should name why an activity no longer launches when availability was withdrawn or an entry disabled', () => {
    expect(whyUnavailable(active(['a']), active(['root']), lineage.b)).toBe('link_withdrawn');
    expect(whyUnavailable(active(['root']), active(['a']), lineage.b)).toBe('provider_withdrawn');
    expect(whyUnavailable({ ...active(['a']), status: 'disabled' }, active(['root']), lineage.a1)).toBe(
      'link_disabled',
    );
    expect(whyUnavailable(active(['a']), { ...active(['root']), status: 'disabled' }, lineage.a1)).toBe(
      'provider_disabled',
    );
  });
});
