import { Injectable } from '@nestjs/common';
import type { TenantScope } from '../access/tenant-scope';
import { AuditLog } from '../audit/audit-log';
import { FieldProblems } from '../errors/field-problems';
import { maskSecret, SecretBox } from '../security/secret-box';
import { UnitOfWork } from '../shared/unit-of-work';
import {
  CatalogStatus,
  CompatibilitySwitch,
  KEY_READY,
  Lti1p1Provider,
  LtiProvider,
  LtiService,
  LtiVersion,
  PresentationTarget,
  PrivacyLevel,
  ToolKeyState,
  UserIdSource,
} from './lti-provider';
import { publicKeyPemField, redirectUrisField, toolUrlField } from './provider-validation';
import { ToolKeyReadiness } from './tool-key-readiness';
import { LtiProviderRepository } from './lti-provider.repository';
import { AccessTokenRepository } from './access-token.repository';

export interface ProviderInput {
  readonly name?: string;
  readonly organizationId?: string;
  readonly ltiVersion?: LtiVersion;
  readonly status?: CatalogStatus;
  readonly consumerKey?: string;
  readonly sharedSecret?: string;
  readonly contentItemUrl?: string | null;
  readonly loginUrl?: string;
  readonly redirectUris?: readonly string[];
  readonly targetLinkUri?: string;
  readonly jwksUrl?: string | null;
  readonly publicKeyPem?: string | null;
  readonly services?: readonly LtiService[];
  readonly compatibility?: readonly CompatibilitySwitch[];
  readonly platformStorage?: boolean;
  readonly replacesProviderId?: string | null;
  readonly customParameters?: string;
  readonly privacy?: PrivacyLevel;
  readonly userIdSource?: UserIdSource;
  readonly presentation?: PresentationTarget;
  readonly frameWidth?: number | null;
  readonly frameHeight?: number | null;
  readonly availableOrganizationIds?: readonly string[];
}

/** The additional data that binds a sealed 1.1 secret to its provider row. */
export const sharedSecretContext = (providerId: string) => `lti_provider:${providerId}:shared_secret`;

/** Version-specific checks and the collaborators a write needs (kept apart to keep the service small). */
@Injectable()
export class ProviderSupport {
  constructor(
    readonly uow: UnitOfWork,
    readonly audit: AuditLog,
    readonly secrets: SecretBox,
    private readonly keys: ToolKeyReadiness,
    private readonly providers: LtiProviderRepository,
    readonly accessTokens: AccessTokenRepository,
  ) {}

  lti1p1For(input: ProviderInput, _current: undefined, problems: FieldProblems) {
    if (!input.consumerKey) problems.add('consumerKey', 'consumerKey is required for LTI 1.1');
    if (!input.sharedSecret) problems.add('sharedSecret', 'sharedSecret is required for LTI 1.1');
    const contentItemUrl = input.contentItemUrl ? toolUrlField(input.contentItemUrl, 'contentItemUrl', problems) : null;
    return { consumerKey: input.consumerKey ?? '', contentItemUrl: contentItemUrl ?? null };
  }

  lti1p1Changes(id: string, input: ProviderInput, current: Lti1p1Provider, problems: FieldProblems) {
    if ([input.consumerKey, input.sharedSecret, input.contentItemUrl].every((v) => v === undefined)) return undefined;
    if (input.consumerKey === '') problems.add('consumerKey', 'consumerKey cannot be empty');
    if (input.sharedSecret === '') problems.add('sharedSecret', 'sharedSecret cannot be empty');
    return {
      consumerKey: input.consumerKey ?? current.lti1p1.consumerKey,
      ...(input.contentItemUrl !== undefined
        ? {
            contentItemUrl: input.contentItemUrl
              ? (toolUrlField(input.contentItemUrl, 'contentItemUrl', problems) ?? null)
              : null,
          }
        : {}),
      ...(input.sharedSecret
        ? {
            sealedSecret: this.secrets.seal(input.sharedSecret, sharedSecretContext(id)),
            secretMask: maskSecret(input.sharedSecret),
          }
        : {}),
    };
  }

  /** The 1.3 registration after this input: every URL and the key checked (the JWKS URL fetched). */
  async lti1p3For(input: ProviderInput, current: LtiProvider | undefined, problems: FieldProblems, scope: TenantScope) {
    const existing = current?.lti1p3;
    const touched = [
      input.loginUrl,
      input.redirectUris,
      input.targetLinkUri,
      input.jwksUrl,
      input.publicKeyPem,
      input.services,
      input.compatibility,
      input.platformStorage,
      input.replacesProviderId,
    ].some((value) => value !== undefined);
    if (existing && !touched) return undefined;
    const loginUrl = toolUrlField(
      input.loginUrl ?? existing?.loginUrl ?? missing('loginUrl', problems),
      'loginUrl',
      problems,
    );
    const redirectUris = redirectUrisField(input.redirectUris ?? existing?.redirectUris ?? [], problems);
    const targetLinkUri = toolUrlField(
      input.targetLinkUri ?? existing?.targetLinkUri ?? missing('targetLinkUri', problems),
      'targetLinkUri',
      problems,
    );
    const key = await this.keySource(input, existing, problems);
    const replacesProviderId = await this.replacedProvider(input, existing, problems, scope);
    return {
      loginUrl: loginUrl ?? '',
      redirectUris: redirectUris ?? [],
      targetLinkUri: targetLinkUri ?? '',
      jwksUrl: key.jwksUrl,
      publicKeyPem: key.publicKeyPem,
      key: key.state,
      services: [...new Set(input.services ?? existing?.services ?? [])],
      compatibility: [...new Set(input.compatibility ?? existing?.compatibility ?? [])],
      platformStorage: input.platformStorage ?? existing?.platformStorage ?? false,
      replacesProviderId,
    };
  }

