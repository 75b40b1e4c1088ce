import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import {
  CATALOG_STATUSES,
  type CatalogStatus,
  COMPATIBILITY_SWITCHES,
  CompatibilitySwitch,
  LTI_SERVICES,
  LTI_VERSIONS,
  type LtiService,
  type LtiVersion,
  PlatformUrls,
  PRESENTATION_TARGETS,
  type PresentationTarget,
  PRIVACY_LEVELS,
  type PrivacyLevel,
  ProviderView,
  USER_ID_SOURCES,
  type UserIdSource,
} from '@tms/core';
import { formatCustomParameters, PUBLIC_KEY_PEM_MAX_LENGTH, TOOL_URL_MAX_LENGTH } from '@tms/lti';
import { ListInput } from '../shared/list-input';
import { FormBoolean, IsUuidField, Nullable, OneOf, PlainText } from '../shared/validation';
import { CatalogQueryDto } from './catalog-query.dto';
import { ToolKeyDto, toToolKeyDto } from './tool-key.dto';
import { CustomParametersText, RequiredForVersion, ToolUrl, ToolUrls } from './tool-fields';

export class CreateProviderDto {
  @ApiProperty({ maxLength: 200 })
  @PlainText(200)
  name!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Owning organization; defaults to the one top organization you manage',
  })
  @IsOptional()
  @IsUuidField()
  organizationId?: string;

  @ApiProperty({ enum: LTI_VERSIONS })
  @OneOf(LTI_VERSIONS)
  ltiVersion!: LtiVersion;

  @ApiPropertyOptional({ enum: CATALOG_STATUSES, default: 'active' })
  @IsOptional()
  @OneOf(CATALOG_STATUSES)
  status?: CatalogStatus;

  @ApiPropertyOptional({ maxLength: 255, description: 'LTI 1.1: the consumer key the tool vendor gave you' })
  @RequiredForVersion('1.1')
  @PlainText(255)
  consumerKey?: string;

  @ApiPropertyOptional({
    maxLength: 512,
    format: 'password',
    writeOnly: true,
    description: 'LTI 1.1: the shared secret; stored encrypted, never returned (responses show it masked)',
  })
  @RequiredForVersion('1.1')
  @PlainText(512)
  sharedSecret?: string;

  @ApiPropertyOptional({
    type: String,
    description:
      'LTI 1.1: where the tool takes Content-Item selection requests (authors pick content in the tool); null: it does not',
  })
  @Nullable()
  @IsString()
  @MaxLength(TOOL_URL_MAX_LENGTH)
  @ToolUrl()
  contentItemUrl?: string | null;

  @ApiPropertyOptional({ description: 'LTI 1.3: the tool’s OIDC login initiation URL (https)' })
  @RequiredForVersion('1.3')
  @IsString()
  @MaxLength(TOOL_URL_MAX_LENGTH)
  @ToolUrl()
  loginUrl?: string;

  @ApiPropertyOptional({ type: [String], description: 'LTI 1.3: the tool’s redirect URIs, matched exactly at launch' })
  @RequiredForVersion('1.3')
  @ListInput(true)
  @IsArray({ message: 'redirectUris must be a list of URIs' })
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @ToolUrls()
  redirectUris?: string[];

  @ApiPropertyOptional({ description: 'LTI 1.3: the default target link URI' })
  @RequiredForVersion('1.3')
  @IsString()
  @MaxLength(TOOL_URL_MAX_LENGTH)
  @ToolUrl()
  targetLinkUri?: string;

  @ApiPropertyOptional({
    type: String,
    description: 'LTI 1.3: the tool’s JWKS URL (or give publicKeyPem)',
  })
  @Nullable()
  @IsString()
  @MaxLength(TOOL_URL_MAX_LENGTH)
  @ToolUrl()
  jwksUrl?: string | null;

  @ApiPropertyOptional({
    type: String,
    description: 'LTI 1.3: the tool’s RSA public key in PEM (or give jwksUrl)',
  })
  @Nullable()
  @IsString()
  @MaxLength(PUBLIC_KEY_PEM_MAX_LENGTH)
  publicKeyPem?: string | null;

  @ApiPropertyOptional({ enum: LTI_SERVICES, isArray: true, description: 'LTI 1.3: services the tool may use' })
  @IsOptional()
  @ListInput()
  @IsArray()
  @OneOf(LTI_SERVICES, { each: true })
  services?: LtiService[];

  @ApiPropertyOptional({
    enum: COMPATIBILITY_SWITCHES,
    isArray: true,
    description:
      'LTI 1.3: allowances for a tool that deviates from the specs (strict without them); ags_plain_json accepts AGS bodies sent as application/json',
  })
  @IsOptional()
  @ListInput()
  @IsArray()
  @OneOf(COMPATIBILITY_SWITCHES, { each: true })
  compatibility?: CompatibilitySwitch[];

  @ApiPropertyOptional({
    default: false,
    description:
      'LTI 1.3: the tool keeps its OIDC login state in the platform storage of our launch page (LTI Platform Storage, ' +
      'postMessage: lti.put_data / lti.get_data with lti_storage_target) when it cannot set a cookie. A tool on another ' +
      'site than the platform then opens in the frame the presentation asks for; without it, such a tool opens in a ' +
      'new window, because browsers that block third-party cookies would drop its state cookie inside our page',
  })
  @IsOptional()
  @FormBoolean()
  @IsBoolean({ message: 'platformStorage must be true or false' })
  platformStorage?: boolean;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    description:
      'LTI 1.3: the LTI 1.1 provider this one replaces; its launches then carry the lti1p1 migration claim (same user, context and resource link ids)',
  })
  @Nullable()
  @IsUuidField()
  replacesProviderId?: string | null;

  @ApiPropertyOptional({
    example: 'course_code=$Context.label\nlevel=advanced',
    description: 'One name=value per line',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200_000)
  @CustomParametersText()
  customParameters?: string;

  @ApiPropertyOptional({
    enum: PRIVACY_LEVELS,
    default: 'public',
    description: 'What a launch tells the tool about the person',
  })
  @IsOptional()
  @OneOf(PRIVACY_LEVELS)
  privacy?: PrivacyLevel;

  @ApiPropertyOptional({
    enum: USER_ID_SOURCES,
    default: 'internal',
    description: 'Which id the tool receives as the user id',
  })
  @IsOptional()
  @OneOf(USER_ID_SOURCES)
  userIdSource?: UserIdSource;

  @ApiPropertyOptional({ enum: PRESENTATION_TARGETS, default: 'iframe' })
  @IsOptional()
  @OneOf(PRESENTATION_TARGETS)
  presentation?: PresentationTarget;

  @ApiPropertyOptional({
    type: Number,
    minimum: 100,
    maximum: 10000,
    description: 'Frame or window width (px)',
  })
  @Nullable()
  @Type(() => Number)
  @IsInt({ message: 'frameWidth must be a whole number of pixels' })
  @Min(100)
  @Max(10000)
  frameWidth?: number | null;

  @ApiPropertyOptional({
    type: Number,
    minimum: 100,
    maximum: 10000,
    description: 'Frame or window height (px)',
  })
  @Nullable()
  @Type(() => Number)
  @IsInt({ message: 'frameHeight must be a whole number of pixels' })
  @Min(100)
  @Max(10000)
  frameHeight?: number | null;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: 'Organizations (you manage) where it can be used, with their sub-organizations; defaults to the owner',
  })
  @IsOptional()
  @ListInput()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUuidField({ each: true })
  availableOrganizationIds?: string[];
}

