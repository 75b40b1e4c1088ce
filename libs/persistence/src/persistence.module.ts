import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  AuditLog,
  GrantRepository,
  OrganizationScopeRepository,
  CatalogUsageRepository,
  ClassRepository,
  CourseRepository,
  EnrollmentRepository,
  ProgressRepository,
  ProgressSummaryRepository,
  RosterViewRepository,
  LtiProviderRepository,
  LtiResourceLinkRepository,
  MembershipRepository,
  OrganizationRepository,
  PlatformKeyRepository,
  SessionRepository,
  UnitOfWork,
  UserRepository,
  LaunchRepository,
  LaunchPlacementRepository,
  OAuthNonceRepository,
  OutcomePlacementRepository,
  AgsScoreTargetRepository,
  ScoreBatchRepository,
  ScoreLedgerRepository,
  SubmissionRepository,
  ContentSelectionRequestRepository,
  ToolJwtIdRepository,
  TokenGrantRepository,
  Lti1p3ClientRepository,
  MessageHintRepository,
  RefusedAuthorizationRepository,
  SelfTestRunRepository,
  AccessTokenRepository,
  LineItemRepository,
  SignInThrottleRepository,
  DynamicRegistrationRepository,
  MembershipChangeRepository,
  NoticeHandlerRepository,
  NoticeDeliveryRepository,
  ProvisioningJobRepository,
} from '@tms/core';
import { ENTITIES } from './entities';
import { dataSourceOptions } from './database/data-source-options';
import { TransactionContext } from './database/transaction-context';
import { TypeOrmAuditLog } from './repositories/audit-log.repository';
import { TypeOrmClassRepository } from './repositories/class.repository';
import { TypeOrmCourseRepository } from './repositories/course.repository';
import { TypeOrmEnrollmentRepository, TypeOrmProgressRepository } from './repositories/enrollment.repository';
import { SqlProgressSummaryRepository } from './repositories/progress-summary.repository';
import { SqlRosterViewRepository } from './repositories/roster-view.repository';
import { TypeOrmLtiProviderRepository } from './repositories/lti-provider.repository';
import {
  TypeOrmCatalogUsageRepository,
  TypeOrmLtiResourceLinkRepository,
} from './repositories/lti-resource-link.repository';
import { TypeOrmMembershipRepository } from './repositories/membership.repository';
import { TypeOrmOrganizationRepository } from './repositories/organization.repository';
import { TypeOrmPlatformKeyRepository } from './repositories/platform-key.repository';
import { TypeOrmSessionRepository } from './repositories/session.repository';
import { TypeOrmUserRepository } from './repositories/user.repository';
import { TypeOrmLaunchRepository } from './repositories/launch.repository';
import { TypeOrmLaunchPlacementRepository } from './repositories/launch-placement.repository';
import { TypeOrmOAuthNonceRepository, TypeOrmToolJwtIdRepository } from './repositories/used-nonces.repository';
import { SqlAgsScoreTargetRepository } from './repositories/ags-score-target.repository';
import { SqlOutcomePlacementRepository } from './repositories/outcome-placement.repository';
import { SqlScoreBatchRepository } from './repositories/score-batch.repository';
import { TypeOrmScoreLedgerRepository } from './repositories/score-ledger.repository';
import { TypeOrmSubmissionRepository } from './repositories/submission.repository';
import { TypeOrmContentSelectionRequestRepository } from './repositories/content-selection-request.repository';
import { TypeOrmMessageHintRepository } from './repositories/message-hint.repository';
import { TypeOrmRefusedAuthorizationRepository } from './repositories/refused-authorization.repository';
import { TypeOrmSelfTestRunRepository } from './repositories/self-test-run.repository';
import { TypeOrmDynamicRegistrationRepository } from './repositories/dynamic-registration.repository';
import { TypeOrmAccessTokenRepository } from './repositories/access-token.repository';
import { SqlTokenGrantRepository } from './repositories/token-grant.repository';
import { SqlLti1p3ClientRepository } from './repositories/lti1p3-client.repository';
import { TypeOrmLineItemRepository } from './repositories/line-item.repository';
import { TypeOrmSignInThrottleRepository } from './repositories/sign-in-throttle.repository';
import { TypeOrmMembershipChangeRepository } from './repositories/membership-change.repository';
import { TypeOrmNoticeDeliveryRepository, TypeOrmNoticeHandlerRepository } from './repositories/notice.repositories';
import { TypeOrmProvisioningJobRepository } from './repositories/provisioning-job.repository';

