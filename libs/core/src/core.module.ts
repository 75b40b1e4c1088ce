import { Global, Module } from '@nestjs/common';
import { AccessService } from './access/access.service';
import { AuditService } from './audit/audit.service';
import { AuditTrail } from './audit/audit-trail';
import { BootstrapService } from './operations/bootstrap.service';
import { CatalogAccess } from './catalog/catalog-access';
import { LtiProvidersService } from './catalog/lti-providers.service';
import { ProviderSupport } from './catalog/provider-support';
import { LtiResourceLinksService } from './catalog/lti-resource-links.service';
import { ProvisioningExportService } from './catalog/provisioning/provisioning-export.service';
import { ProvisioningImportService } from './catalog/provisioning/provisioning-import.service';
import { ProvisioningJobsService } from './catalog/provisioning/provisioning-jobs.service';
import { ToolKeyChecker } from './catalog/tool-key-checker';
import { ToolKeyReadiness } from './catalog/tool-key-readiness';
import { ProviderSelfTest } from './catalog/provider-self-test';
import { SelfTestRuns } from './catalog/self-test-runs';
import { Lti1p1TestLaunch } from './lti1p1/lti1p1-test-launch';
import { Lti1p3TestLaunch } from './lti1p3/lti1p3-test-launch';
import { RefusedAuthorizations } from './lti1p3/refused-authorizations';
import { AuthService } from './identity/auth.service';
import { SignInThrottle } from './identity/sign-in-throttle/sign-in-throttle';
import { UsersService } from './identity/users.service';
import { PlatformKeysService } from './keys/platform-keys.service';
import { LaunchContextService } from './launch/launch-context.service';
import { LaunchPresentations } from './launch/launch-presentations.service';
import { ClassesService } from './learning/classes.service';
import { CoursesService } from './learning/courses.service';
import { ProgressService } from './learning/progress.service';
import { SelfPacedService } from './learning/self-paced.service';
import { OrganizationsService } from './organizations/organizations.service';
import { ExpiryJanitor } from './operations/expiry-janitor';
import { ProgressWriter } from './grading/progress-writer';
import { LaunchProgress } from './grading/launch-progress';
import { ScoreIntakeService } from './grading/score-intake.service';
import { ScoreTargets } from './lti1p1/score-targets';
import { ScoreLedgerService } from './grading/score-ledger.service';
import { OverrideResults } from './grading/override-results';
import { GradedPlacements } from './grading/graded-placements';
import { SubmissionsService } from './grading/submissions.service';
import { SubmissionLaunches } from './launch/submission-launch';
import { SubmissionReviews } from './lti1p3/submission-reviews';
import { LaunchRecorder } from './launch/launch-recorder';
import { LaunchInspector } from './launch/launch-inspector';
import { SelectionPlacer } from './launch/selection-placer';
import { Lti1p1LaunchService } from './lti1p1/lti1p1-launch.service';
import { Lti1p1RequestVerifier } from './lti1p1/lti1p1-request-verifier';
import { Lti1p1Signers } from './lti1p1/lti1p1-signers';
import { BasicOutcomesService } from './lti1p1/basic-outcomes.service';
import { ContentItemReturnService, ContentItemService } from './lti1p1/content-item.service';
import { Lti1p3IdTokenService } from './lti1p3/lti1p3-id-token.service';
import { Lti1p3DeepLinkingRequestService, Lti1p3DeepLinkingReturnService } from './lti1p3/lti1p3-deep-linking.service';
import { ToolKeys } from './lti1p3/tool-keys';
import { ToolKeySets } from './lti1p3/tool-key-sets';
import { DynamicRegistrationsService } from './lti1p3/dynamic-registration/dynamic-registrations.service';
import { Lti1p3TokenService } from './lti1p3/lti1p3-token.service';
import { Lti1p3Clients } from './lti1p3/lti1p3-clients';
import { ServiceAccess } from './lti1p3/service-access';
import { MembershipsService } from './lti1p3/nrps/memberships.service';
import { NoticeHandlersService } from './lti1p3/pns/notice-handlers.service';
import { PlatformNoticesService } from './lti1p3/pns/platform-notices.service';
import { NoticeDispatcher } from './lti1p3/pns/notice-dispatcher';
import { MigrationClaim } from './lti1p3/migration-claim';
import { PlatformUrls } from './launch/platform-urls';
import { ServiceContexts } from './lti1p3/service-contexts';
import { LineItemsService } from './lti1p3/ags/line-items.service';
import { AgsScoresService } from './lti1p3/ags/ags-scores.service';
import { Lti1p3AuthorizationService, Lti1p3LoginService } from './lti1p3/lti1p3-login.service';
import { CourseCopyService } from './learning/course-copy.service';
import { CartridgeService } from './transfer/cartridge.service';
import { CourseCopyListener } from './learning/course-copy-listener';
import { ContextCopyNotices } from './lti1p3/pns/context-copy-notices';

const services = [
  AccessService,
  OrganizationsService,
  AuthService,
  SignInThrottle,
  UsersService,
  BootstrapService,
  ExpiryJanitor,
  AuditService,
  AuditTrail,
  CatalogAccess,
  ToolKeyChecker,
  ToolKeyReadiness,
  ProviderSelfTest,
  SelfTestRuns,
  Lti1p1TestLaunch,
  Lti1p3TestLaunch,
  RefusedAuthorizations,
  DynamicRegistrationsService,
  LaunchInspector,
  ProviderSupport,
  LtiProvidersService,
  LtiResourceLinksService,
  ProvisioningImportService,
  ProvisioningExportService,
  ProvisioningJobsService,
  PlatformKeysService,
  CoursesService,
  ClassesService,
  ProgressService,
  SelfPacedService,
  LaunchContextService,
  LaunchPresentations,
  ProgressWriter,
  ScoreIntakeService,
  LaunchProgress,
  ScoreTargets,
  Lti1p1Signers,
  ScoreLedgerService,
  OverrideResults,
  GradedPlacements,
  SubmissionsService,
  SubmissionLaunches,
  SubmissionReviews,
  LaunchRecorder,
  SelectionPlacer,
  Lti1p1LaunchService,
  Lti1p1RequestVerifier,
  BasicOutcomesService,
  ContentItemService,
  ContentItemReturnService,
  Lti1p3IdTokenService,
  Lti1p3LoginService,
  Lti1p3AuthorizationService,
  Lti1p3DeepLinkingRequestService,
  Lti1p3DeepLinkingReturnService,
  ToolKeySets,
  ToolKeys,
  Lti1p3Clients,
  Lti1p3TokenService,
  ServiceAccess,
  MembershipsService,
  NoticeHandlersService,
  PlatformNoticesService,
  NoticeDispatcher,
  MigrationClaim,
  PlatformUrls,
  ServiceContexts,
  LineItemsService,
  AgsScoresService,
  CourseCopyService,
  CartridgeService,
];

/** Ports of a lower folder that a higher one answers: a course copy is told to the notification service. */
const bindings = [{ provide: CourseCopyListener, useClass: ContextCopyNotices }];

/**
 * The business services. Their repository ports and settings come from global modules of the
 * application (persistence, configuration), which keeps core free of any adapter.
 */
@Global()
@Module({ providers: [...services, ...bindings], exports: [...services, CourseCopyListener] })
export class CoreModule {}