export class UpdateProviderDto extends PartialType(CreateProviderDto) {}

export class ProviderQueryDto extends CatalogQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only active providers usable in this organization' })
  @IsOptional()
  @IsUuidField()
  usableIn?: string;

  @ApiPropertyOptional({ enum: LTI_VERSIONS })
  @IsOptional()
  @OneOf(LTI_VERSIONS)
  ltiVersion?: LtiVersion;
}

/** The provider picker's search: part of a name, usable in an organization. */
export class ProviderSearchDto {
  @IsOptional()
  @PlainText(200, 0)
  q?: string;

  @IsOptional()
  @IsUuidField()
  organizationId?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(50)
  limit?: number;
}

export class PlatformDetailsDto {
  @ApiProperty() issuer!: string;
  @ApiProperty() clientId!: string;
  @ApiProperty() deploymentId!: string;
  @ApiProperty() authorizationUrl!: string;
  @ApiProperty() tokenUrl!: string;
  @ApiProperty() jwksUrl!: string;
  @ApiProperty() deepLinkingReturnUrl!: string;
  @ApiProperty({ description: 'Our OpenID configuration (LTI Dynamic Registration 1.0 §3.4)' })
  openidConfigurationUrl!: string;
}

export class ProviderDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty({ enum: LTI_VERSIONS }) ltiVersion!: LtiVersion;
  @ApiProperty({ enum: CATALOG_STATUSES }) status!: CatalogStatus;
  @ApiProperty({ description: 'One name=value per line' }) customParameters!: string;
  @ApiProperty({ enum: PRIVACY_LEVELS }) privacy!: PrivacyLevel;
  @ApiProperty({ enum: USER_ID_SOURCES }) userIdSource!: UserIdSource;
  @ApiProperty({ enum: PRESENTATION_TARGETS }) presentation!: PresentationTarget;
  @ApiProperty({ nullable: true, type: Number }) frameWidth!: number | null;
  @ApiProperty({ nullable: true, type: Number }) frameHeight!: number | null;
  @ApiProperty({ type: [String], description: 'Among the organizations you manage' })
  availableOrganizationIds!: string[];
  @ApiProperty({ description: 'Whether you may change it (false: available to you, owned elsewhere)' })
  managed!: boolean;
  @ApiPropertyOptional() consumerKey?: string;
  @ApiPropertyOptional({ description: 'The shared secret, masked' }) sharedSecretMask?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) contentItemUrl?: string | null;
  @ApiPropertyOptional() loginUrl?: string;
  @ApiPropertyOptional({ type: [String] }) redirectUris?: string[];
  @ApiPropertyOptional() targetLinkUri?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) jwksUrl?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) publicKeyPem?: string | null;
  @ApiPropertyOptional({ type: ToolKeyDto }) toolKey?: ToolKeyDto;
  @ApiPropertyOptional({ enum: LTI_SERVICES, isArray: true }) services?: LtiService[];
  @ApiPropertyOptional({ enum: COMPATIBILITY_SWITCHES, isArray: true }) compatibility?: CompatibilitySwitch[];
  @ApiPropertyOptional({ description: 'LTI 1.3: the tool uses LTI platform storage' }) platformStorage?: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) replacesProviderId?: string | null;
  @ApiPropertyOptional({ type: PlatformDetailsDto, description: 'LTI 1.3: what to give the tool vendor' })
  platform?: PlatformDetailsDto;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class ProviderUsageDto {
  @ApiProperty() resourceLinks!: number;
  @ApiProperty() activities!: number;
}

