import { fakeAccess } from './access.fake';
import { issueTenantScope } from './tenant-scope';

/** top ─ t1 ─ t2 ; other. */
const TENANCY = {
  organizations: [
    { id: 'top', parentId: null },
    { id: 't1', parentId: 'top' },
    { id: 't2', parentId: 't1' },
    { id: 'other', parentId: null },
  ],
  memberships: [
    { userId: 'admin', organizationId: 'top', role: 'site_admin' as const },
    { userId: 'two-tops', organizationId: 't1', role: 'site_admin' as const },
    { userId: 'two-tops', organizationId: 'other', role: 'site_admin' as const },
    { userId: 'teacher', organizationId: 't1', role: 'instructor' as const },
    { userId: 'learner', organizationId: 'top', role: 'learner' as const },
  ],
  platformAdmins: ['operator'],
};

describe('issueTenantScope', () => {
  it('should always include the site administrator role and freeze the scope when issued', () => {
    const scope = issueTenantScope({ userId: 'u', roles: ['instructor', 'instructor'], platformAdmin: false });
    expect(scope.roles).toEqual(['site_admin', 'instructor']);
    expect(Object.isFrozen(scope)).toBe(true);
    expect(Object.isFrozen(scope.roles)).toBe(true);
    expect(() => Object.assign(scope, { platformAdmin: true })).toThrow(TypeError);
  });
});

describe('AccessService', () => {
  it('should resolve the scope from the principal’s own grants when the person holds a role of the area', async () => {
    const { access, covered } = fakeAccess(TENANCY);
    const admin = await access.scope({ userId: 'admin' });
    expect(admin).toMatchObject({ userId: 'admin', roles: ['site_admin'], platformAdmin: false });
    expect([...covered(admin)].sort()).toEqual(['t1', 't2', 'top']);
    const teaching = await access.scope({ userId: 'teacher' }, ['instructor']);
    expect([...covered(teaching)].sort()).toEqual(['t1', 't2']);
  });

  it('should answer forbidden to a learner, and to an instructor in an area that is not theirs', async () => {
    const { access } = fakeAccess(TENANCY);
    await expect(access.scope({ userId: 'learner' }, ['instructor'])).rejects.toMatchObject({ code: 'forbidden' });
    await expect(access.scope({ userId: 'teacher' }, ['course_author'])).rejects.toMatchObject({ code: 'forbidden' });
    await expect(access.scope({ userId: 'nobody' })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('should give a lookup scope that covers nothing to a learner, without a 403', async () => {
    const { access, covered } = fakeAccess(TENANCY);
    const scope = await access.lookupScope({ userId: 'learner' }, ['instructor']);
    expect(covered(scope).size).toBe(0);
  });

  it('should keep platform-wide things for platform administrators, not for the admin of a top-level organization', async () => {
    const { access, covered } = fakeAccess(TENANCY);
    await expect(access.platformScope({ userId: 'admin' })).rejects.toMatchObject({ code: 'forbidden' });
    const operator = await access.platformScope({ userId: 'operator' });
    expect(operator.platformAdmin).toBe(true);
    // The role opens no organization by itself.
    expect(covered(await access.scope({ userId: 'operator' })).size).toBe(0);
  });

  it('should choose the only top organization when none is asked for, and name the field otherwise', async () => {
    const { access } = fakeAccess(TENANCY);
    expect(await access.choose(await access.scope({ userId: 'admin' }), undefined, 'parentId')).toBe('top');
    const twoTops = await access.scope({ userId: 'two-tops' });
    await expect(access.choose(twoTops, undefined, 'parentId')).rejects.toMatchObject({
      code: 'validation_failed',
      fields: [{ field: 'parentId', message: 'parentId is required' }],
    });
    expect(await access.choose(twoTops, 't2', 'parentId')).toBe('t2');
    await expect(access.choose(twoTops, 'top', 'organizationId', 'Choose where you teach')).rejects.toMatchObject({
      fields: [{ field: 'organizationId', message: 'Choose where you teach' }],
    });
  });

  it('should answer not_found for an organization outside the scope, and report the covered ones in one question', async () => {
    const { access, organizations } = fakeAccess(TENANCY);
    const scope = await access.scope({ userId: 'two-tops' });
    await expect(access.require(scope, 'top', 'Organization')).rejects.toMatchObject({ code: 'not_found' });
    await expect(access.require(scope, null)).rejects.toMatchObject({ code: 'not_found' });
    const filter = jest.spyOn(organizations, 'filterInScope');
    expect(await access.covered(scope, ['t2', 'top', 't2', 'other'])).toEqual(new Set(['t2', 'other']));
    expect(filter).toHaveBeenCalledTimes(1);
    expect(filter).toHaveBeenCalledWith(scope, ['t2', 'top', 'other']);
    expect(await access.covered(scope, [])).toEqual(new Set());
    expect(filter).toHaveBeenCalledTimes(1);
  });
});
