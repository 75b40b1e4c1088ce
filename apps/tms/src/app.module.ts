import { DynamicModule, Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { APP_CONFIG, RuntimeConfig } from '@tms/config';
import { hkdfSync } from 'node:crypto';
import {
  CoreModule,
  DifferencesTokens,
  IdentitySettings,
  LtiSettings,
  NoticeSettings,
  PlatformUrls,
  PlatformKeySettings,
  ResultSourcedIds,
  SecretBox,
  SignInThrottleSettings,
} from '@tms/core';
import { OutboundModule } from '@tms/outbound';
import { PersistenceModule } from '@tms/persistence';
import { LoginPageController } from './http/auth/login.page.controller';
import { TokenApiController } from './http/auth/token.api.controller';
import { AuditApiController } from './http/audit/audit.api.controller';
import { ClassesApiController } from './http/learning/classes.api.controller';
import { CoursesApiController } from './http/learning/courses.api.controller';
import { CourseCopyApiController } from './http/learning/course-copy.api.controller';
import { CartridgeApiController } from './http/learning/cartridge.api.controller';
import { EnrollmentsApiController } from './http/learning/enrollments.api.controller';
import { AuditPageController } from './http/audit/audit.page.controller';
import { AuditNames } from './http/audit/audit-names';
import { ScoreLedgerApiController } from './http/grading/score-ledger.api.controller';
import { ScoreLedgerPageController } from './http/grading/score-ledger.page.controller';
import { SubmissionsApiController } from './http/grading/submissions.api.controller';
import { SubmissionsPageController } from './http/grading/submissions.page.controller';
import { SubmissionLaunchesPageController } from './http/grading/submission-launches.page.controller';
import { LtiProvidersApiController } from './http/catalog/lti-providers.api.controller';
import { RegistrationsApiController } from './http/lti1p3/registrations.api.controller';
import { LtiProvidersPageController } from './http/catalog/lti-providers.page.controller';
import { LtiResourceLinksApiController } from './http/catalog/lti-resource-links.api.controller';
import { ProvisioningApiController } from './http/catalog/provisioning.api.controller';
import { LtiResourceLinksPageController } from './http/catalog/lti-resource-links.page.controller';
import { ProvisioningPageController } from './http/catalog/provisioning.page.controller';
import { PlatformKeysApiController } from './http/keys/platform-keys.api.controller';
import { PlatformKeysPageController } from './http/keys/platform-keys.page.controller';
import { WellKnownController } from './http/keys/well-known.controller';
import { LaunchPageController } from './http/launch/launch.page.controller';
import { LaunchPages } from './http/launch/launch-page';
import { LaunchBinding } from './http/launch/launch-binding';
import { LaunchRelay, LaunchRelayController } from './http/launch/launch-relay';
import { LaunchReturnPageController } from './http/launch/launch-return.page.controller';
import { BasicOutcomesController } from './http/lti1p1/basic-outcomes.controller';
import { ContentSelectionController } from './http/launch/content-selection.controller';
import { AuthorizationController } from './http/lti1p3/authorization.controller';
import { TokenController } from './http/lti1p3/token.controller';
import { RegistrationController } from './http/lti1p3/registration.controller';
import { RegistrationsPageController } from './http/lti1p3/registrations.page.controller';
import { LaunchInspectorPageController } from './http/launch/launch-inspector.page.controller';
import { ProviderTestLaunchPageController } from './http/launch/provider-test-launch.page.controller';
import { RefusedAuthorizationsPageController } from './http/lti1p3/refused-authorizations.page.controller';
import { SelfTestsPageController } from './http/catalog/self-tests.page.controller';
import { MembershipsController } from './http/lti1p3/memberships.controller';
import { NoticeHandlersController } from './http/lti1p3/notice-handlers.controller';
import { ProviderNoticesApiController } from './http/catalog/provider-notices.api.controller';
import { AssignmentGradesController } from './http/lti1p3/assignment-grades.controller';
import { HomePageController } from './http/home/home.page.controller';
import { SiteAdministrationPageController } from './http/home/site-administration.page.controller';
import { HealthController } from './http/ops/health.controller';
import { Metrics, MetricsController, MetricsMiddleware } from './http/ops/metrics';
import { OrganizationsApiController } from './http/organizations/organizations.api.controller';
import { OrganizationsPageController } from './http/organizations/organizations.page.controller';
import { PeoplePageController } from './http/people/people.page.controller';
import { ClassesPageController } from './http/learning/classes.page.controller';
import { CoursesPageController } from './http/learning/courses.page.controller';
import { CourseCopyPageController } from './http/learning/course-copy.page.controller';
import { CartridgePageController } from './http/learning/cartridge.page.controller';
import { MyLearningPageController } from './http/learning/my-learning.page.controller';
import { SelfPacedPageController } from './http/learning/self-paced.page.controller';
import { UsersApiController } from './http/people/users.api.controller';
import { AuthGuard } from './http/shared/auth.guard';
import { CookiePolicy } from './http/shared/cookies';
import { SessionRecheck } from './http/shared/session-recheck';
import { LargeAnswers } from './http/shared/answer-limit';
import { CsrfTokens } from './http/shared/csrf';
import { LtiServiceErrorFilter } from './http/errors/lti-service-error.filter';
import { OAuthErrorFilter } from './http/errors/oauth-error.filter';
import { PageErrorFilter } from './http/errors/page-error.filter';
import { PoxFailureFilter } from './http/errors/pox-failure.filter';
import { ProblemJsonFilter } from './http/errors/problem-json.filter';
import { RoutelessErrorFilter } from './http/errors/transport';
import { pinoHttpOptions } from './http/shared/logging';
import { createValidationPipe } from './http/shared/validation';
import { Views } from './http/shared/views';
import { WebAssets } from './http/shared/web-assets';

/** The JSON API under /api/v1; this module alone is documented in OpenAPI. */
@Module({
  controllers: [
    TokenApiController,
    OrganizationsApiController,
    UsersApiController,
    LtiProvidersApiController,
    RegistrationsApiController,
    ProviderNoticesApiController,
    LtiResourceLinksApiController,
    ProvisioningApiController,
    PlatformKeysApiController,
    AuditApiController,
    CoursesApiController,
    CourseCopyApiController,
    CartridgeApiController,
    ClassesApiController,
    EnrollmentsApiController,
    ScoreLedgerApiController,
    SubmissionsApiController,
  ],
})
export class ApiModule {}

/** What LTI tools and launching browsers reach (keys and the launch route now; services later). */
@Module({
  controllers: [
    WellKnownController,
    LaunchPageController,
    LaunchReturnPageController,
    LaunchRelayController,
    BasicOutcomesController,
    ContentSelectionController,
    AuthorizationController,
    TokenController,
    RegistrationController,
    MembershipsController,
    NoticeHandlersController,
    AssignmentGradesController,
  ],
})
export class LtiModule {}

/** Server-rendered pages. */
@Module({
  controllers: [
    LoginPageController,
    HomePageController,
    SiteAdministrationPageController,
    OrganizationsPageController,
    PeoplePageController,
    LtiProvidersPageController,
    LtiResourceLinksPageController,
    RegistrationsPageController,
    LaunchInspectorPageController,
    ProviderTestLaunchPageController,
    RefusedAuthorizationsPageController,
    SelfTestsPageController,
    ProvisioningPageController,
    PlatformKeysPageController,
    AuditPageController,
    CoursesPageController,
    CourseCopyPageController,
    CartridgePageController,
    ClassesPageController,
    SelfPacedPageController,
    MyLearningPageController,
    ScoreLedgerPageController,
    SubmissionsPageController,
    SubmissionLaunchesPageController,
  ],
})
export class WebModule {}

@Module({ imports: [TerminusModule], controllers: [HealthController, MetricsController] })
export class OpsModule {}

export interface AppModuleOptions {
  /** Where JSON logs go; stdout when absent. Tests pass a stream to read them. */
  readonly logStream?: DestinationStream;
}

/** The configuration, and the plain values core takes from it; shared by the application and the CLI. */
@Global()
@Module({})
export class SettingsModule {
  static forRoot(config: RuntimeConfig): DynamicModule {
    const providers = [
      { provide: APP_CONFIG, useValue: config },
      {
        provide: IdentitySettings,
        useValue: {
          sessionTtlSeconds: config.security.sessionTtlSeconds,
          apiTokenTtlSeconds: config.security.apiTokenTtlSeconds,
        } satisfies IdentitySettings,
      },
      { provide: SignInThrottleSettings, useValue: config.security.signIn satisfies SignInThrottleSettings },
      { provide: SecretBox, useValue: SecretBox.fromMasterKey(config.security.secretKey) },
      {
        provide: PlatformKeySettings,
        useValue: { overlapSeconds: config.lti.keyRotationOverlapSeconds } satisfies PlatformKeySettings,
      },
      {
        provide: LtiSettings,
        useValue: {
          publicUrl: config.app.publicUrl,
          instanceName: config.lti.instanceName,
          oauthTimestampWindowSeconds: config.lti.oauthTimestampWindowSeconds,
        } satisfies LtiSettings,
      },
      {
        provide: ResultSourcedIds,
        useValue: new ResultSourcedIds(subkey(config.security.secretKey, 'tms/lti1p1-sourcedid/v1')),
      },
      { provide: NoticeSettings, useValue: config.lti.notices satisfies NoticeSettings },
      {
        provide: DifferencesTokens,
        useValue: new DifferencesTokens(
          subkey(config.security.secretKey, 'tms/nrps-differences/v1'),
          config.lti.nrpsDifferencesWindowHours * 3600,
        ),
      },
    ];
    return { module: SettingsModule, providers, exports: providers };
  }
}

/** A key of its own for each use of the master key (HKDF-SHA256, RFC 5869). */
function subkey(masterKey: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), purpose, 32));
}