/** Explicit fields only: the sealed secret is not even part of the domain object, and is never mapped. */
export function toProviderDto(provider: ProviderView, urls: PlatformUrls): ProviderDto {
  return {
    id: provider.id,
    name: provider.name,
    organizationId: provider.organizationId,
    ltiVersion: provider.ltiVersion,
    status: provider.status,
    customParameters: formatCustomParameters(provider.customParameters),
    privacy: provider.privacy.level,
    userIdSource: provider.privacy.userIdSource,
    presentation: provider.presentation.target,
    frameWidth: provider.presentation.width,
    frameHeight: provider.presentation.height,
    availableOrganizationIds: [...provider.availableOrganizationIds],
    managed: provider.managed,
    ...(provider.lti1p1
      ? {
          consumerKey: provider.lti1p1.consumerKey,
          sharedSecretMask: provider.lti1p1.secretMask,
          contentItemUrl: provider.lti1p1.contentItemUrl,
        }
      : {}),
    ...(provider.lti1p3
      ? {
          loginUrl: provider.lti1p3.loginUrl,
          redirectUris: [...provider.lti1p3.redirectUris],
          targetLinkUri: provider.lti1p3.targetLinkUri,
          jwksUrl: provider.lti1p3.jwksUrl,
          publicKeyPem: provider.lti1p3.publicKeyPem,
          toolKey: toToolKeyDto(provider.lti1p3.key),
          services: [...provider.lti1p3.services],
          compatibility: [...provider.lti1p3.compatibility],
          platformStorage: provider.lti1p3.platformStorage,
          replacesProviderId: provider.lti1p3.replacesProviderId,
          platform: {
            ...urls.platformEndpoints(),
            clientId: provider.lti1p3.clientId,
            deploymentId: provider.lti1p3.deploymentId,
          },
        }
      : {}),
    createdAt: provider.createdAt.toISOString(),
    updatedAt: provider.updatedAt.toISOString(),
  };
}
