import { AuthSessionEntity } from './auth-session.entity';
import { MembershipEntity } from './membership.entity';
import { OrganizationEntity } from './organization.entity';
import { UserEntity } from './user.entity';

export { AuthSessionEntity, MembershipEntity, OrganizationEntity, UserEntity };

export const ENTITIES = [OrganizationEntity, UserEntity, MembershipEntity, AuthSessionEntity];
