import { Logger } from '@nestjs/common';
import { AuthorizationRequest } from '@tms/lti';
import { KeptSessionChanged, Principal, SessionCheck } from '../access/principal';
import { LtiProviderRepository } from '../catalog/lti-provider.repository';
import { KEY_READY, Lti1p3Provider, LtiProvider, Lti1p3Registration, ToolKeyState } from '../catalog/lti-provider';
import { ToolKeyChecker } from '../catalog/tool-key-checker';
import { ToolKeyReadiness } from '../catalog/tool-key-readiness';
import { lti1p1Provider, lti1p3Provider, resourceLink } from '../testing/catalog.factories';
import * as make from '../testing/learning.factories';
import { DomainError } from '../errors/domain-error';
import { LaunchContext, LaunchContextService } from '../launch/launch-context.service';
import { LtiSettings } from '../launch/lti-settings';
import { PlatformUrls } from '../launch/platform-urls';
import { Lti1p3DeepLinkingRequestService } from './lti1p3-deep-linking.service';
import { Lti1p3IdTokenService } from './lti1p3-id-token.service';
import { Lti1p3AuthorizationService, Lti1p3LoginService } from './lti1p3-login.service';
import { Lti1p3Clients } from './lti1p3-clients';
import { ProvidersByClientId, versioned } from '../testing/lti1p3-clients.factories';
import { SubmissionReviews } from './submission-reviews';
import { HintClaimant, MessageHint, MessageHintRepository } from './message-hint.repository';
import { LaunchPlacement } from '../launch/launch-placement.repository';
import { user } from '../testing/identity.factories';
import { Lti1p3TestLaunch } from './lti1p3-test-launch';
import { RefusedAuthorizations } from './refused-authorizations';

const at = new Date('2026-04-01T12:00:00Z');
const USER_ID = 'c0ffee00-1234-4567-89ab-cdef01234567';
const principal: Principal = { userId: USER_ID };
const REDIRECT_URI = 'https://tool.example/lti/launch';
const ID_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl';
const SELF_TEST_ID_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzZWxmIjp0cnVlfQ.c2VsZi10ZXN0';
const DEEP_LINKING_ID_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJkbCI6dHJ1ZX0.ZGwtc2lnbmF0dXJl';

const registration: Lti1p3Registration = {
  clientId: 'client-1',
  deploymentId: 'deployment-1',
  loginUrl: 'https://tool.example/lti/login',
  redirectUris: [REDIRECT_URI],
  targetLinkUri: 'https://tool.example/lti/launch',
  jwksUrl: 'https://tool.example/jwks',
  publicKeyPem: null,
  key: KEY_READY,
  services: ['deep_linking'],
  compatibility: [],
  platformStorage: false,
  replacesProviderId: null,
};

function provider(overrides: Partial<Lti1p3Provider> = {}): Lti1p3Provider {
  const fields = { id: 'provider-1', organizationId: 'org-1', name: 'Quiz tool', createdAt: at, updatedAt: at };
  return lti1p3Provider({ ...fields, availableOrganizationIds: ['org-1'], ...overrides }, registration);
}

const activity = make.activity();
const course = make.course({ activities: [activity] });
const courseClass = make.courseClass({ title: 'Biology, spring' });
const enrollment = make.enrollment({ userId: USER_ID });
const link = resourceLink({ name: 'Chapter 3 quiz', url: 'https://tool.example/lti/launch/quiz-3' });

function launchContext(overrides: Partial<LaunchContext> = {}): LaunchContext {
  return {
    kind: 'learner',
    userId: USER_ID,
    enrollment,
    course,
    courseClass,
    activity,
    link,
    provider: provider(),
    documentTarget: 'iframe',
    presentationPath: 'frame',
    ...overrides,
  };
}

/** The learner's placement, as the hint's claim reads it with the hint. */
const placement: LaunchPlacement = {
  enrollment,
  person: user({ id: USER_ID }),
  course,
  courseClass,
  activity,
  link,
  provider: provider(),
  lineage: ['org-1'],
  progress: null,
  progressAsRead: { fingerprint: 'no-progress-yet', rows: [] },
};

/** A learner's hint as `Lti1p3LoginService.initiate` stores it. */
function messageHint(overrides: Partial<MessageHint> = {}): MessageHint {
  return {
    id: 'hint-1',
    messageHint: 'message-hint-abc',
    loginHint: 'login-hint-xyz',
    userId: USER_ID,
    providerId: 'provider-1',
    messageType: 'LtiResourceLinkRequest',
    kind: 'learner',
    courseId: 'course-1',
    classId: 'class-1',
    enrollmentId: 'enrollment-1',
    activityId: 'activity-1',
    targetLinkUri: link.url,
    documentTarget: 'iframe',
    presentationPath: 'frame',
    acceptMultiple: false,
    forEnrollmentId: null,
    lineItemId: null,
    testRole: null,
    expiresAt: new Date(Date.now() + 60_000),
    ...overrides,
  };
}

