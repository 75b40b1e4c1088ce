import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { OrganizationRepository } from '../organizations/organization.repository';
import { hashPassword } from '../identity/password-hasher';
import { NewUser } from '../identity/user';
import { Role } from '../access/role';
import { AccessService } from '../access/access.service';
import { AuditTrail } from '../audit/audit-trail';
import { MembershipRepository } from '../identity/membership.repository';
import { UserRepository } from '../identity/user.repository';

export interface DemoLogin {
  readonly email: string;
  readonly password: string;
  readonly role: Role;
  readonly organization: string;
}

const DEMO_ADMIN_EMAIL = 'admin@demo.example.com';

/** First-start data: the bootstrap administrator, and the demo data set where it is wanted. */
@Injectable()
export class BootstrapService {
  private readonly logger = new Logger(BootstrapService.name);

  constructor(
    private readonly organizations: OrganizationRepository,
    private readonly users: UserRepository,
    private readonly memberships: MembershipRepository,
    private readonly access: AccessService,
    private readonly audit: AuditTrail,
  ) {}

  hasUsers(): Promise<boolean> {
    return this.users.hasAny();
  }

  /**
   * Creates the first site admin, on a root organization, only while no user exists at all. They
   * are the first platform administrator too (DESIGN.md §3).
   */
  async ensureBootstrapAdmin(email: string, password: string): Promise<boolean> {
    if (await this.users.hasAny()) return false;
    const organization = await this.organizations.createForBootstrap('Organization');
    await this.users.createForBootstrap(await person(email, 'Site Administrator', password, organization.id), {
      role: 'site_admin',
      organizationId: organization.id,
      platformAdmin: true,
    });
    this.logger.log(`Bootstrap site administrator ${email} created`);
    return true;
  }

  /**
   * The operator's way (command line) to name a platform administrator, for when none is left;
   * audited with no actor, like a key rotation from the command line. False: no such account.
   */
  async setPlatformAdmin(email: string, platformAdmin: boolean): Promise<boolean> {
    const user = await this.audit.change(
      () => this.users.setPlatformAdminByOperator(email.trim().toLowerCase(), platformAdmin),
      (changed) =>
        changed && {
          actorUserId: null,
          organizationId: null,
          entityType: 'user',
          entityId: changed.id,
          action: 'update',
          before: { platformAdmin: !platformAdmin },
          after: { platformAdmin },
        },
    );
    return user !== null;
  }

  /**
   * A small organization tree with one person per role; its site admin is a platform administrator.
   * Passwords are random (node:crypto) and returned once to be printed, so a demo database exposed
   * by mistake has no well-known logins. Everything after the admin is created in the admin's scope.
   */
  async seedDemo(): Promise<DemoLogin[]> {
    if (await this.users.findCredentialsByEmail(DEMO_ADMIN_EMAIL)) return [];
    const acme = await this.organizations.createForBootstrap('Acme Training');
    const logins: DemoLogin[] = [];
    const password = () => randomBytes(12).toString('base64url');
    const adminPassword = password();
    const admin = await this.users.createForBootstrap(
      await person(DEMO_ADMIN_EMAIL, 'Ada Admin', adminPassword, acme.id),
      { role: 'site_admin', organizationId: acme.id, platformAdmin: true },
    );
    logins.push({ email: DEMO_ADMIN_EMAIL, password: adminPassword, role: 'site_admin', organization: acme.name });
    const scope = await this.access.scope({ userId: admin.id });
    const engineering = await this.organizations.create(scope, { name: 'Engineering', parentId: acme.id });
    await this.organizations.create(scope, { name: 'Platform Team', parentId: engineering.id });
    await this.organizations.create(scope, { name: 'Sales', parentId: acme.id });
    const people: Array<[string, string, Role, string, string]> = [
      ['author@demo.example.com', 'Alan Author', 'course_author', acme.id, acme.name],
      ['instructor@demo.example.com', 'Grace Instructor', 'instructor', engineering.id, engineering.name],
      ['learner1@demo.example.com', 'Linus Learner', 'learner', engineering.id, engineering.name],
      ['learner2@demo.example.com', 'Lena Learner', 'learner', engineering.id, engineering.name],
    ];
    for (const [email, name, role, organizationId, organization] of people) {
      const secret = password();
      const user = await this.users.create(scope, await person(email, name, secret, organizationId));
      await this.memberships.add(scope, { userId: user.id, organizationId, role });
      logins.push({ email, password: secret, role, organization });
    }
    return logins;
  }
}

async function person(email: string, name: string, password: string, organizationId: string): Promise<NewUser> {
  const [givenName, ...rest] = name.split(' ');
  return {
    email,
    name,
    givenName,
    familyName: rest.join(' ') || null,
    sisId: null,
    loginId: email.split('@')[0],
    organizationId,
    passwordHash: await hashPassword(password),
  };
}