const ports = [
  { provide: UnitOfWork, useExisting: TransactionContext },
  { provide: OrganizationRepository, useClass: TypeOrmOrganizationRepository },
  { provide: UserRepository, useClass: TypeOrmUserRepository },
  // Access resolves scopes through its own ports, which the user and organization repositories answer.
  { provide: GrantRepository, useExisting: UserRepository },
  { provide: OrganizationScopeRepository, useExisting: OrganizationRepository },
  { provide: MembershipRepository, useClass: TypeOrmMembershipRepository },
  { provide: SessionRepository, useClass: TypeOrmSessionRepository },
  { provide: LtiProviderRepository, useClass: TypeOrmLtiProviderRepository },
  { provide: LtiResourceLinkRepository, useClass: TypeOrmLtiResourceLinkRepository },
  { provide: ProvisioningJobRepository, useClass: TypeOrmProvisioningJobRepository },
  { provide: CatalogUsageRepository, useClass: TypeOrmCatalogUsageRepository },
  { provide: PlatformKeyRepository, useClass: TypeOrmPlatformKeyRepository },
  { provide: AuditLog, useClass: TypeOrmAuditLog },
  { provide: CourseRepository, useClass: TypeOrmCourseRepository },
  { provide: ClassRepository, useClass: TypeOrmClassRepository },
  { provide: EnrollmentRepository, useClass: TypeOrmEnrollmentRepository },
  { provide: ProgressRepository, useClass: TypeOrmProgressRepository },
  { provide: ProgressSummaryRepository, useClass: SqlProgressSummaryRepository },
  { provide: RosterViewRepository, useClass: SqlRosterViewRepository },
  { provide: LaunchPlacementRepository, useClass: TypeOrmLaunchPlacementRepository },
  { provide: LaunchRepository, useClass: TypeOrmLaunchRepository },
  { provide: OAuthNonceRepository, useClass: TypeOrmOAuthNonceRepository },
  { provide: ScoreLedgerRepository, useClass: TypeOrmScoreLedgerRepository },
  { provide: ScoreBatchRepository, useClass: SqlScoreBatchRepository },
  { provide: OutcomePlacementRepository, useClass: SqlOutcomePlacementRepository },
  { provide: AgsScoreTargetRepository, useClass: SqlAgsScoreTargetRepository },
  { provide: SubmissionRepository, useClass: TypeOrmSubmissionRepository },
  { provide: ToolJwtIdRepository, useClass: TypeOrmToolJwtIdRepository },
  { provide: ContentSelectionRequestRepository, useClass: TypeOrmContentSelectionRequestRepository },
  { provide: MessageHintRepository, useClass: TypeOrmMessageHintRepository },
  { provide: RefusedAuthorizationRepository, useClass: TypeOrmRefusedAuthorizationRepository },
  { provide: SelfTestRunRepository, useClass: TypeOrmSelfTestRunRepository },
  { provide: AccessTokenRepository, useClass: TypeOrmAccessTokenRepository },
  { provide: TokenGrantRepository, useClass: SqlTokenGrantRepository },
  { provide: Lti1p3ClientRepository, useClass: SqlLti1p3ClientRepository },
  { provide: LineItemRepository, useClass: TypeOrmLineItemRepository },
  { provide: SignInThrottleRepository, useClass: TypeOrmSignInThrottleRepository },
  { provide: DynamicRegistrationRepository, useClass: TypeOrmDynamicRegistrationRepository },
  { provide: MembershipChangeRepository, useClass: TypeOrmMembershipChangeRepository },
  { provide: NoticeHandlerRepository, useClass: TypeOrmNoticeHandlerRepository },
  { provide: NoticeDeliveryRepository, useClass: TypeOrmNoticeDeliveryRepository },
];

/** TypeORM over the already migrated database at `url`, and the repositories behind core's ports. */
@Module({})
export class PersistenceModule {
  static forRoot(url: string): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      imports: [TypeOrmModule.forRoot(dataSourceOptions(url)), TypeOrmModule.forFeature(ENTITIES)],
      providers: [TransactionContext, ...ports],
      exports: ports,
    };
  }
}