/** What the tool sends back to `/lti/1p3/authorize` after our login initiation. */
const validRequest: AuthorizationRequest = {
  scope: 'openid',
  response_type: 'id_token',
  client_id: 'client-1',
  redirect_uri: REDIRECT_URI,
  login_hint: 'login-hint-xyz',
  state: 'state-from-tool',
  response_mode: 'form_post',
  nonce: 'nonce-from-tool',
  prompt: 'none',
  lti_message_hint: 'message-hint-abc',
};

beforeEach(() => {
  // Refusals are logged; keep the test output quiet.
  jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
});

afterEach(() => {
  jest.restoreAllMocks();
});

function setUpAuthorization(
  options: { provider?: LtiProvider | null; hint?: MessageHint | null; takenFirst?: boolean } = {},
) {
  const found = options.provider === undefined ? provider() : options.provider;
  const stored = options.hint === undefined ? messageHint() : options.hint;
  const providers: jest.Mocked<ProvidersByClientId> = {
    findByClientId: jest.fn(async (_clientId: string) => found),
  };
  // The ids of the hints claims consumed.
  const consumed: string[] = [];
  const hints: jest.Mocked<MessageHintRepository> = {
    create: jest.fn(),
    // As the port promises: consumed when the login_hint and the person are the claimant's, and nobody took it first.
    claim: jest.fn(async (claimant: HintClaimant, _now: Date) => {
      if (!stored) return null;
      const mine =
        claimant.userId === null ? claimant.boundHintIds.includes(stored.id) : stored.userId === claimant.userId;
      const consumes = mine && stored.loginHint === claimant.loginHint && !options.takenFirst;
      if (consumes) consumed.push(stored.id);
      return {
        hint: stored,
        consumed: consumes,
        placement: stored.enrollmentId ? placement : null,
        signingKid: 'kid-1',
      };
    }),
    deleteExpired: jest.fn(),
  };
  const contexts: jest.Mocked<Pick<LaunchContextService, 'fromPlacement' | 'resolvePreview' | 'resolveForClass'>> = {
    fromPlacement: jest.fn((_principal: Principal, _placement: LaunchPlacement | null, _now?: Date) => launchContext()),
    resolvePreview: jest.fn(async (_principal: Principal, _courseId: string, _activityId: string) =>
      launchContext({ kind: 'preview', enrollment: null, courseClass: null }),
    ),
    resolveForClass: jest.fn(async (_principal: Principal, _classId: string, _activityId: string) =>
      launchContext({ kind: 'instructor', enrollment: null }),
    ),
  };
  const idTokens: jest.Mocked<Pick<Lti1p3IdTokenService, 'resourceLinkLaunch'>> = {
    resourceLinkLaunch: jest.fn(async (_context: LaunchContext, _nonce: string) => ({
      idToken: ID_TOKEN,
      launchId: 'launch-1',
    })),
  };
  const deepLinking: jest.Mocked<Pick<Lti1p3DeepLinkingRequestService, 'idToken'>> = {
    idToken: jest.fn(
      async (_principal: Principal, _courseId: string, _provider: Lti1p3Provider, _nonce: string, _multiple: boolean) =>
        DEEP_LINKING_ID_TOKEN,
    ),
  };
  const testLaunch: jest.Mocked<Pick<Lti1p3TestLaunch, 'idToken'>> = {
    idToken: jest.fn(async (..._args: Parameters<Lti1p3TestLaunch['idToken']>) => SELF_TEST_ID_TOKEN),
  };
  const refusals: jest.Mocked<Pick<RefusedAuthorizations, 'keep'>> = {
    keep: jest.fn(async (..._args: Parameters<RefusedAuthorizations['keep']>) => undefined),
  };
  const service = new Lti1p3AuthorizationService(
    new Lti1p3Clients(versioned(providers)),
    hints,
    contexts as unknown as LaunchContextService,
    idTokens as unknown as Lti1p3IdTokenService,
    deepLinking as unknown as Lti1p3DeepLinkingRequestService,
    {} as SubmissionReviews,
    { issuer: 'https://platform.example' } as PlatformUrls,
    testLaunch as unknown as Lti1p3TestLaunch,
    refusals as unknown as RefusedAuthorizations,
  );
  const authorize = (overrides: Partial<AuthorizationRequest> = {}, who: Principal | null = principal) =>
    service.authorize(who, { ...validRequest, ...overrides });
  return { service, authorize, providers, hints, consumed, contexts, idTokens, deepLinking, testLaunch, refusals };
}

type AuthorizationMocks = ReturnType<typeof setUpAuthorization>;

/** No hint consumed, no id_token minted. */
function expectNothingIssued(mocks: AuthorizationMocks) {
  expect(mocks.consumed).toEqual([]);
  expect(mocks.idTokens.resourceLinkLaunch).not.toHaveBeenCalled();
  expect(mocks.deepLinking.idToken).not.toHaveBeenCalled();
}

