import { Injectable } from '@nestjs/common';
import {
  AGS_SCOPES,
  checkClientRegistration,
  checkToolUrl,
  LTI_TOOL_CONFIGURATION,
  LTI1P3_MESSAGE_TYPES,
  NRPS_SCOPES,
  PERSONAL_CLAIMS,
  PNS_SCOPES,
  ToolRegistrationRequest,
} from '@tms/lti';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Principal } from '../../access/principal';
import { AuditLog } from '../../audit/audit-log';
import { DomainError } from '../../errors/domain-error';
import { PlatformUrls } from '../../launch/platform-urls';
import { Page, PageRequest } from '../../shared/page';
import { UnitOfWork } from '../../shared/unit-of-work';
import { CatalogAccess } from '../../catalog/catalog-access';
import { LtiService, PrivacyLevel } from '../../catalog/lti-provider';
import { LtiProvidersService, ProviderView } from '../../catalog/lti-providers.service';
import { ToolKeyReadiness } from '../../catalog/tool-key-readiness';
import { DynamicRegistration, REGISTRATION_TOKEN_LIFETIME_MS, RegistrationStatus } from './dynamic-registration';
import { DynamicRegistrationRepository } from './dynamic-registration.repository';

/** RFC 7591 §3.2.2 and RFC 6750 §3.1 errors of the registration endpoint, with the reason. */
export class ClientRegistrationRefused extends DomainError {
  constructor(
    readonly oauthError: 'invalid_token' | 'invalid_client_metadata' | 'invalid_redirect_uri',
    description: string,
  ) {
    super(oauthError === 'invalid_token' ? 'unauthenticated' : 'validation_failed', description);
    this.name = 'ClientRegistrationRefused';
  }
}

export interface Approval {
  readonly availableOrganizationIds?: readonly string[];
  readonly privacy?: PrivacyLevel;
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** The services a tool's scopes and messages amount to (what approval grants). */
export function servicesAsked(request: ToolRegistrationRequest): LtiService[] {
  const services: LtiService[] = [];
  if (request.scopes.some((s) => (Object.values(AGS_SCOPES) as string[]).includes(s))) services.push('grades');
  if (request.scopes.some((s) => (Object.values(NRPS_SCOPES) as string[]).includes(s))) services.push('roster');
  if (request.messages.some((m) => m.type === LTI1P3_MESSAGE_TYPES.deepLinkingRequest)) services.push('deep_linking');
  if (request.scopes.some((s) => (Object.values(PNS_SCOPES) as string[]).includes(s))) services.push('notices');
  return services;
}

/** The privacy level that gives the tool what it asked for about people and no more. */
export function privacyAsked(request: ToolRegistrationRequest): PrivacyLevel {
  const names = ['name', 'given_name', 'family_name'].some((c) => request.claims.includes(c));
  const email = request.claims.includes('email');
  return names && email ? 'public' : names ? 'name_only' : email ? 'email_only' : 'anonymous';
}

export const personalClaimsAsked = (request: ToolRegistrationRequest) =>
  request.claims.filter((c) => PERSONAL_CLAIMS.includes(c));

/**
 * LTI Dynamic Registration 1.0, platform side (§3.3 initiation, §3.5 registration, §3.6 answer): a
 * tool registers itself with a single-use token, and what it registered waits for an administrator.
 */
@Injectable()
export class DynamicRegistrationsService {
  constructor(
    private readonly registrations: DynamicRegistrationRepository,
    private readonly catalog: CatalogAccess,
    private readonly providers: LtiProvidersService,
    private readonly keys: ToolKeyReadiness,
    private readonly urls: PlatformUrls,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditLog,
  ) {}

  /** §3.3: the URL the administrator's browser opens: the tool's, with our configuration and a fresh token. */
  async start(principal: Principal, input: { initiationUrl?: string; organizationId?: string }) {
    const scope = await this.catalog.scopeOf(principal);
    const check = checkToolUrl(input.initiationUrl ?? '');
    if (!check.ok) throw DomainError.invalidField('initiationUrl', `initiationUrl ${check.reason}`);
    const organizationId = await this.catalog.chooseOrganization(scope, input.organizationId);
    const token = randomBytes(32).toString('base64url');
    const registration = await this.uow.run(async () => {
      const created = await this.registrations.create(scope, {
        id: randomUUID(),
        organizationId,
        initiationUrl: check.url,
        tokenHash: tokenHash(token),
        tokenExpiresAt: new Date(Date.now() + REGISTRATION_TOKEN_LIFETIME_MS),
        startedBy: principal.userId,
      });
      await this.record(principal.userId, created, 'create', { initiationUrl: check.url });
      return created;
    });
    const url = new URL(check.url);
    url.searchParams.set('openid_configuration', this.urls.url('openidConfiguration'));
    url.searchParams.set('registration_token', token);
    return { registration, toolUrl: url.toString() };
  }

