import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import {
  Membership,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  ROLES,
  type Role,
  User,
  USER_STATUSES,
  type UserStatus,
} from '@tms/core';
import { PageQueryDto } from '../shared/paging';
import { EmailAddress, IsUuidField, Nullable, OneOf, PlainText } from '../shared/validation';

export class CreateUserDto {
  @ApiProperty({ example: 'learner@example.com' })
  @EmailAddress()
  email!: string;

  @ApiProperty({ maxLength: 200 })
  @PlainText(200)
  name!: string;

  @ApiPropertyOptional({ maxLength: 100, type: String })
  @Nullable()
  @PlainText(100)
  givenName?: string | null;

  @ApiPropertyOptional({ maxLength: 100, type: String })
  @Nullable()
  @PlainText(100)
  familyName?: string | null;

  @ApiPropertyOptional({ maxLength: 100, type: String, description: 'Student information system id' })
  @Nullable()
  @PlainText(100)
  sisId?: string | null;

  @ApiPropertyOptional({ maxLength: 100, type: String })
  @Nullable()
  @PlainText(100)
  loginId?: string | null;

  @ApiPropertyOptional({
    minLength: PASSWORD_MIN_LENGTH,
    format: 'password',
    description: 'Without one the user cannot sign in locally',
  })
  @IsOptional()
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, {
    message: `password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long`,
  })
  password?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The home organization; defaults to the one top organization you manage',
  })
  @IsOptional()
  @IsUuidField()
  organizationId?: string;
}

export class UpdateUserDto extends PartialType(CreateUserDto) {
  @ApiPropertyOptional({ enum: USER_STATUSES, description: 'Suspending ends every session and token of the user' })
  @IsOptional()
  @OneOf(USER_STATUSES)
  status?: UserStatus;
}

export class UserQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only users of this organization' })
  @IsOptional()
  @IsUuidField()
  organizationId?: string;

  @ApiPropertyOptional({ description: 'Part of the name or email' })
  @IsOptional()
  @PlainText(200)
  search?: string;

  @ApiPropertyOptional({ enum: USER_STATUSES })
  @IsOptional()
  @OneOf(USER_STATUSES)
  status?: UserStatus;
}

export class CreateMembershipDto {
  @ApiProperty({ format: 'uuid' })
  @IsUuidField()
  organizationId!: string;

  @ApiProperty({ enum: ROLES })
  @OneOf(ROLES)
  role!: Role;
}

export class MembershipDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty() createdAt!: string;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) givenName!: string | null;
  @ApiProperty({ nullable: true, type: String }) familyName!: string | null;
  @ApiProperty({ nullable: true, type: String }) sisId!: string | null;
  @ApiProperty({ nullable: true, type: String }) loginId!: string | null;
  @ApiProperty({ enum: USER_STATUSES }) status!: UserStatus;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty({
    description:
      'A platform administrator: signing keys, unattributed score-ledger entries, new top-level organizations. ' +
      'Granted and revoked by another platform administrator (PUT and DELETE /api/v1/users/{id}/platform-admin)',
  })
  platformAdmin!: boolean;
  @ApiPropertyOptional({ type: [MembershipDto], description: 'In organizations you manage' })
  memberships?: MembershipDto[];
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export function toMembershipDto(membership: Membership): MembershipDto {
  return {
    id: membership.id,
    organizationId: membership.organizationId,
    role: membership.role,
    createdAt: membership.createdAt.toISOString(),
  };
}

/** Explicit fields only: nothing else of the account (such as its password hash) can leak. */
export function toUserDto(user: User & { memberships?: readonly Membership[] }): UserDto {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    givenName: user.givenName,
    familyName: user.familyName,
    sisId: user.sisId,
    loginId: user.loginId,
    status: user.status,
    organizationId: user.organizationId,
    platformAdmin: user.platformAdmin,
    ...(user.memberships ? { memberships: user.memberships.map(toMembershipDto) } : {}),
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}
