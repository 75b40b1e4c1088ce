import { Injectable, Logger } from '@nestjs/common';
import { AuthorizationRequest, checkAuthorizationRequest } from '@tms/lti';
import { Principal, SessionCheck } from '../access/principal';
import { ToolKeyReadiness } from '../catalog/tool-key-readiness';
import { DomainError } from '../errors/domain-error';
import { LaunchContext, LaunchContextService } from '../launch/launch-context.service';
import { isFramed, PresentationPath } from '../launch/launch-presentation';
import type { OidcExchange } from '../launch/launch-sent';
import { PlatformUrls } from '../launch/platform-urls';
import { SignedLaunchForm } from '../launch/signed-launch-form';
import { Lti1p3Clients } from './lti1p3-clients';
import { Lti1p3DeepLinkingRequestService } from './lti1p3-deep-linking.service';
import { Lti1p3IdTokenService, randomToken } from './lti1p3-id-token.service';
import { isLti1p3, Lti1p3Provider, LtiProvider } from '../catalog/lti-provider';
import { HintClaim, MessageHint, MessageHintRepository, SelfTestRole } from './message-hint.repository';
import { Lti1p3TestLaunch } from './lti1p3-test-launch';
import { RefusedAuthorizations } from './refused-authorizations';
import { ReviewLaunch, SubmissionReviews } from './submission-reviews';

/** A login initiation lives this long: the tool redirects back within seconds. */
const HINT_LIFETIME_MS = 5 * 60 * 1000;

/**
 * The name of the frame on a framed launch's page that holds the tool's platform storage, sent as
 * `lti_storage_target` (LTI Platform Storage: the tool sends `lti.put_data` / `lti.get_data` to
 * `window.parent.frames[lti_storage_target]`).
 */
export const PLATFORM_STORAGE_FRAME = 'lti-storage';

/** `lti_storage_target` for a launch the page puts in its frame; none for a window, which has no storage frame. */
const storageTarget = (path: PresentationPath | null): Record<string, string> =>
  isFramed(path) ? { lti_storage_target: PLATFORM_STORAGE_FRAME } : {};

/**
 * Third-party initiated login (LTI Security 1.0 §5.1.1; OIDC Core §4): the launch page sends the
 * browser to the tool's login URL with our six parameters; the hints are random, bound to the person
 * and the placement, stored in PostgreSQL, single use.
 */
@Injectable()
export class Lti1p3LoginService {
  constructor(
    private readonly hints: MessageHintRepository,
    private readonly deepLinking: Lti1p3DeepLinkingRequestService,
    private readonly urls: PlatformUrls,
    private readonly keys: ToolKeyReadiness,
    private readonly testLaunch: Lti1p3TestLaunch,
  ) {}

  /** An author's Deep Linking request: the whole window goes to the tool and comes back by itself. */
  async initiateDeepLinking(
    principal: Principal,
    courseId: string,
    providerId: string,
    acceptMultiple = true,
  ): Promise<SignedLaunchForm & { toolName: string }> {
    const provider = await this.deepLinking.selectable(principal, courseId, providerId);
    await this.keys.requireReady(provider);
    const registration = provider.lti1p3;
    const hint = await this.hints.create({
      messageHint: randomToken(),
      loginHint: randomToken(),
      userId: principal.userId,
      providerId: provider.id,
      messageType: 'LtiDeepLinkingRequest',
      kind: 'instructor',
      courseId,
      classId: null,
      enrollmentId: null,
      activityId: null,
      targetLinkUri: registration.targetLinkUri,
      documentTarget: 'window',
      presentationPath: null,
      acceptMultiple,
      forEnrollmentId: null,
      lineItemId: null,
      testRole: null,
      expiresAt: new Date(Date.now() + HINT_LIFETIME_MS),
    });
    return { ...this.loginForm(provider, hint), target: 'self', width: null, height: null, toolName: provider.name };
  }

