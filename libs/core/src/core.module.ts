import { Global, Module } from '@nestjs/common';
import { AccessService } from './access/access.service';
import { AuditService } from './audit/audit.service';
import { AuditTrail } from './audit/audit-trail';
import { BootstrapService } from './bootstrap/bootstrap.service';
import { CatalogAccess } from './catalog/catalog-access';
import { LtiProvidersService } from './catalog/lti-providers.service';
import { ProviderSupport } from './catalog/provider-support';
import { LtiResourceLinksService } from './catalog/lti-resource-links.service';
import { ToolKeyChecker } from './catalog/tool-key-checker';
import { AuthService } from './identity/auth.service';
import { SessionJanitor } from './identity/session-janitor';
import { UsersService } from './identity/users.service';
import { PlatformKeysService } from './keys/platform-keys.service';
import { LaunchContextService } from './launch/launch-context.service';
import { ClassesService } from './learning/classes.service';
import { CoursesService } from './learning/courses.service';
import { ProgressService } from './learning/progress.service';
import { SelfPacedService } from './learning/self-paced.service';
import { OrganizationsService } from './organizations/organizations.service';

const services = [
  AccessService,
  OrganizationsService,
  AuthService,
  UsersService,
  BootstrapService,
  SessionJanitor,
  AuditService,
  AuditTrail,
  CatalogAccess,
  ToolKeyChecker,
  ProviderSupport,
  LtiProvidersService,
  LtiResourceLinksService,
  PlatformKeysService,
  CoursesService,
  ClassesService,
  ProgressService,
  SelfPacedService,
  LaunchContextService,
];

/**
 * The business services. Their repository ports and settings come from global modules of the
 * application (persistence, configuration), which keeps core free of any adapter.
 */
@Global()
@Module({ providers: services, exports: services })
export class CoreModule {}
