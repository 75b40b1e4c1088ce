import { AuditEventEntity } from './audit-event.entity';
import {
  ActivityProgressEntity,
  ClassEntity,
  CourseActivityEntity,
  CourseEntity,
  EnrollmentEntity,
} from './learning.entities';
import { AuthSessionEntity } from './auth-session.entity';
import { AccessTokenEntity, MessageHintEntity } from './lti1p3.entities';
import { ContentSelectionRequestEntity, LtiLaunchEntity } from './launch.entities';
import { LineItemEntity, LineItemResultEntity, ScoreLedgerEntity, SubmissionEntity } from './grading.entities';
import { UsedNonceEntity } from './used-nonce.entity';
import { LtiProviderEntity } from './lti-provider.entity';
import { LtiResourceLinkEntity } from './lti-resource-link.entity';
import { MembershipEntity } from './membership.entity';
import { OrganizationEntity } from './organization.entity';
import { PlatformKeyEntity } from './platform-key.entity';
import { UserEntity } from './user.entity';
import { SignInThrottleEntity } from './sign-in-throttle.entity';
import { DynamicRegistrationEntity } from './dynamic-registration.entity';
import { RefusedAuthorizationEntity } from './refused-authorization.entity';
import { SelfTestRunEntity } from './self-test-run.entity';

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
  UsedNonceEntity,
  ScoreLedgerEntity,
  ContentSelectionRequestEntity,
  MessageHintEntity,
  AccessTokenEntity,
  LineItemEntity,
  LineItemResultEntity,
  DynamicRegistrationEntity,
  SubmissionEntity,
  RefusedAuthorizationEntity,
  SelfTestRunEntity,
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
  UsedNonceEntity,
  ScoreLedgerEntity,
  ContentSelectionRequestEntity,
  MessageHintEntity,
  AccessTokenEntity,
  LineItemEntity,
  LineItemResultEntity,
  DynamicRegistrationEntity,
  SubmissionEntity,
  RefusedAuthorizationEntity,
  SelfTestRunEntity,
];
