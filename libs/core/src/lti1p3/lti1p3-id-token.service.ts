import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import {
  AGS_SCOPES,
  LIS_ROLES,
  launchVariables,
  LTI_CLAIM,
  lti1p3IdTokenClaims,
  mergeCustomParameters,
  oauthConsumerKeySign,
} from '@tms/lti';
import { LtiProviderRepository } from '../catalog/lti-provider.repository';
import { Lti1p3Provider, LtiProvider } from '../catalog/lti-provider';
import { sharedSecretContext } from '../catalog/provider-support';
import { DomainError } from '../errors/domain-error';
import { UserRepository } from '../identity/user.repository';
import { PlatformKeysService } from '../keys/platform-keys.service';
import { LaunchContext } from '../launch/launch-context.service';
import { launchIdentity, previewIdentity } from '../launch/launch-identity';
import { User } from '../identity/user';
import { launchReturnPath, LaunchRecorder } from '../launch/launch-recorder';
import { LtiSettings, platformIssuer, platformUrl, toolConsumerInfo } from '../launch/lti-settings';
import { ltiContextOf, ltiResourceLinkIdIn } from '../learning/learning';
import { SecretBox } from '../security/secret-box';
import { membershipsPath } from './memberships.service';
import { AssignmentGradesService, lineItemPath, lineItemsPath } from './assignment-grades.service';

/** Minutes, not seconds (LTI Security 1.0 §5.1.2): long enough for a slow browser, short enough to be useless later. */
export const ID_TOKEN_LIFETIME_SECONDS = 300;
/** Tolerates a tool clock a little behind ours; tools such as ltijs refuse an `iat` older than 10 s. */
const IAT_BACKDATE_SECONDS = 5;

/** LIS v2 roles (LTI Core 1.3 §5.3.7, Appendix A); a preview's test learner is a TestUser. */
const ROLES = {
  learner: [LIS_ROLES.learner],
  instructor: [LIS_ROLES.instructor],
  preview: [LIS_ROLES.learner, LIS_ROLES.testUser],
} as const;

/**
 * The id_token of an LTI 1.3 resource link launch (LTI Core 1.3 §5.3–5.4), signed RS256 with the
 * platform's current key. Person claims as the provider's privacy allows, custom parameters
 * substituted, and the `lti1p1` claim when the provider replaces an LTI 1.1 one.
 */
@Injectable()
export class Lti1p3IdTokenService {
  constructor(
    private readonly users: UserRepository,
    private readonly keys: PlatformKeysService,
    private readonly recorder: LaunchRecorder,
    private readonly providers: LtiProviderRepository,
    private readonly secrets: SecretBox,
    private readonly settings: LtiSettings,
    private readonly grades: AssignmentGradesService,
  ) {}

  async resourceLinkLaunch(context: LaunchContext, nonce: string): Promise<{ idToken: string; launchId: string }> {
    const { provider, link, activity, course, kind } = context;
    if (provider.ltiVersion !== '1.3') throw new DomainError('unavailable', 'This tool has no LTI 1.3 registration');
    const registration = provider.lti1p3;
    const user = await this.users.findById(context.userId);
    if (!user || user.status !== 'active') throw new DomainError('forbidden', 'Your account cannot launch activities');
    const identity =
      kind === 'preview' ? previewIdentity(user, provider.privacy) : launchIdentity(user, provider.privacy);
    const ltiContext = ltiContextOf(course, context.courseClass);
    const resourceLink = { id: ltiResourceLinkIdIn(activity, ltiContext), title: activity.title, description: null };
    const roles = ROLES[kind];
    const pending = this.recorder.begin(context, '1.3');
    const toolPlatform = toolConsumerInfo(this.settings);
    const exp = Math.floor(Date.now() / 1000) + ID_TOKEN_LIFETIME_SECONDS;
    const claims = lti1p3IdTokenClaims({
      issuer: platformIssuer(this.settings),
      clientId: registration.clientId,
      deploymentId: registration.deploymentId,
      nonce,
      targetLinkUri: link.url,
      messageType: 'LtiResourceLinkRequest',
      userId: identity.userId,
      person: identity.person,
      roles,
      context: ltiContext,
      resourceLink,
      customParameters: mergeCustomParameters(provider.customParameters, link.customParameters),
      variables: launchVariables({
        userId: identity.userId,
        roles,
        person: identity.person,
        context: ltiContext,
        resourceLink,
        toolConsumer: toolPlatform,
        outcome: null,
      }),
      presentation: {
        documentTarget: context.documentTarget,
        width: provider.presentation.width,
        height: provider.presentation.height,
        locale: 'en-US',
        returnUrl: platformUrl(this.settings, launchReturnPath(pending.id)),
      },
      toolPlatform,
      extraClaims: {
        ...(await this.serviceClaims(context, provider, ltiContext.id)),
        ...(await this.migrationClaim(
          provider,
          kind === 'preview' ? identity.userId : user,
          exp,
          nonce,
          ltiContext.id,
          resourceLink.id,
        )),
      },
    });
    const idToken = await this.keys.signJwt(claims, ID_TOKEN_LIFETIME_SECONDS, {
      backdateSeconds: IAT_BACKDATE_SECONDS,
    });
    await pending.commit(roles, identity.piiSent);
    return { idToken, launchId: pending.id };
  }

