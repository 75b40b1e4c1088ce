import { In } from 'typeorm';
import { Injectable } from '@nestjs/common';
import { DomainError, NewUser, Page, pageOffset, User, UserChanges, UserListQuery, UserRepository } from '@tms/core';
import { UserEntity } from '../entities';
import { TransactionContext } from '../database/transaction-context';
import { isUniqueViolation, likeContains } from './postgres-errors';

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
    return (await this.repo.findBy({ id: In([...ids]) })).map(toUser);
  }

  async findCredentialsByEmail(email: string) {
    const entity = await this.repo.createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getOne();
    return entity && { user: toUser(entity), passwordHash: entity.passwordHash };
  }

  async list(query: UserListQuery): Promise<Page<User>> {
    if (query.organizationIds.length === 0) return { items: [], total: 0, page: query.page, limit: query.limit };
    const qb = this.repo
      .createQueryBuilder('u')
      .where('u.organization_id IN (:...organizationIds)', { organizationIds: query.organizationIds })
      .orderBy('u.name', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .skip(pageOffset(query))
      .take(query.limit);
    if (query.status) qb.andWhere('u.status = :status', { status: query.status });
    if (query.search) {
      qb.andWhere(`(u.name ILIKE :search ESCAPE '\\' OR u.email ILIKE :search ESCAPE '\\')`, {
        search: likeContains(query.search),
      });
    }
    const [entities, total] = await qb.getManyAndCount();
    return { items: entities.map(toUser), total, page: query.page, limit: query.limit };
  }

  async hasAny(): Promise<boolean> {
    return (await this.repo.count({ take: 1 })) > 0;
  }

  async create(input: NewUser): Promise<User> {
    try {
      return toUser(await this.repo.save(this.repo.create(input)));
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_uq')) throw EMAIL_TAKEN();
      throw error;
    }
  }

  async update(id: string, changes: UserChanges): Promise<User> {
    const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    try {
      if (Object.keys(defined).length > 0) await this.repo.update({ id }, defined);
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_uq')) throw EMAIL_TAKEN();
      throw error;
    }
    return toUser(await this.repo.findOneByOrFail({ id }));
  }
}
