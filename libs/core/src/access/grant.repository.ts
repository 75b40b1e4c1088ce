import type { Role } from './role';

/** What a person may do anywhere: the roles they hold in some organization, and the platform role. */
export interface UserGrants {
  readonly platformAdmin: boolean;
  readonly roles: readonly Role[];
}

/**
 * Port: the grants a scope is resolved from. The user accounts' repository answers it (identity's
 * UserRepository extends it), so access needs nothing of identity.
 */
export abstract class GrantRepository {
  abstract findGrants(userId: string): Promise<UserGrants | null>;
}