  /**
   * A resource link launch, or with `review` a Submission Review launch of that placement (SRS 1.0 §3).
   * With `session` (the launcher's session as this process kept it), the hint's INSERT confirms it.
   */
  async initiate(context: LaunchContext, review?: ReviewLaunch, session?: SessionCheck): Promise<SignedLaunchForm> {
    const { provider } = context;
    if (provider.ltiVersion !== '1.3') throw new DomainError('unavailable', 'This tool has no LTI 1.3 registration');
    await this.keys.requireReady(provider);
    const targetLinkUri = review?.targetLinkUri ?? context.link.url;
    const values: Omit<MessageHint, 'id'> = {
      messageHint: randomToken(),
      loginHint: randomToken(),
      userId: context.userId,
      providerId: context.provider.id,
      messageType: review ? 'LtiSubmissionReviewRequest' : 'LtiResourceLinkRequest',
      kind: context.kind,
      courseId: context.course.id,
      classId: context.courseClass?.id ?? null,
      enrollmentId: context.enrollment?.id ?? null,
      activityId: context.activity.id,
      targetLinkUri,
      documentTarget: context.documentTarget,
      presentationPath: context.presentationPath,
      acceptMultiple: false,
      forEnrollmentId: review?.forEnrollmentId ?? null,
      lineItemId: review?.lineItem.id ?? null,
      testRole: null,
      expiresAt: new Date(Date.now() + HINT_LIFETIME_MS),
    };
    const hint = await (session ? this.hints.create(values, session) : this.hints.create(values));
    return {
      ...this.loginForm(provider, hint),
      target: context.documentTarget,
      width: provider.presentation.width,
      height: provider.presentation.height,
    };
  }

  /**
   * A provider's test launch from its page (kind `self_test`), as a test learner or test instructor:
   * the real login initiation, in a new window of the administrator's browser.
   */
  async initiateTestLaunch(
    principal: Principal,
    providerId: string,
    role: SelfTestRole,
  ): Promise<SignedLaunchForm & { toolName: string }> {
    const provider = await this.testLaunch.provider(principal, providerId);
    await this.keys.requireReady(provider);
    const hint = await this.hints.create({
      messageHint: randomToken(),
      loginHint: randomToken(),
      userId: principal.userId,
      providerId: provider.id,
      messageType: 'LtiResourceLinkRequest',
      kind: 'self_test',
      courseId: null,
      classId: null,
      enrollmentId: null,
      activityId: null,
      targetLinkUri: provider.lti1p3.targetLinkUri,
      documentTarget: 'window',
      presentationPath: 'window',
      acceptMultiple: false,
      forEnrollmentId: null,
      lineItemId: null,
      testRole: role,
      expiresAt: new Date(Date.now() + HINT_LIFETIME_MS),
    });
    const form = this.loginForm(provider, hint);
    return { ...form, target: 'self', width: null, height: null, toolName: provider.name };
  }

  /**
   * The six parameters of a third-party initiated login (LTI Security 1.0 §5.1.1.1; LTI Core 1.3 §4.1),
   * and where the frame's platform storage is for a framed launch (LTI Platform Storage).
   */
  private loginForm(provider: Lti1p3Provider, hint: MessageHint) {
    return {
      launchId: hint.id,
      action: provider.lti1p3.loginUrl,
      fields: loginParameters(this.urls.issuer, provider, hint),
    };
  }
}

/** What a login initiation sends (also what the launch inspector shows of it): all from the hint and the registration. */
function loginParameters(issuer: string, provider: Lti1p3Provider, hint: MessageHint): Record<string, string> {
  return {
    iss: issuer,
    login_hint: hint.loginHint,
    target_link_uri: hint.targetLinkUri,
    lti_message_hint: hint.messageHint,
    client_id: provider.lti1p3.clientId,
    lti_deployment_id: provider.lti1p3.deploymentId,
    ...storageTarget(hint.presentationPath),
  };
}

/** What the authorization endpoint answers. */
export type AuthorizationOutcome =
  /** The redirect_uri cannot be trusted: say so here, post nothing. */
  | { readonly kind: 'local_error'; readonly message: string }
  /**
   * An auto-posting form to the tool's redirect_uri: the id_token, or an OIDC error. `launch` is the
   * login initiation an id_token answers: a form posted too late starts that launch afresh.
   */
  | {
      readonly kind: 'form_post';
      readonly action: string;
      readonly fields: Readonly<Record<string, string>>;
      readonly launch?: MessageHint;
    };

/**
 * The OIDC authorization endpoint (`/lti/1p3/authorize`, LTI Security 1.0 §5.1.1.2–3). The
 * redirect_uri must be one registered for the client exactly, or nothing is posted; every other
 * failure is posted back to it as `error` / `error_description` with the `state`.
 */
