import { Injectable } from '@nestjs/common';
import {
  DomainError,
  isUuid,
  NewUser,
  Page,
  pageOffset,
  Role,
  TenantScope,
  User,
  UserChanges,
  UserGrants,
  UserListQuery,
  UserRepository,
  countHorizon,
} from '@tms/core';
import { MembershipEntity, UserEntity } from '../entities';
import { TransactionContext } from '../database/transaction-context';
import { countUpTo } from './capped-count';
import { isUniqueViolation, likeContains } from './postgres-errors';
import { inScope, listScope, requireCovered, ScopeCondition, scopeParameters } from './tenant-scope.sql';

export function toUser(entity: UserEntity): User {
  return {
    id: entity.id,
    email: entity.email,
    name: entity.name,
    givenName: entity.givenName,
    familyName: entity.familyName,
    sisId: entity.sisId,
    loginId: entity.loginId,
    status: entity.status,
    organizationId: entity.organizationId,
    platformAdmin: entity.platformAdmin,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

const EMAIL_TAKEN = () => DomainError.conflictOn('email', 'A user with this email already exists');

@Injectable()
export class TypeOrmUserRepository extends UserRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  private get repo() {
    return this.tx.repository(UserEntity);
  }

  async findById(id: string): Promise<User | null> {
    const entity = await this.repo.findOneBy({ id });
    return entity && toUser(entity);
  }

  async findByIds(ids: readonly string[]): Promise<User[]> {
    if (ids.length === 0) return [];
    // One array parameter, not one parameter per id, and rows that are Users as read (columns named
    // as User's fields, no password hash), not entities to map: a roster asks for 1,000 at once.
    return this.tx.query<User>(
      `SELECT id, email, name, given_name AS "givenName", family_name AS "familyName", sis_id AS "sisId",
              login_id AS "loginId", status, organization_id AS "organizationId", platform_admin AS "platformAdmin",
              created_at AS "createdAt", updated_at AS "updatedAt"
         FROM users WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  async findCredentialsByEmail(email: string) {
    const entity = await this.repo.createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getOne();
    return entity && { user: toUser(entity), passwordHash: entity.passwordHash };
  }

  async findGrants(userId: string): Promise<UserGrants | null> {
    if (!isUuid(userId)) return null;
    // Prepared: every request of an administrator or author asks it first (its scope).
    const [row] = await this.tx.prepared<{ platform_admin: boolean; roles: Role[] }>(
      `SELECT u.platform_admin, ARRAY(SELECT DISTINCT m.role FROM memberships m WHERE m.user_id = u.id) AS roles
         FROM users u WHERE u.id = $1`,
      [userId],
    );
    return row ? { platformAdmin: row.platform_admin, roles: row.roles } : null;
  }

  async findInScope(scope: TenantScope, id: string): Promise<User | null> {
    if (!isUuid(id)) return null;
    const entity = await this.scoped(scope).andWhere('u.id = :id', { id }).getOne();
    return entity && toUser(entity);
  }

  async findByEmailInScope(scope: TenantScope, email: string): Promise<User | null> {
    const entity = await this.scoped(scope).andWhere('lower(u.email) = lower(:email)', { email }).getOne();
    return entity && toUser(entity);
  }

  async list(scope: TenantScope, query: UserListQuery): Promise<Page<User>> {
    const qb = this.scoped(scope, await listScope(this.tx, scope))
      .orderBy('u.name', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .skip(pageOffset(query))
      .take(query.limit);
    if (query.organizationId)
      qb.andWhere('u.organization_id = :organizationId', { organizationId: query.organizationId });
    if (query.status) qb.andWhere('u.status = :status', { status: query.status });
    if (query.search) {
      qb.andWhere(`(u.name ILIKE :search ESCAPE '\\' OR u.email ILIKE :search ESCAPE '\\')`, {
        search: likeContains(query.search),
      });
    }
    // Counted no further than the page's horizon: an exact total is a scan of every person the admin manages.
    const counted = await countUpTo(this.tx, qb, countHorizon(query));
    const entities = await qb.getMany();
    return { items: entities.map(toUser), ...counted, page: query.page, limit: query.limit };
  }

  async hasAny(): Promise<boolean> {
    return (await this.repo.count({ take: 1 })) > 0;
  }

  async create(scope: TenantScope, input: NewUser): Promise<User> {
    return this.tx.run(async () => {
      await requireCovered(this.tx, scope, input.organizationId, 'Organization');
      return this.insert(input);
    });
  }

  async createForBootstrap(
    input: NewUser,
    grant: { role: Role; organizationId: string; platformAdmin: boolean },
  ): Promise<User> {
    return this.tx.run(async () => {
      const user = await this.insert({ ...input, platformAdmin: grant.platformAdmin });
      await this.tx
        .repository(MembershipEntity)
        .insert({ userId: user.id, organizationId: grant.organizationId, role: grant.role });
      return user;
    });
  }

  async update(scope: TenantScope, id: string, changes: UserChanges): Promise<User> {
    const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    return this.tx.run(async () => {
      await this.requireInScope(scope, id);
      if (changes.organizationId !== undefined) {
        await requireCovered(this.tx, scope, changes.organizationId, 'Organization');
      }
      try {
        if (Object.keys(defined).length > 0) await this.repo.update({ id }, defined);
      } catch (error) {
        if (isUniqueViolation(error, 'users_email_uq')) throw EMAIL_TAKEN();
        throw error;
      }
      return toUser(await this.repo.findOneByOrFail({ id }));
    });
  }

  async setPlatformAdmin(scope: TenantScope, id: string, platformAdmin: boolean): Promise<User> {
    return this.tx.run(async () => {
      await this.requireInScope(scope, id);
      await this.repo.update({ id }, { platformAdmin });
      return toUser(await this.repo.findOneByOrFail({ id }));
    });
  }

  async setPlatformAdminByOperator(email: string, platformAdmin: boolean): Promise<User | null> {
    const found = await this.findCredentialsByEmail(email);
    if (!found) return null;
    await this.repo.update({ id: found.user.id }, { platformAdmin });
    return toUser(await this.repo.findOneByOrFail({ id: found.user.id }));
  }

  private scoped(scope: TenantScope, covered: ScopeCondition = inScope) {
    return this.repo.createQueryBuilder('u').where(covered('u.organization_id'), scopeParameters(scope));
  }

  private async requireInScope(scope: TenantScope, id: string): Promise<void> {
    if (!(await this.findInScope(scope, id))) throw DomainError.notFound('User');
  }

  private async insert(input: NewUser & { platformAdmin?: boolean }): Promise<User> {
    try {
      return toUser(await this.repo.save(this.repo.create(input)));
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_uq')) throw EMAIL_TAKEN();
      throw error;
    }
  }
}
