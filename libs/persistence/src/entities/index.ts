import { AuditEventEntity } from './audit-event.entity';
import { AuthSessionEntity } from './auth-session.entity';
import { LtiProviderEntity } from './lti-provider.entity';
import { LtiResourceLinkEntity } from './lti-resource-link.entity';
import { MembershipEntity } from './membership.entity';
import { OrganizationEntity } from './organization.entity';
import { PlatformKeyEntity } from './platform-key.entity';
import { UserEntity } from './user.entity';

export {
  AuditEventEntity,
  AuthSessionEntity,
  LtiProviderEntity,
  LtiResourceLinkEntity,
  MembershipEntity,
  OrganizationEntity,
  PlatformKeyEntity,
  UserEntity,
};

export const ENTITIES = [
  OrganizationEntity,
  UserEntity,
  MembershipEntity,
  AuthSessionEntity,
  LtiProviderEntity,
  LtiResourceLinkEntity,
  PlatformKeyEntity,
  AuditEventEntity,
];