@Injectable()
export class Lti1p3AuthorizationService {
  private readonly logger = new Logger(Lti1p3AuthorizationService.name);

  constructor(
    private readonly clients: Lti1p3Clients,
    private readonly hints: MessageHintRepository,
    private readonly contexts: LaunchContextService,
    private readonly idTokens: Lti1p3IdTokenService,
    private readonly deepLinking: Lti1p3DeepLinkingRequestService,
    private readonly reviews: SubmissionReviews,
    private readonly urls: PlatformUrls,
    private readonly testLaunch: Lti1p3TestLaunch,
    private readonly refusals: RefusedAuthorizations,
  ) {}

  /**
   * Answers the request, and keeps a refusal (bounded) for the administrators of the tool it names:
   * a local error (unknown client, unregistered redirect_uri) or an OIDC error posted back.
   */
  async authorize(
    principal: Principal | null,
    request: AuthorizationRequest,
    boundLogins: ReadonlySet<string> = new Set(),
  ): Promise<AuthorizationOutcome> {
    // A kept tool answers only once the hint claim found its row unchanged; anything else is decided on it read fresh.
    const kept = request.client_id ? this.clients.cached(request.client_id) : undefined;
    let named: LtiProvider | null = kept?.provider ?? null;
    let outcome = kept && (await this.decide(principal, request, kept.provider, boundLogins, kept.version));
    if (!outcome) {
      if (kept) this.clients.forget(kept.provider.lti1p3.clientId);
      named = request.client_id ? ((await this.clients.read(request.client_id))?.provider ?? null) : null;
      outcome = (await this.decide(principal, request, named, boundLogins, null))!;
    }
    if (outcome.kind === 'local_error') {
      // RFC 6749 §4.1.2.1: an unknown client or an unregistered redirect_uri is said here, never redirected to.
      const error = named && isLti1p3(named) && named.status === 'active' ? 'invalid_request' : 'unauthorized_client';
      await this.refusals.keep(request, named, error, outcome.message);
    } else if (outcome.fields.error) {
      await this.refusals.keep(request, named, outcome.fields.error, outcome.fields.error_description ?? '');
    }
    return outcome;
  }

  /**
   * `boundLogins`: the login initiations this browser proves it loaded the launch page of (a framed
   * login reaches us from the tool's page, without our same-site session cookie). Such a login
   * answers for the person it was issued to; a signed-in session still decides when there is one.
   * With `keptVersion` (the provider from this process's cache), null instead of any answer the hint
   * claim did not confirm on the provider's current row: the caller decides again on it read fresh.
   */
  private async decide(
    principal: Principal | null,
    request: AuthorizationRequest,
    provider: LtiProvider | null,
    boundLogins: ReadonlySet<string>,
    keptVersion: string | null,
  ): Promise<AuthorizationOutcome | null> {
    if (!provider || !isLti1p3(provider) || provider.status !== 'active') {
      return { kind: 'local_error', message: 'The tool sent a client_id this platform does not know.' };
    }
    const check = checkAuthorizationRequest(request, provider.lti1p3);
    if (keptVersion !== null && (!check.ok || (!principal && boundLogins.size === 0))) return null;
    if (!check.ok && check.local) return { kind: 'local_error', message: check.message };
    const fail = (error: string, description: string): AuthorizationOutcome => {
      this.logger.log({ clientId: request.client_id, error, description }, 'LTI 1.3 authorization refused');
      return {
        kind: 'form_post',
        action: request.redirect_uri!,
        fields: { error, error_description: description, ...(request.state ? { state: request.state } : {}) },
      };
    };
    if (!check.ok) return fail(check.error, check.description);
    const nobody = (): AuthorizationOutcome =>
      fail('login_required', 'Nobody is signed in to the platform in this browser');
    if (!principal && boundLogins.size === 0) return nobody();
    const now = new Date();
    const claim = await this.hints.claim(
      {
        messageHint: request.lti_message_hint!,
        providerId: provider.id,
        loginHint: request.login_hint ?? '',
        userId: principal?.userId ?? null,
        boundHintIds: [...boundLogins],
        ...(keptVersion !== null ? { providerVersion: keptVersion } : {}),
        // A session this process kept is confirmed by the claim itself (or it throws KeptSessionChanged).
        ...(principal?.session ? { session: principal.session } : {}),
      },
      now,
    );
    if (!claim && keptVersion !== null) return null;
    if (!claim) return fail('invalid_request', 'lti_message_hint is unknown, expired or already used');
    const person = principal ?? (boundLogins.has(claim.hint.id) ? { userId: claim.hint.userId } : null);
    if (!person) return nobody();
    return this.answer(person, request, provider, claim, now, fail);
  }