/** Core over its adapters (persistence, outbound HTTP), without serving HTTP: what the command line works with. */
@Module({})
export class DomainModule {
  static forRoot(config: RuntimeConfig): DynamicModule {
    return {
      module: DomainModule,
      imports: [
        SettingsModule.forRoot(config),
        PersistenceModule.forRoot(config.database.url),
        OutboundModule.forRoot(config.outbound),
        CoreModule,
      ],
    };
  }
}

@Global()
@Module({})
export class AppModule implements NestModule {
  static forRoot(config: RuntimeConfig, assets: WebAssets, options: AppModuleOptions = {}): DynamicModule {
    const shared = [
      { provide: WebAssets, useValue: assets },
      { provide: LaunchRelay, useValue: new LaunchRelay(subkey(config.security.secretKey, 'tms/launch-relay/v1')) },
      {
        provide: LaunchBinding,
        useFactory: (urls: PlatformUrls) =>
          new LaunchBinding(subkey(config.security.secretKey, 'tms/lti1p3-launch-binding/v1'), urls.url('authorize')),
        inject: [PlatformUrls],
      },
      LaunchPages,
      SessionRecheck,
      LargeAnswers,
      { provide: CookiePolicy, useValue: new CookiePolicy(config.app.publicUrl) },
      { provide: CsrfTokens, useValue: new CsrfTokens(config.security.secretKey) },
      Views,
      AuditNames,
      Metrics,
      // One filter per audience (DESIGN.md §3): each controller names its transport (@Transport).
      PageErrorFilter,
      ProblemJsonFilter,
      OAuthErrorFilter,
      LtiServiceErrorFilter,
      PoxFailureFilter,
      RoutelessErrorFilter,
    ];
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({ pinoHttp: pinoHttpOptions(config.app.logLevel, options.logStream) }),
        DomainModule.forRoot(config),
        ApiModule,
        WebModule,
        LtiModule,
        OpsModule,
      ],
      providers: [
        ...shared,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useExisting: RoutelessErrorFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
      exports: shared,
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(MetricsMiddleware).forRoutes('*path');
  }
}