describe('Lti1p3AuthorizationService.authorize', () => {
  describe('a refusal kept for the inspector', () => {
    it('should keep an unknown client_id as unauthorized_client with no provider when no provider has it', async () => {
      const mocks = setUpAuthorization({ provider: null });
      await mocks.authorize({ client_id: 'client-unknown' });
      expect(mocks.refusals.keep).toHaveBeenCalledWith(
        expect.objectContaining({ client_id: 'client-unknown' }),
        null,
        'unauthorized_client',
        'The tool sent a client_id this platform does not know.',
      );
    });

    it('should keep an unregistered redirect_uri against its provider when the client is known', async () => {
      const mocks = setUpAuthorization();
      await mocks.authorize({ redirect_uri: 'https://evil.example/steal' });
      expect(mocks.refusals.keep).toHaveBeenCalledWith(
        expect.objectContaining({ redirect_uri: 'https://evil.example/steal' }),
        expect.objectContaining({ id: 'provider-1' }),
        'invalid_request',
        expect.stringContaining('redirect_uri'),
      );
    });

    it('should keep the OIDC error posted back with its description when the hint is unknown', async () => {
      const mocks = setUpAuthorization({ hint: null });
      await mocks.authorize();
      expect(mocks.refusals.keep).toHaveBeenCalledWith(
        expect.objectContaining({ lti_message_hint: 'message-hint-abc' }),
        expect.objectContaining({ id: 'provider-1' }),
        'invalid_request',
        'lti_message_hint is unknown, expired or already used',
      );
    });

    it('should keep nothing when the id_token is posted', async () => {
      const mocks = setUpAuthorization();
      await mocks.authorize();
      expect(mocks.refusals.keep).not.toHaveBeenCalled();
    });
  });

  describe('before the redirect_uri is trusted', () => {
    it('should answer with a local error and look up no hint when the client_id is unknown', async () => {
      const mocks = setUpAuthorization({ provider: null });
      expect(await mocks.authorize({ client_id: 'client-unknown' })).toEqual({
        kind: 'local_error',
        message: 'The tool sent a client_id this platform does not know.',
      });
      expect(mocks.providers.findByClientId).toHaveBeenCalledWith('client-unknown');
      expect(mocks.hints.claim).not.toHaveBeenCalled();
      expectNothingIssued(mocks);
    });

    it('should answer with a local error without asking the repository when client_id is missing', async () => {
      const mocks = setUpAuthorization();
      expect(await mocks.authorize({ client_id: undefined })).toEqual({
        kind: 'local_error',
        message: 'The tool sent a client_id this platform does not know.',
      });
      expect(mocks.providers.findByClientId).not.toHaveBeenCalled();
      expect(mocks.hints.claim).not.toHaveBeenCalled();
      expectNothingIssued(mocks);
    });

    it('should answer with a local error and look up no hint when the provider is disabled', async () => {
      const mocks = setUpAuthorization({ provider: provider({ status: 'disabled' }) });
      expect(await mocks.authorize()).toEqual({
        kind: 'local_error',
        message: 'The tool sent a client_id this platform does not know.',
      });
      expect(mocks.hints.claim).not.toHaveBeenCalled();
      expectNothingIssued(mocks);
    });

    it('should answer with a local error when the provider has no LTI 1.3 registration', async () => {
      const mocks = setUpAuthorization({ provider: lti1p1Provider({ id: 'provider-1' }) });
      expect(await mocks.authorize()).toMatchObject({ kind: 'local_error' });
      expect(mocks.hints.claim).not.toHaveBeenCalled();
      expectNothingIssued(mocks);
    });

    it.each<[string, string | undefined]>([
      ['unregistered', 'https://evil.example/steal'],
      ['the registered one with a trailing slash', `${REDIRECT_URI}/`],
      ['missing', undefined],
    ])('should answer with a local error and post nothing when the redirect_uri is %s', async (_, redirectUri) => {
      const mocks = setUpAuthorization();
      expect(await mocks.authorize({ redirect_uri: redirectUri })).toEqual({
        kind: 'local_error',
        message: 'The tool asked to return to a redirect_uri that is not registered for it.',
      });
      expect(mocks.hints.claim).not.toHaveBeenCalled();
      expectNothingIssued(mocks);
    });
  });

  describe('a valid request', () => {
    it('should post the self-test id_token for the role tested and resolve no placement when the hint is a provider test launch', async () => {
      const hint = messageHint({
        kind: 'self_test',
        testRole: 'instructor',
        courseId: null,
        classId: null,
        enrollmentId: null,
        activityId: null,
        documentTarget: 'window',
        presentationPath: 'window',
      });
      const mocks = setUpAuthorization({ hint });
      expect(await mocks.authorize()).toEqual({
        kind: 'form_post',
        action: REDIRECT_URI,
        fields: { id_token: SELF_TEST_ID_TOKEN, state: 'state-from-tool' },
        launch: hint,
      });
      expect(mocks.testLaunch.idToken).toHaveBeenCalledWith(
        principal,
        'provider-1',
        'instructor',
        'nonce-from-tool',
        expect.objectContaining({ redirectUri: { requested: REDIRECT_URI, matched: REDIRECT_URI } }),
      );
      expect(mocks.consumed).toEqual([hint.id]);
      expect(mocks.idTokens.resourceLinkLaunch).not.toHaveBeenCalled();
      expect(mocks.contexts.fromPlacement).not.toHaveBeenCalled();
      expect(mocks.contexts.resolvePreview).not.toHaveBeenCalled();
    });

    it('should refuse a provider test launch and mint nothing when another person is signed in', async () => {
      const hint = messageHint({ kind: 'self_test', testRole: 'learner', courseId: null, activityId: null });
      const mocks = setUpAuthorization({ hint });
      expect(await mocks.authorize({}, { userId: 'another-user' })).toMatchObject({
        kind: 'form_post',
        fields: { error: 'access_denied' },
      });
      expect(mocks.testLaunch.idToken).not.toHaveBeenCalled();
      expect(mocks.consumed).toEqual([]);
    });

    it('should post the id_token with the same state and consume the hint once when everything matches', async () => {
      const mocks = setUpAuthorization();
      expect(await mocks.authorize()).toEqual({
        kind: 'form_post',
        action: REDIRECT_URI,
        // A framed launch names the storage frame again, for the tool's launch page (LTI Platform Storage).
        fields: { id_token: ID_TOKEN, state: 'state-from-tool', lti_storage_target: 'lti-storage' },
        launch: expect.objectContaining({ id: 'hint-1' }),
      });
      expect(mocks.hints.claim).toHaveBeenCalledWith(
        {
          messageHint: 'message-hint-abc',
          providerId: 'provider-1',
          loginHint: 'login-hint-xyz',
          userId: USER_ID,
          boundHintIds: [],
        },
        expect.any(Date),
      );
      expect(mocks.consumed).toEqual(['hint-1']);
      expect(mocks.idTokens.resourceLinkLaunch).toHaveBeenCalledTimes(1);
      // What the launch inspector shows of the exchange: the login as sent and the redirect_uri it matched.
      expect(mocks.idTokens.resourceLinkLaunch).toHaveBeenCalledWith(
        launchContext(),
        'nonce-from-tool',
        undefined,
        {
          login: {
            iss: 'https://platform.example',
            login_hint: 'login-hint-xyz',
            target_link_uri: link.url,
            lti_message_hint: 'message-hint-abc',
            client_id: 'client-1',
            lti_deployment_id: 'deployment-1',
            lti_storage_target: 'lti-storage',
          },
          redirectUri: { requested: REDIRECT_URI, matched: REDIRECT_URI },
          ended: 'id_token_posted',
        },
        'kid-1',
      );
      expect(mocks.deepLinking.idToken).not.toHaveBeenCalled();
    });

    it('should post the id_token without a state when the tool sent none', async () => {
      const mocks = setUpAuthorization();
      expect(await mocks.authorize({ state: undefined })).toEqual({
        kind: 'form_post',
        action: REDIRECT_URI,
        fields: { id_token: ID_TOKEN, lti_storage_target: 'lti-storage' },
        launch: expect.objectContaining({ id: 'hint-1' }),
      });
    });

    it('should launch as the hint’s person when no session cookie came but the browser is bound to this login', async () => {
      const mocks = setUpAuthorization();
      expect(await mocks.service.authorize(null, validRequest, new Set(['hint-1']))).toMatchObject({
        kind: 'form_post',
        fields: { id_token: ID_TOKEN, state: 'state-from-tool' },
      });
      expect(mocks.contexts.fromPlacement).toHaveBeenCalledWith(principal, placement, expect.any(Date));
      expect(mocks.consumed).toEqual(['hint-1']);
    });

    it('should let a signed-in session decide over a binding when both came', async () => {
      const mocks = setUpAuthorization();
      const someoneElse: Principal = { userId: 'another-person' };
      expect(await mocks.service.authorize(someoneElse, validRequest, new Set(['hint-1']))).toMatchObject({
        fields: { error: 'access_denied' },
      });
      expectNothingIssued(mocks);
    });

    it('should resolve the learner enrollment when the hint is a learner launch', async () => {
      const mocks = setUpAuthorization();
      await mocks.authorize();
      expect(mocks.contexts.fromPlacement).toHaveBeenCalledWith(principal, placement, expect.any(Date));
      expect(mocks.contexts.resolvePreview).not.toHaveBeenCalled();
      expect(mocks.contexts.resolveForClass).not.toHaveBeenCalled();
    });

    it('should resolve the preview when the hint is a preview', async () => {
      const mocks = setUpAuthorization({
        hint: messageHint({ kind: 'preview', classId: null, enrollmentId: null }),
      });
      await mocks.authorize();
      expect(mocks.contexts.resolvePreview).toHaveBeenCalledWith(principal, 'course-1', 'activity-1');
      expect(mocks.contexts.fromPlacement).not.toHaveBeenCalled();
      expect(mocks.contexts.resolveForClass).not.toHaveBeenCalled();
      expect(mocks.idTokens.resourceLinkLaunch).toHaveBeenCalledWith(
        launchContext({ kind: 'preview', enrollment: null, courseClass: null }),
        'nonce-from-tool',
        undefined,
        expect.objectContaining({ ended: 'id_token_posted' }),
        'kid-1',
      );
    });

    it('should resolve the class when the hint is an instructor launch from a class', async () => {
      const mocks = setUpAuthorization({ hint: messageHint({ kind: 'instructor', enrollmentId: null }) });
      await mocks.authorize();
      expect(mocks.contexts.resolveForClass).toHaveBeenCalledWith(principal, 'class-1', 'activity-1');
      expect(mocks.contexts.fromPlacement).not.toHaveBeenCalled();
      expect(mocks.contexts.resolvePreview).not.toHaveBeenCalled();
    });

    it('should launch in the window stored with the hint when the resolved context would use an iframe', async () => {
      const mocks = setUpAuthorization({
        hint: messageHint({ documentTarget: 'window', presentationPath: 'window_fallback' }),
      });
      const outcome = await mocks.authorize();
      expect(outcome.kind === 'form_post' && outcome.fields).toEqual({ id_token: ID_TOKEN, state: 'state-from-tool' });
      expect(mocks.idTokens.resourceLinkLaunch).toHaveBeenCalledWith(
        launchContext({ documentTarget: 'window', presentationPath: 'window_fallback' }),
        'nonce-from-tool',
        undefined,
        expect.objectContaining({ ended: 'id_token_posted' }),
        'kid-1',
      );
    });

    it('should ask the deep linking service and not resourceLinkLaunch when the hint is a deep linking request', async () => {
      const mocks = setUpAuthorization({
        hint: messageHint({
          messageType: 'LtiDeepLinkingRequest',
          kind: 'instructor',
          classId: null,
          enrollmentId: null,
          activityId: null,
          acceptMultiple: true,
          presentationPath: null,
        }),
      });
      expect(await mocks.authorize()).toEqual({
        kind: 'form_post',
        action: REDIRECT_URI,
        fields: { id_token: DEEP_LINKING_ID_TOKEN, state: 'state-from-tool' },
        launch: expect.objectContaining({ messageType: 'LtiDeepLinkingRequest' }),
      });
      expect(mocks.deepLinking.idToken).toHaveBeenCalledWith(
        principal,
        'course-1',
        provider(),
        'nonce-from-tool',
        true,
      );
      expect(mocks.consumed).toEqual(['hint-1']);
      expect(mocks.idTokens.resourceLinkLaunch).not.toHaveBeenCalled();
      expect(mocks.contexts.fromPlacement).not.toHaveBeenCalled();
      expect(mocks.contexts.resolvePreview).not.toHaveBeenCalled();
      expect(mocks.contexts.resolveForClass).not.toHaveBeenCalled();
    });
  });

  describe('a refusal posted back to the tool', () => {
    it('should post login_required with the state when nobody is signed in', async () => {
      const mocks = setUpAuthorization();
      expect(await mocks.authorize({}, null)).toEqual({
        kind: 'form_post',
        action: REDIRECT_URI,
        fields: {
          error: 'login_required',
          error_description: 'Nobody is signed in to the platform in this browser',
          state: 'state-from-tool',
        },
      });
      expect(mocks.hints.claim).not.toHaveBeenCalled();
      expectNothingIssued(mocks);
    });

    it('should post login_required when nobody is signed in and the browser is bound to another login only', async () => {
      const mocks = setUpAuthorization();
      expect(await mocks.service.authorize(null, validRequest, new Set(['hint-of-another-launch']))).toMatchObject({
        kind: 'form_post',
        fields: { error: 'login_required', state: 'state-from-tool' },
      });
      expectNothingIssued(mocks);
    });

    it('should post invalid_request with the state when the hint is not found (unknown, expired or used)', async () => {
      const mocks = setUpAuthorization({ hint: null });
      expect(await mocks.authorize()).toEqual({
        kind: 'form_post',
        action: REDIRECT_URI,
        fields: {
          error: 'invalid_request',
          error_description: 'lti_message_hint is unknown, expired or already used',
          state: 'state-from-tool',
        },
      });
      expectNothingIssued(mocks);
    });

    it('should post access_denied with the state when the login_hint is not the one issued', async () => {
      const mocks = setUpAuthorization();
      expect(await mocks.authorize({ login_hint: 'someone-elses-login-hint' })).toEqual({
        kind: 'form_post',
        action: REDIRECT_URI,
        fields: {
          error: 'access_denied',
          error_description: 'login_hint does not name the person signed in to the platform',
          state: 'state-from-tool',
        },
      });
      expectNothingIssued(mocks);
    });

    it('should post access_denied with the state when another person is signed in', async () => {
      const mocks = setUpAuthorization();
      expect(await mocks.authorize({}, { userId: 'another-user' })).toEqual({
        kind: 'form_post',
        action: REDIRECT_URI,
        fields: {
          error: 'access_denied',
          error_description: 'login_hint does not name the person signed in to the platform',
          state: 'state-from-tool',
        },
      });
      expectNothingIssued(mocks);
    });

    it('should post invalid_request and no id_token when another request consumed the hint first', async () => {
      const mocks = setUpAuthorization({ takenFirst: true });
      const outcome = await mocks.authorize();
      expect(outcome).toEqual({
        kind: 'form_post',
        action: REDIRECT_URI,
        fields: {
          error: 'invalid_request',
          error_description: 'lti_message_hint is unknown, expired or already used',
          state: 'state-from-tool',
        },
      });
      expect(outcome.kind === 'form_post' && outcome.fields).not.toHaveProperty('id_token');
      expect(mocks.hints.claim).toHaveBeenCalledTimes(1);
      expect(mocks.consumed).toEqual([]);
      expect(mocks.idTokens.resourceLinkLaunch).not.toHaveBeenCalled();
      expect(mocks.deepLinking.idToken).not.toHaveBeenCalled();
      expect(mocks.contexts.fromPlacement).not.toHaveBeenCalled();
    });

    it('should post access_denied with the DomainError message when the launch can no longer be resolved', async () => {
      const mocks = setUpAuthorization();
      mocks.contexts.fromPlacement.mockImplementationOnce(() => {
        throw new DomainError('unavailable', 'This enrollment has ended, so its activities can no longer be launched.');
      });
      expect(await mocks.authorize()).toEqual({
        kind: 'form_post',
        action: REDIRECT_URI,
        fields: {
          error: 'access_denied',
          error_description: 'This enrollment has ended, so its activities can no longer be launched.',
          state: 'state-from-tool',
        },
      });
      expect(mocks.idTokens.resourceLinkLaunch).not.toHaveBeenCalled();
    });

    it('should post access_denied when the deep linking service refuses with a DomainError', async () => {
      const mocks = setUpAuthorization({
        hint: messageHint({ messageType: 'LtiDeepLinkingRequest', kind: 'instructor', enrollmentId: null }),
      });
      mocks.deepLinking.idToken.mockRejectedValueOnce(DomainError.notFound('Course'));
      expect(await mocks.authorize()).toEqual({
        kind: 'form_post',
        action: REDIRECT_URI,
        fields: { error: 'access_denied', error_description: 'Course not found', state: 'state-from-tool' },
      });
    });

    it('should let an unexpected error through when it is not a DomainError', async () => {
      const mocks = setUpAuthorization();
      mocks.idTokens.resourceLinkLaunch.mockRejectedValueOnce(new Error('no signing key'));
      await expect(mocks.authorize()).rejects.toThrow('no signing key');
    });

    it('should post the fixed-parameter error with the state when the request breaks the OIDC profile', async () => {
      const mocks = setUpAuthorization();
      expect(await mocks.authorize({ prompt: 'login' })).toEqual({
        kind: 'form_post',
        action: REDIRECT_URI,
        fields: {
          error: 'invalid_request',
          error_description: 'prompt must be none: this platform does not prompt',
          state: 'state-from-tool',
        },
      });
      expect(mocks.hints.claim).not.toHaveBeenCalled();
      expectNothingIssued(mocks);
    });

    it('should post the error without a state when the tool sent none', async () => {
      const mocks = setUpAuthorization({ hint: null });
      expect(await mocks.authorize({ state: undefined })).toEqual({
        kind: 'form_post',
        action: REDIRECT_URI,
        fields: {
          error: 'invalid_request',
          error_description: 'lti_message_hint is unknown, expired or already used',
        },
      });
    });
  });

  describe('with the tool this process keeps', () => {
    /** Authorized once, so the service keeps the tool; the mocks' calls so far forgotten. */
    async function keptTool(options: Parameters<typeof setUpAuthorization>[0] = {}) {
      const mocks = setUpAuthorization(options);
      expect((await mocks.authorize()).kind).toBe('form_post');
      mocks.providers.findByClientId.mockClear();
      mocks.hints.claim.mockClear();
      return mocks;
    }

    it('should read no provider and claim the hint on the kept row version when the tool is kept', async () => {
      const mocks = await keptTool();
      const outcome = await mocks.authorize();
      expect(outcome).toMatchObject({ kind: 'form_post', fields: { id_token: ID_TOKEN } });
      expect(mocks.providers.findByClientId).not.toHaveBeenCalled();
      expect(mocks.hints.claim).toHaveBeenCalledWith(
        expect.objectContaining({ providerVersion: 'v1' }),
        expect.any(Date),
      );
    });

    it('should read the tool again and claim without a version when the claim finds the kept row changed', async () => {
      const mocks = await keptTool();
      mocks.hints.claim.mockResolvedValueOnce(null);
      const outcome = await mocks.authorize();
      expect(outcome).toMatchObject({ kind: 'form_post', fields: { id_token: ID_TOKEN } });
      expect(mocks.providers.findByClientId).toHaveBeenCalledTimes(1);
      expect(mocks.hints.claim.mock.calls.map(([claimant]) => claimant.providerVersion)).toEqual(['v1', undefined]);
    });

    it('should decide on the tool read again when the kept one does not register the redirect_uri', async () => {
      const added = 'https://tool.example/lti/launch-2';
      const mocks = await keptTool();
      mocks.providers.findByClientId.mockResolvedValue({
        ...provider(),
        lti1p3: { ...registration, redirectUris: [REDIRECT_URI, added] },
      });
      const outcome = await mocks.authorize({ redirect_uri: added });
      expect(outcome).toMatchObject({ kind: 'form_post', action: added, fields: { id_token: ID_TOKEN } });
      expect(mocks.providers.findByClientId).toHaveBeenCalledTimes(1);
      expect(mocks.refusals.keep).not.toHaveBeenCalled();
    });

    it('should refuse as an unknown client when the tool read again is disabled', async () => {
      const mocks = await keptTool();
      mocks.providers.findByClientId.mockResolvedValue(provider({ status: 'disabled' }));
      mocks.hints.claim.mockResolvedValueOnce(null);
      const outcome = await mocks.authorize();
      expect(outcome).toEqual({ kind: 'local_error', message: expect.stringContaining('does not know') });
      expect(mocks.hints.claim).toHaveBeenCalledTimes(1);
    });
  });
});