  /** §3.5: the tool's client registration request, authorized by the registration token as a bearer token. */
  async register(bearer: string | undefined, body: unknown) {
    const now = new Date();
    const started = bearer ? await this.registrations.findByUsableToken(tokenHash(bearer), now) : null;
    if (!started)
      throw new ClientRegistrationRefused('invalid_token', 'The registration token is unknown, used or expired');
    const check = checkClientRegistration(body);
    if (!check.ok) throw new ClientRegistrationRefused(check.error, check.description);
    const key = await this.keys.savedKeyState(check.request.jwksUri);
    if ('refused' in key) throw new ClientRegistrationRefused('invalid_client_metadata', `jwks_uri ${key.refused}`);

    return this.uow.run(async () => {
      if (!(await this.registrations.useToken(started.id, now))) {
        throw new ClientRegistrationRefused('invalid_token', 'The registration token is unknown, used or expired');
      }
      // A tool that registers again updates what it registered before, never a second provider.
      const earlier = await this.registrations.findEarlier(
        started.organizationId,
        check.request.initiateLoginUri,
        started.id,
      );
      const target = earlier ?? started;
      const tool = {
        clientId: target.clientId ?? randomUUID(),
        deploymentId: target.deploymentId ?? randomUUID(),
        request: check.request,
        providerId: target.providerId,
      };
      await this.registrations.saveRegistered(target.id, tool);
      if (earlier) await this.registrations.delete(started.id);
      await this.record(null, { ...target, organizationId: started.organizationId }, 'register', {
        clientName: check.request.clientName,
        initiateLoginUri: check.request.initiateLoginUri,
        scopes: check.request.scopes.join(' '),
        again: Boolean(earlier),
      });
      return this.answer(check.request, tool.clientId, tool.deploymentId);
    });
  }

  async get(principal: Principal, id: string): Promise<DynamicRegistration> {
    const scope = await this.catalog.scopeOf(principal);
    const registration = await this.registrations.findVisible(scope, id);
    if (!registration) throw DomainError.notFound('Registration');
    return registration;
  }

  async list(
    principal: Principal,
    query: PageRequest & { status?: RegistrationStatus },
  ): Promise<Page<DynamicRegistration>> {
    return this.registrations.list(await this.catalog.scopeOf(principal), query);
  }

  /** Creates the provider (or updates the one a tool registered again for) with the ids the tool already holds. */
  async approve(principal: Principal, id: string, approval: Approval): Promise<ProviderView> {
    const registration = await this.pending(principal, id);
    const request = registration.request!;
    const input = {
      name: request.clientName,
      loginUrl: request.initiateLoginUri,
      redirectUris: request.redirectUris,
      targetLinkUri: request.targetLinkUri,
      jwksUrl: request.jwksUri,
      services: servicesAsked(request),
      customParameters: Object.entries(request.customParameters)
        .map(([name, value]) => `${name}=${value}`)
        .join('\n'),
      privacy: approval.privacy ?? privacyAsked(request),
      availableOrganizationIds: approval.availableOrganizationIds,
    };
    return this.uow.run(async () => {
      const provider = registration.providerId
        ? await this.providers.update(principal, registration.providerId, input)
        : await this.providers.create(
            principal,
            { ...input, ltiVersion: '1.3', organizationId: registration.organizationId },
            { clientId: registration.clientId!, deploymentId: registration.deploymentId! },
          );
      await this.registrations.decide(id, 'approved', provider.id);
      await this.record(principal.userId, registration, 'approve', { providerId: provider.id, privacy: input.privacy });
      return provider;
    });
  }

  async reject(principal: Principal, id: string): Promise<void> {
    const registration = await this.pending(principal, id);
    await this.uow.run(async () => {
      await this.registrations.decide(id, 'rejected', registration.providerId);
      await this.record(principal.userId, registration, 'reject', {});
    });
  }

  private async pending(principal: Principal, id: string): Promise<DynamicRegistration> {
    const scope = await this.catalog.scopeOf(principal);
    const registration = await this.registrations.findVisible(scope, id);
    if (!registration) throw DomainError.notFound('Registration');
    await this.catalog.require(scope, registration.organizationId);
    if (registration.status !== 'pending' || !registration.request) {
      throw new DomainError('conflict', `This registration is ${registration.status}, not waiting for a decision`);
    }
    return registration;
  }

  /** §3.6: the registration as we took it, with the client_id we issued and the tool's deployment_id. */
  private answer(request: ToolRegistrationRequest, clientId: string, deploymentId: string) {
    return {
      client_id: clientId,
      application_type: 'web',
      response_types: ['id_token'],
      grant_types: ['implicit', 'client_credentials'],
      initiate_login_uri: request.initiateLoginUri,
      redirect_uris: [...request.redirectUris],
      client_name: request.clientName,
      jwks_uri: request.jwksUri,
      token_endpoint_auth_method: 'private_key_jwt',
      scope: request.scopes.join(' '),
      [LTI_TOOL_CONFIGURATION]: {
        domain: request.domain ?? new URL(request.initiateLoginUri).host,
        target_link_uri: request.targetLinkUri,
        claims: [...request.claims],
        messages: request.messages.map((m) => ({
          type: m.type,
          ...(m.targetLinkUri ? { target_link_uri: m.targetLinkUri } : {}),
          ...(m.label ? { label: m.label } : {}),
        })),
        custom_parameters: { ...request.customParameters },
        deployment_id: deploymentId,
      },
    };
  }

  private record(
    actorUserId: string | null,
    registration: Pick<DynamicRegistration, 'id' | 'organizationId'>,
    action: 'create' | 'register' | 'approve' | 'reject',
    after: Record<string, string | boolean | null>,
  ) {
    return this.audit.record({
      actorUserId,
      organizationId: registration.organizationId,
      entityType: 'lti_registration',
      entityId: registration.id,
      action,
      before: null,
      after,
    });
  }
}
