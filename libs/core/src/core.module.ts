import { Global, Module } from '@nestjs/common';
import { AccessService } from './access/access.service';
import { BootstrapService } from './bootstrap/bootstrap.service';
import { AuthService } from './identity/auth.service';
import { SessionJanitor } from './identity/session-janitor';
import { UsersService } from './identity/users.service';
import { OrganizationsService } from './organizations/organizations.service';

const services = [AccessService, OrganizationsService, AuthService, UsersService, BootstrapService, SessionJanitor];

/**
 * The business services. Their repository ports and settings come from global modules of the
 * application (persistence, configuration), which keeps core free of any adapter.
 */
@Global()
@Module({ providers: services, exports: services })
export class CoreModule {}