describe('Lti1p3LoginService.initiate', () => {
  const HINT_LIFETIME_MS = 5 * 60 * 1000;
  const BASE64URL_256_BITS = /^[A-Za-z0-9_-]{43}$/;

  function setUpLogin() {
    let count = 0;
    const hints: jest.Mocked<MessageHintRepository> = {
      create: jest.fn(async (hint: Omit<MessageHint, 'id'>) => ({ id: `hint-${++count}`, ...hint })),
      claim: jest.fn(),
      deleteExpired: jest.fn(),
    };
    const deepLinking: jest.Mocked<Pick<Lti1p3DeepLinkingRequestService, 'selectable'>> = {
      selectable: jest.fn(),
    };
    const settings: LtiSettings = {
      publicUrl: 'https://platform.example',
      instanceName: 'Example Platform',
      oauthTimestampWindowSeconds: 300,
    };
    const urls = new PlatformUrls(settings);
    const keyChecker = { checkJwksUrl: jest.fn(async (_url: string): Promise<string | undefined> => undefined) };
    const recordKeyCheck = jest.fn(async (_id: string, _key: ToolKeyState) => undefined);
    const keys = new ToolKeyReadiness(
      keyChecker as unknown as ToolKeyChecker,
      { recordKeyCheck } as unknown as LtiProviderRepository,
    );
    const service = new Lti1p3LoginService(
      hints,
      deepLinking as unknown as Lti1p3DeepLinkingRequestService,
      urls,
      keys,
      {} as Lti1p3TestLaunch,
    );
    return { service, hints, keyChecker, recordKeyCheck };
  }

  const waiting: ToolKeyState = { status: 'waiting', problem: 'jwksUrl answered HTTP 404', checkedAt: null };
  const waitingProvider = () =>
    lti1p3Provider({ id: 'provider-1', organizationId: 'org-1', name: 'Quiz' }, { key: waiting });

  it('should refuse with the reason, store no hint and record the check when the tool still serves no key', async () => {
    const { service, hints, keyChecker, recordKeyCheck } = setUpLogin();
    keyChecker.checkJwksUrl.mockResolvedValueOnce('answered HTTP 404');
    const error = await service.initiate(launchContext({ provider: waitingProvider() })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'conflict', headline: 'This tool is not ready yet' });
    expect((error as Error).message).toContain('waiting for the tool’s key: jwksUrl answered HTTP 404');
    expect(hints.create).not.toHaveBeenCalled();
    expect(recordKeyCheck).toHaveBeenCalledWith('provider-1', expect.objectContaining({ status: 'waiting' }));
  });

  it('should make a waiting provider ready and launch when its tool now serves a key', async () => {
    const { service, hints, recordKeyCheck } = setUpLogin();
    const form = await service.initiate(launchContext({ provider: waitingProvider() }));
    expect(recordKeyCheck).toHaveBeenCalledWith(
      'provider-1',
      expect.objectContaining({ status: 'ready', problem: null }),
    );
    expect(hints.create).toHaveBeenCalledTimes(1);
    expect(form.fields.client_id).toBe('client-1');
  });

  it('should write the login hint with the kept session when the launch page took it from the cache', async () => {
    const { service, hints } = setUpLogin();
    const session: SessionCheck = { tokenHash: Buffer.alloc(32, 7), version: 'session-v1' };
    await service.initiate(launchContext(), undefined, session);
    expect(hints.create).toHaveBeenCalledWith(expect.objectContaining({ userId: USER_ID }), session);
  });

  it('should not fetch the key again when the provider is ready', async () => {
    const { service, keyChecker } = setUpLogin();
    await service.initiate(launchContext());
    expect(keyChecker.checkJwksUrl).not.toHaveBeenCalled();
  });

  it('should store a hint bound to the person and placement and return the six login fields when a learner launches', async () => {
    const { service, hints } = setUpLogin();
    const before = Date.now();
    // The learner asked for a new window beside a framed tool: the context's target wins over the provider's.
    const form = await service.initiate(launchContext({ documentTarget: 'window', presentationPath: 'window' }));
    const after = Date.now();

    expect(hints.create).toHaveBeenCalledTimes(1);
    const stored = hints.create.mock.calls[0][0];
    expect(stored).toEqual({
      messageHint: expect.stringMatching(BASE64URL_256_BITS),
      loginHint: expect.stringMatching(BASE64URL_256_BITS),
      userId: USER_ID,
      providerId: 'provider-1',
      messageType: 'LtiResourceLinkRequest',
      kind: 'learner',
      courseId: 'course-1',
      classId: 'class-1',
      enrollmentId: 'enrollment-1',
      activityId: 'activity-1',
      targetLinkUri: 'https://tool.example/lti/launch/quiz-3',
      documentTarget: 'window',
      presentationPath: 'window',
      acceptMultiple: false,
      forEnrollmentId: null,
      lineItemId: null,
      testRole: null,
      expiresAt: expect.any(Date),
    });
    expect(stored.messageHint).not.toBe(stored.loginHint);
    expect(stored.expiresAt.getTime()).toBeGreaterThanOrEqual(before + HINT_LIFETIME_MS);
    expect(stored.expiresAt.getTime()).toBeLessThanOrEqual(after + HINT_LIFETIME_MS);

    expect(form).toEqual({
      launchId: 'hint-1',
      action: 'https://tool.example/lti/login',
      fields: {
        iss: 'https://platform.example',
        login_hint: stored.loginHint,
        target_link_uri: 'https://tool.example/lti/launch/quiz-3',
        lti_message_hint: stored.messageHint,
        client_id: 'client-1',
        lti_deployment_id: 'deployment-1',
      },
      target: 'window',
      width: 800,
      height: 600,
    });
    expect(Object.keys(form.fields)).toHaveLength(6);
  });

  it('should name the storage frame as a seventh field and keep the path with the hint when the launch is framed', async () => {
    const { service, hints } = setUpLogin();
    const form = await service.initiate(launchContext({ presentationPath: 'frame_platform_storage' }));
    expect(hints.create.mock.calls[0][0]).toMatchObject({
      documentTarget: 'iframe',
      presentationPath: 'frame_platform_storage',
    });
    expect(form.fields).toMatchObject({ lti_storage_target: 'lti-storage' });
    expect(Object.keys(form.fields)).toHaveLength(7);
  });

  it('should draw new random hints when it is called again', async () => {
    const { service, hints } = setUpLogin();
    await service.initiate(launchContext());
    await service.initiate(launchContext());
    const [first, second] = hints.create.mock.calls.map(([hint]) => hint);
    expect(new Set([first.messageHint, first.loginHint, second.messageHint, second.loginHint]).size).toBe(4);
  });

  it('should store null enrollment and class when an author previews', async () => {
    const { service, hints } = setUpLogin();
    await service.initiate(launchContext({ kind: 'preview', enrollment: null, courseClass: null }));
    expect(hints.create).toHaveBeenCalledWith(
      expect.objectContaining({ kind: 'preview', enrollmentId: null, classId: null, activityId: 'activity-1' }),
    );
  });

  it('should refuse and store no hint when the provider has no LTI 1.3 registration', async () => {
    const { service, hints } = setUpLogin();
    const context = launchContext({ provider: lti1p1Provider({ id: 'provider-1' }) });
    await expect(service.initiate(context)).rejects.toEqual(
      new DomainError('unavailable', 'This tool has no LTI 1.3 registration'),
    );
    expect(hints.create).not.toHaveBeenCalled();
  });
});

describe('a session this process kept, confirmed by the hint statements', () => {
  const session: SessionCheck = { tokenHash: Buffer.alloc(32, 7), version: 'session-v1' };

  it('should claim the hint with the kept session when the principal carries one', async () => {
    const mocks = setUpAuthorization();
    expect(await mocks.authorize({}, { userId: USER_ID, session })).toMatchObject({ fields: { id_token: ID_TOKEN } });
    expect(mocks.hints.claim).toHaveBeenCalledWith(expect.objectContaining({ session }), expect.any(Date));
  });

  it('should issue and keep nothing and let the caller read the session again when the claim finds it changed', async () => {
    const mocks = setUpAuthorization();
    mocks.hints.claim.mockRejectedValueOnce(new KeptSessionChanged());
    await expect(mocks.authorize({}, { userId: USER_ID, session })).rejects.toBeInstanceOf(KeptSessionChanged);
    expectNothingIssued(mocks);
    expect(mocks.refusals.keep).not.toHaveBeenCalled();
  });
});
