import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MembershipRepository, OrganizationRepository, SessionRepository, UserRepository } from '@tms/core';
import { ENTITIES } from './entities';
import { dataSourceOptions } from './database/data-source-options';
import { TypeOrmMembershipRepository } from './repositories/membership.repository';
import { TypeOrmOrganizationRepository } from './repositories/organization.repository';
import { TypeOrmSessionRepository } from './repositories/session.repository';
import { TypeOrmUserRepository } from './repositories/user.repository';

const ports = [
  { provide: OrganizationRepository, useClass: TypeOrmOrganizationRepository },
  { provide: UserRepository, useClass: TypeOrmUserRepository },
  { provide: MembershipRepository, useClass: TypeOrmMembershipRepository },
  { provide: SessionRepository, useClass: TypeOrmSessionRepository },
];

/** TypeORM over the already migrated database at `url`, and the repositories behind core's ports. */
@Module({})
export class PersistenceModule {
  static forRoot(url: string): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      imports: [TypeOrmModule.forRoot(dataSourceOptions(url)), TypeOrmModule.forFeature(ENTITIES)],
      providers: ports,
      exports: ports,
    };
  }
}
