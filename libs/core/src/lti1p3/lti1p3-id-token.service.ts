import { decodeJwt } from 'jose';
import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import {
  AGS_SCOPES,
  CustomParameter,
  FOR_USER_CLAIM,
  LIS_ROLES,
  launchVariables,
  LTI_CLAIM,
  lti1p3IdTokenClaims,
  mergeCustomParameters,
  PNS_CLAIM,
  pnsClaim,
} from '@tms/lti';
import { Lti1p3Provider } from '../catalog/lti-provider';
import { DomainError } from '../errors/domain-error';
import { UserRepository } from '../identity/user.repository';
import { PlatformKeysService } from '../keys/platform-keys.service';
import { LaunchContext } from '../launch/launch-context.service';
import { launchIdentity, previewIdentity } from '../launch/launch-identity';
import { LaunchRecorder } from '../launch/launch-recorder';
import type { OidcExchange } from '../launch/launch-sent';
import { LtiSettings, toolConsumerInfo } from '../launch/lti-settings';
import { PlatformUrls } from '../launch/platform-urls';
import { ltiContextOf, ltiResourceLinkOf } from '../learning/lti-context';
import { LineItemsService } from './ags/line-items.service';
import { MigrationClaim } from './migration-claim';
import type { ReviewLaunch } from './submission-reviews';

/** Minutes, not seconds (LTI Security 1.0 §5.1.2): long enough for a slow browser, short enough to be useless later. */
export const ID_TOKEN_LIFETIME_SECONDS = 300;
/** Tolerates a tool clock a little behind ours; tools such as ltijs refuse an `iat` older than 10 s. */
export const IAT_BACKDATE_SECONDS = 5;

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
    private readonly settings: LtiSettings,
    private readonly urls: PlatformUrls,
    private readonly lineItems: LineItemsService,
    private readonly migration: MigrationClaim,
  ) {}

  /**
   * With `review`, an `LtiSubmissionReviewRequest` instead (SRS 1.0 §3): to the review URL, with the
   * `for_user` claim, the AGS claim naming the reviewed line item, and the review's custom parameters
   * over the link's.
   */
  async resourceLinkLaunch(
    context: LaunchContext,
    nonce: string,
    review?: ReviewLaunch,
    exchange?: OidcExchange,
    /** The current platform key's kid when the caller's statement read it (saves reading it again). */
    signingKid?: string | null,
  ): Promise<{ idToken: string; launchId: string }> {
    const { provider, link, activity, course, kind } = context;
    if (provider.ltiVersion !== '1.3') throw new DomainError('unavailable', 'This tool has no LTI 1.3 registration');
    const registration = provider.lti1p3;
    const user = context.person ?? (await this.users.findById(context.userId));
    if (!user || user.status !== 'active') throw new DomainError('forbidden', 'Your account cannot launch activities');
    const identity =
      kind === 'preview' ? previewIdentity(user, provider.privacy) : launchIdentity(user, provider.privacy);
    const ltiContext = ltiContextOf(course, context.courseClass);
    const resourceLink = ltiResourceLinkOf(activity, ltiContext);
    const roles = ROLES[kind];
    const pending = this.recorder.begin(context, '1.3');
    const toolPlatform = toolConsumerInfo(this.settings);
    const exp = Math.floor(Date.now() / 1000) + ID_TOKEN_LIFETIME_SECONDS;
    const claims = lti1p3IdTokenClaims({
      issuer: this.urls.issuer,
      clientId: registration.clientId,
      deploymentId: registration.deploymentId,
      nonce,
      targetLinkUri: review?.targetLinkUri ?? link.url,
      messageType: review ? 'LtiSubmissionReviewRequest' : 'LtiResourceLinkRequest',
      userId: identity.userId,
      person: identity.person,
      roles,
      context: ltiContext,
      resourceLink,
      customParameters: mergeCustomParameters(
        mergeCustomParameters(provider.customParameters, link.customParameters),
        reviewCustom(review),
      ),
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
        returnUrl: this.urls.url('launchReturn', { launchId: pending.id }),
      },
      toolPlatform,
      extraClaims: {
        ...(await this.serviceClaims(context, provider, ltiContext.id, review)),
        ...(review ? { [FOR_USER_CLAIM]: review.forUser } : {}),
        ...(await this.migration.claims({
          provider,
          person: kind === 'preview' ? identity.userId : user,
          exp,
          nonce,
          contextId: ltiContext.id,
          resourceLinkId: resourceLink.id,
        })),
      },
    });
    const idToken = await this.keys.signJwt(claims, ID_TOKEN_LIFETIME_SECONDS, {
      backdateSeconds: IAT_BACKDATE_SECONDS,
      currentKid: signingKid ?? undefined,
    });
    // What the tool receives is the signed payload (iat, exp and the signer's claims included).
    await pending.commit(
      roles,
      identity.piiSent,
      { version: '1.3', claims: decodeJwt(idToken), exchange },
      identity.person,
    );
    return { idToken, launchId: pending.id };
  }

  /**
   * Claims of the services the provider is granted, and only those (LTI Core 1.3 §6): the
   * context's line items (AGS 2.0 §3.1) with the placement's own, and the context's roster (NRPS
   * 2.0 §3.1), and the notice handler endpoint (LTI PNS 1.0).
   */
  private async serviceClaims(
    context: LaunchContext,
    provider: Lti1p3Provider,
    contextId: string,
    review?: ReviewLaunch,
  ): Promise<Record<string, unknown>> {
    const services = provider.lti1p3.services;
    const claims: Record<string, unknown> = {};
    if (services.includes('grades')) {
      // SRS 1.0 §3.3: a review names the line item the reviewed work was scored on.
      const lineItem = review?.lineItem ?? (await this.lineItems.lineItemAtLaunch(provider, context));
      claims[LTI_CLAIM.agsEndpoint] = {
        scope: Object.values(AGS_SCOPES),
        lineitems: this.urls.url('lineItems', { contextId }),
        lineitem: this.urls.url('lineItem', { contextId, lineItemId: lineItem.id }),
      };
    }
    if (services.includes('roster')) {
      claims[LTI_CLAIM.nrps] = {
        context_memberships_url: this.urls.url('memberships', { contextId }),
        service_versions: ['2.0'],
      };
    }
    if (services.includes('notices')) claims[PNS_CLAIM] = pnsClaim(this.urls.url('noticeHandlers'));
    return claims;
  }
}

/** `submissionReview.custom` as custom parameters (they override the link's, SRS 1.0 §2.1). */
function reviewCustom(review: ReviewLaunch | undefined): CustomParameter[] {
  return Object.entries(review?.review.custom ?? {}).map(([name, value]) => ({ name, value }));
}

/** Opaque, unguessable hints and nonces: 256 bits from node:crypto. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}