  /**
   * Claims of the services the provider is granted, and only those (LTI Core 1.3 §6): the
   * context's line items (AGS 2.0 §3.1) with the placement's own, and the context's roster (NRPS
   * 2.0 §3.1).
   */
  private async serviceClaims(
    context: LaunchContext,
    provider: Lti1p3Provider,
    contextId: string,
  ): Promise<Record<string, unknown>> {
    const services = provider.lti1p3.services;
    const claims: Record<string, unknown> = {};
    if (services.includes('grades')) {
      const lineItem = await this.grades.lineItemAtLaunch(provider, context);
      claims[LTI_CLAIM.agsEndpoint] = {
        scope: Object.values(AGS_SCOPES),
        lineitems: platformUrl(this.settings, lineItemsPath(contextId)),
        lineitem: platformUrl(this.settings, lineItemPath(contextId, lineItem.id)),
      };
    }
    if (services.includes('roster')) {
      claims[LTI_CLAIM.nrps] = {
        context_memberships_url: platformUrl(this.settings, membershipsPath(contextId)),
        service_versions: ['2.0'],
      };
    }
    return claims;
  }

  /**
   * The `lti1p1` claim of a provider that replaces an LTI 1.1 one (1EdTech LTI 1.1 → 1.3 migration
   * guide): the 1.1 ids (unchanged: the same user id source, context and resource link ids) and
   * `oauth_consumer_key_sign` made with the 1.1 secret over the id_token's own `exp` and `nonce`.
   */
  private async migrationClaim(
    provider: Lti1p3Provider,
    person: User | string,
    exp: number,
    nonce: string,
    contextId: string,
    resourceLinkId: string,
  ): Promise<Record<string, unknown>> {
    const registration = provider.lti1p3;
    const replaced = registration.replacesProviderId
      ? await this.providers.findById(registration.replacesProviderId)
      : null;
    const sealed = replaced?.lti1p1 ? await this.providers.findSealedSecret(replaced.id) : null;
    if (!replaced?.lti1p1 || !sealed) return { exp };
    const secret = this.secrets.open(sealed, sharedSecretContext(replaced.id));
    const userId = typeof person === 'string' ? person : lti1p1UserId(person, replaced);
    return {
      exp,
      [LTI_CLAIM.lti1p1]: {
        ...(userId ? { user_id: userId } : {}),
        context_id: contextId,
        resource_link_id: resourceLinkId,
        oauth_consumer_key: replaced.lti1p1.consumerKey,
        oauth_consumer_key_sign: oauthConsumerKeySign(secret, {
          consumerKey: replaced.lti1p1.consumerKey,
          deploymentId: registration.deploymentId,
          issuer: platformIssuer(this.settings),
          clientId: registration.clientId,
          exp,
          nonce,
        }),
      },
    };
  }
}

/**
 * The `user_id` the replaced 1.1 provider knew the person by: its own user id source, which may
 * differ from the 1.3 provider's. A person the 1.1 provider could not identify gets none.
 */
function lti1p1UserId(user: User, replaced: LtiProvider): string | null {
  try {
    return launchIdentity(user, replaced.privacy).userId;
  } catch {
    return null;
  }
}

/** Opaque, unguessable hints and nonces: 256 bits from node:crypto. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}