  /**
   * The LTI 1.1 provider a 1.3 one replaces: one the admin manages (its secret signs the migration
   * claim, so another tenant's may never be named).
   */
  private async replacedProvider(
    input: ProviderInput,
    existing: LtiProvider['lti1p3'] | undefined,
    problems: FieldProblems,
    scope: TenantScope,
  ): Promise<string | null> {
    const id =
      input.replacesProviderId !== undefined ? input.replacesProviderId : (existing?.replacesProviderId ?? null);
    if (!id || id === existing?.replacesProviderId) return id;
    const replaced = await this.providers.findOwned(scope, id);
    if (!replaced || replaced.ltiVersion !== '1.1') {
      problems.add(
        'replacesProviderId',
        'replacesProviderId must name an LTI 1.1 provider of an organization you manage',
      );
    }
    return id;
  }

  /**
   * Exactly one of JWKS URL and PEM; giving one replaces the other. A JWKS URL that serves no usable
   * key yet is saved all the same, the provider waiting for the tool's key (ToolKeyReadiness).
   */
  private async keySource(
    input: ProviderInput,
    existing: LtiProvider['lti1p3'] | undefined,
    problems: FieldProblems,
  ): Promise<{ jwksUrl: string | null; publicKeyPem: string | null; state: ToolKeyState }> {
    const jwksGiven = input.jwksUrl != null;
    const pemGiven = input.publicKeyPem != null;
    if (jwksGiven && pemGiven) {
      problems.add('jwksUrl', 'Give either jwksUrl or publicKeyPem, not both');
      return { jwksUrl: null, publicKeyPem: null, state: KEY_READY };
    }
    if (pemGiven) {
      return {
        jwksUrl: null,
        publicKeyPem: publicKeyPemField(input.publicKeyPem!, problems) ?? null,
        state: KEY_READY,
      };
    }
    if (jwksGiven) {
      const url = toolUrlField(input.jwksUrl!, 'jwksUrl', problems);
      if (existing && url === existing.jwksUrl) return { jwksUrl: url, publicKeyPem: null, state: existing.key };
      // Fetched only when everything else is right: no outbound request for a form that fails anyway.
      if (!url || !problems.isEmpty) return { jwksUrl: url ?? null, publicKeyPem: null, state: KEY_READY };
      const saved = await this.keys.savedKeyState(url);
      if ('refused' in saved) problems.add('jwksUrl', `jwksUrl ${saved.refused}`);
      return { jwksUrl: url, publicKeyPem: null, state: 'state' in saved ? saved.state : KEY_READY };
    }
    const kept = {
      jwksUrl: input.jwksUrl === null ? null : (existing?.jwksUrl ?? null),
      publicKeyPem: input.publicKeyPem === null ? null : (existing?.publicKeyPem ?? null),
    };
    if (!kept.jwksUrl && !kept.publicKeyPem) {
      problems.add('jwksUrl', 'The tool’s public key is required: a jwksUrl or a publicKeyPem');
    }
    return { ...kept, state: kept.publicKeyPem ? KEY_READY : (existing?.key ?? KEY_READY) };
  }

  refuseOtherVersionFields(input: ProviderInput, problems: FieldProblems): void {
    const only1p1 = {
      consumerKey: input.consumerKey,
      sharedSecret: input.sharedSecret,
      contentItemUrl: input.contentItemUrl,
    };
    const only1p3 = {
      loginUrl: input.loginUrl,
      redirectUris: input.redirectUris,
      targetLinkUri: input.targetLinkUri,
      jwksUrl: input.jwksUrl,
      publicKeyPem: input.publicKeyPem,
      services: input.services,
      compatibility: input.compatibility,
      // A form's unticked checkbox says false for a version it does not apply to: only true is foreign.
      platformStorage: input.platformStorage || undefined,
      replacesProviderId: input.replacesProviderId,
    };
    const foreign = input.ltiVersion === '1.1' ? only1p3 : input.ltiVersion === '1.3' ? only1p1 : {};
    for (const [field, value] of Object.entries(foreign)) {
      if (value !== undefined && value !== null)
        problems.add(field, `${field} does not apply to LTI ${input.ltiVersion}`);
    }
  }
}

function missing(field: string, problems: FieldProblems): undefined {
  problems.add(field, `${field} is required for LTI 1.3`);
  return undefined;
}
