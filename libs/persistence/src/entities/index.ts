import { AuditEventEntity } from './audit-event.entity';
import {
  ActivityProgressEntity,
  ClassEntity,
  CourseActivityEntity,
  CourseEntity,
  EnrollmentEntity,
} from './learning.entities';
import { AuthSessionEntity } from './auth-session.entity';
import { AccessTokenEntity, LineItemEntity, LineItemResultEntity, MessageHintEntity } from './lti1p3.entities';
import { ContentItemRequestEntity, LtiLaunchEntity, OAuthNonceEntity, ScoreLedgerEntity } from './lti1p1.entities';
import { LtiProviderEntity } from './lti-provider.entity';
import { LtiResourceLinkEntity } from './lti-resource-link.entity';
import { MembershipEntity } from './membership.entity';
import { OrganizationEntity } from './organization.entity';
import { PlatformKeyEntity } from './platform-key.entity';
import { UserEntity } from './user.entity';
import { SignInThrottleEntity } from './sign-in-throttle.entity';

export {
  ActivityProgressEntity,
  ClassEntity,
  CourseActivityEntity,
  CourseEntity,
  EnrollmentEntity,
  AuditEventEntity,
  AuthSessionEntity,
  SignInThrottleEntity,
  LtiProviderEntity,
  LtiResourceLinkEntity,
  MembershipEntity,
  OrganizationEntity,
  PlatformKeyEntity,
  UserEntity,
  LtiLaunchEntity,
  OAuthNonceEntity,
  ScoreLedgerEntity,
  ContentItemRequestEntity,
  MessageHintEntity,
  AccessTokenEntity,
  LineItemEntity,
  LineItemResultEntity,
};

export const ENTITIES = [
  OrganizationEntity,
  UserEntity,
  MembershipEntity,
  AuthSessionEntity,
  SignInThrottleEntity,
  LtiProviderEntity,
  LtiResourceLinkEntity,
  PlatformKeyEntity,
  AuditEventEntity,
  CourseEntity,
  CourseActivityEntity,
  ClassEntity,
  EnrollmentEntity,
  ActivityProgressEntity,
  LtiLaunchEntity,
  OAuthNonceEntity,
  ScoreLedgerEntity,
  ContentItemRequestEntity,
  MessageHintEntity,
  AccessTokenEntity,
  LineItemEntity,
  LineItemResultEntity,
];
