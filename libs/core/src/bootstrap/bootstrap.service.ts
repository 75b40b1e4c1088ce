import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { OrganizationRepository } from '../organizations/organization.repository';
import { hashPassword } from '../identity/password-hasher';
import { Role } from '../identity/user';
import { MembershipRepository, UserRepository } from '../identity/user.repository';

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
  ) {}

  hasUsers(): Promise<boolean> {
    return this.users.hasAny();
  }

  /** Creates the first site admin, on a root organization, only while no user exists at all. */
  async ensureBootstrapAdmin(email: string, password: string): Promise<boolean> {
    if (await this.users.hasAny()) return false;
    const organization = await this.organizations.create({ name: 'Organization', parentId: null });
    await this.createPerson(email, 'Site Administrator', password, organization.id, 'site_admin');
    this.logger.log(`Bootstrap site administrator ${email} created`);
    return true;
  }

  /**
   * A small organization tree with one person per role. Passwords are random (node:crypto) and
   * returned once to be printed, so a demo database exposed by mistake has no well-known logins.
   */
  async seedDemo(): Promise<DemoLogin[]> {
    if (await this.users.findCredentialsByEmail(DEMO_ADMIN_EMAIL)) return [];
    const acme = await this.organizations.create({ name: 'Acme Training', parentId: null });
    const engineering = await this.organizations.create({ name: 'Engineering', parentId: acme.id });
    await this.organizations.create({ name: 'Platform Team', parentId: engineering.id });
    await this.organizations.create({ name: 'Sales', parentId: acme.id });
    const people: Array<[string, string, Role, string, string]> = [
      [DEMO_ADMIN_EMAIL, 'Ada Admin', 'site_admin', acme.id, acme.name],
      ['author@demo.example.com', 'Alan Author', 'course_author', acme.id, acme.name],
      ['instructor@demo.example.com', 'Grace Instructor', 'instructor', engineering.id, engineering.name],
      ['learner1@demo.example.com', 'Linus Learner', 'learner', engineering.id, engineering.name],
      ['learner2@demo.example.com', 'Lena Learner', 'learner', engineering.id, engineering.name],
    ];
    const logins: DemoLogin[] = [];
    for (const [email, name, role, organizationId, organization] of people) {
      const password = randomBytes(12).toString('base64url');
      await this.createPerson(email, name, password, organizationId, role);
      logins.push({ email, password, role, organization });
    }
    return logins;
  }

  private async createPerson(email: string, name: string, password: string, organizationId: string, role: Role) {
    const [givenName, ...rest] = name.split(' ');
    const user = await this.users.create({
      email,
      name,
      givenName,
      familyName: rest.join(' ') || null,
      sisId: null,
      loginId: email.split('@')[0],
      organizationId,
      passwordHash: await hashPassword(password),
    });
    await this.memberships.add({ userId: user.id, organizationId, role });
  }
}
