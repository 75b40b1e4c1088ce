import { issueTenantScope, TenantScope } from '../access/tenant-scope';
import { Role } from '../access/role';
import { User } from '../identity/user';
import { FIXED_TIME } from './fixed-time';

/** An active person of `org-1` with every identifier a tool could be sent. */
export function user(overrides: Partial<User> = {}): User {
  return {
    id: 'c0ffee00-1234-4567-89ab-cdef01234567',
    email: 'ada@example.com',
    name: 'Ada Lovelace',
    givenName: 'Ada',
    familyName: 'Lovelace',
    sisId: 'SIS-42',
    loginId: 'ada',
    status: 'active',
    organizationId: 'org-1',
    platformAdmin: false,
    createdAt: FIXED_TIME,
    updatedAt: FIXED_TIME,
    ...overrides,
  };
}

/** A tenant scope as AccessService would issue it (unit tests only). */
export function scope(userId = 'user-1', roles: readonly Role[] = [], platformAdmin = false): TenantScope {
  return issueTenantScope({ userId, roles, platformAdmin });
}