  private async answer(
    principal: Principal,
    request: AuthorizationRequest,
    provider: Lti1p3Provider,
    claim: HintClaim,
    now: Date,
    fail: (error: string, description: string) => AuthorizationOutcome,
  ): Promise<AuthorizationOutcome> {
    const { hint } = claim;
    // The claim consumed the hint only on these same conditions: a refused one stays usable.
    if (hint.loginHint !== request.login_hint || hint.userId !== principal.userId) {
      return fail('access_denied', 'login_hint does not name the person signed in to the platform');
    }
    if (!claim.consumed) return fail('invalid_request', 'lti_message_hint is unknown, expired or already used');
    // checkAuthorizationRequest let through only a redirect_uri registered exactly (LTI Security 1.0 §5.1.1.2).
    const redirectUri = request.redirect_uri!;
    const exchange: OidcExchange = {
      login: loginParameters(this.urls.issuer, provider, hint),
      redirectUri: { requested: redirectUri, matched: provider.lti1p3.redirectUris.find((u) => u === redirectUri)! },
      ended: 'id_token_posted',
    };
    let idToken: string;
    try {
      idToken = await this.idTokenFor(principal, provider, claim, request.nonce!, exchange, now);
    } catch (error) {
      if (error instanceof DomainError) return fail('access_denied', error.message);
      throw error;
    }
    return {
      kind: 'form_post',
      action: request.redirect_uri!,
      // The storage target again, for the tool's launch page that reads its state back (as Canvas sends it).
      fields: {
        id_token: idToken,
        ...(request.state ? { state: request.state } : {}),
        ...storageTarget(hint.presentationPath),
      },
      launch: hint,
    };
  }

  private async idTokenFor(
    principal: Principal,
    provider: Lti1p3Provider,
    claim: HintClaim,
    nonce: string,
    exchange: OidcExchange,
    now: Date,
  ) {
    const { hint } = claim;
    switch (hint.messageType) {
      case 'LtiDeepLinkingRequest':
        return this.deepLinking.idToken(principal, hint.courseId!, provider, nonce, hint.acceptMultiple);
      case 'LtiSubmissionReviewRequest': {
        // As of now: the instructor may still grade the learner, and the work is still reviewable.
        const review = await this.reviews.resolve(principal, hint.forEnrollmentId!, hint.activityId!);
        const context = { ...review.context, documentTarget: hint.documentTarget };
        return (
          await this.idTokens.resourceLinkLaunch(
            { ...context, presentationPath: hint.presentationPath ?? context.presentationPath },
            nonce,
            review,
            exchange,
            claim.signingKid,
          )
        ).idToken;
      }
      case 'LtiResourceLinkRequest':
        if (hint.kind === 'self_test') {
          return this.testLaunch.idToken(principal, provider.id, hint.testRole!, nonce, exchange);
        }
        return (
          await this.idTokens.resourceLinkLaunch(
            await this.resolve(principal, claim, now),
            nonce,
            undefined,
            exchange,
            claim.signingKid,
          )
        ).idToken;
    }
  }

  /**
   * The launch as of now: still enrolled, still available (the same checks as the launch page); an
   * enrollment's placement as the claim read it.
   */
  private async resolve(principal: Principal, { hint, placement }: HintClaim, now: Date): Promise<LaunchContext> {
    const context =
      hint.kind === 'preview'
        ? await this.contexts.resolvePreview(principal, hint.courseId!, hint.activityId!)
        : !hint.enrollmentId
          ? await this.contexts.resolveForClass(principal, hint.classId!, hint.activityId!)
          : this.contexts.fromPlacement(principal, placement, now);
    return {
      ...context,
      documentTarget: hint.documentTarget,
      presentationPath: hint.presentationPath ?? context.presentationPath,
    };
  }
}
