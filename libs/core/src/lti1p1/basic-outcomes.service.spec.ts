import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { OAuthRequest, outcomeResponse } from '@tms/lti';
import { Lti1p1Provider } from '../catalog/lti-provider';
import { lti1p1Provider } from '../testing/catalog.factories';
import { LtiResourceLink } from '../catalog/lti-resource-link';
import { ActivityProgress } from '../learning/learning';
import { GivenScore } from '../grading/completion';
import { ResultSourcedIds, ResultTarget } from './result-sourced-id';
import { LedgerContext, ScoreIntakeService, ScoreTarget } from '../grading/score-intake.service';
import { NewScoreLedgerEntry, ScoreLedgerRepository } from '../grading/score-ledger.repository';
import { NO_DETAILS } from '../grading/submission.repository';
import { ResolvedTarget, ScoreTargetRefused, ScoreTargets, StaleSigner } from './score-targets';
import {
  BasicOutcomesService,
  OutcomeAnswer,
  OutcomeMessage,
  OutcomeRefused,
  OutcomesFault,
} from './basic-outcomes.service';
import { AuthenticatedRequest, Lti1p1RequestRefused, Lti1p1RequestVerifier } from './lti1p1-request-verifier';
import { Lti1p1Signers } from './lti1p1-signers';
import { UnitOfWork } from '../shared/unit-of-work';

const at = new Date('2026-04-01T12:00:00Z');
const OUTCOMES_URL = 'https://platform.example/lti/1p1/outcomes';
const OAUTH_PARAMS = { oauth_consumer_key: 'vendor-key', oauth_signature: 'c2lnbmF0dXJl' };

const ENROLLMENT_ID = '0b6f1c1e-5d3a-4c2b-9f0e-1a2b3c4d5e6f';
const ACTIVITY_ID = '7d9e8f10-1112-4131-8415-161718191a1b';
const USER_ID = 'c0ffee00-1234-4567-89ab-cdef01234567';

function provider(id: string, overrides: Partial<Lti1p1Provider> = {}): Lti1p1Provider {
  return lti1p1Provider({ id, createdAt: at, updatedAt: at, ...overrides });
}

const quiz = provider('provider-quiz');
/** The request as the verifier authenticated it, on a cached signer; its nonce is used up with the target. */
const authenticated: AuthenticatedRequest = {
  signer: { provider: quiz, secret: 'quiz-secret', sealed: 'sealed-quiz-secret' },
  consumerKey: 'quiz-key',
  nonce: 'nonce-1',
  nonceExpiresAt: at,
};

const link: LtiResourceLink = {
  id: 'link-1',
  organizationId: 'org-catalog',
  providerId: quiz.id,
  name: 'Chapter 3 quiz',
  url: 'https://tool.example/launch',
  customParameters: [],
  requiresScoreForCompletion: true,
  passingScore: 80,
  lineItem: null,
  status: 'active',
  availableOrganizationIds: ['org-catalog'],
  createdAt: at,
  updatedAt: at,
};

const enrollmentTarget: ResultTarget = {
  kind: 'enrollment',
  enrollmentId: ENROLLMENT_ID,
  activityId: ACTIVITY_ID,
  userId: USER_ID,
};
const scoreTarget: ScoreTarget = { enrollmentId: ENROLLMENT_ID, activityId: ACTIVITY_ID, link };
const enrolled: ResolvedTarget = { organizationId: 'org-class', enrollmentId: ENROLLMENT_ID, score: scoreTarget };
const preview: ResolvedTarget = { organizationId: 'org-course', enrollmentId: null, score: null };

function storedProgress(overrides: Partial<ActivityProgress> = {}): ActivityProgress {
  return {
    enrollmentId: ENROLLMENT_ID,
    activityId: ACTIVITY_ID,
    status: 'completed',
    scorePercent: 75,
    scoreGiven: '0.75',
    scoreMaximum: '1',
    scoredAt: at,
    firstLaunchedAt: at,
    completedAt: at,
    ...overrides,
  };
}

function setUp() {
  const sourcedIds = new ResultSourcedIds(randomBytes(32));
  const verifier: jest.Mocked<Pick<Lti1p1RequestVerifier, 'authenticate' | 'useUpNonce'>> = {
    authenticate: jest.fn(async (_request: OAuthRequest, _now: Date, _cached: boolean) => authenticated),
    useUpNonce: jest.fn(async (_request: AuthenticatedRequest) => true),
  };
  const signers: jest.Mocked<Pick<Lti1p1Signers, 'forget'>> = { forget: jest.fn() };
  const targets: jest.Mocked<Pick<ScoreTargets, 'resolve'>> = {
    resolve: jest.fn(async (_target: ResultTarget, _request: AuthenticatedRequest) => enrolled),
  };
  const uow = { run: jest.fn(async (work: () => Promise<unknown>) => work()) };
  const ledger: jest.Mocked<ScoreLedgerRepository> = {
    record: jest.fn(async (_entry: NewScoreLedgerEntry) => undefined),
    list: jest.fn(),
  };
  // The intake's ledger writer runs for real (refusals, previews, reads); applying and reading scores is stubbed.
  const unused = {} as never;
  const intake = Object.assign(new ScoreIntakeService(unused, unused, unused, ledger, unused, unused, unused), {
    applyScore: jest.fn(
      async (
        _target: ScoreTarget,
        _score: GivenScore | null,
        _ledger: LedgerContext,
        _now?: Date,
        _details?: unknown,
      ) => storedProgress(),
    ),
    read: jest.fn(async (_target: ScoreTarget) => storedProgress()),
  });
  const service = new BasicOutcomesService(
    verifier as unknown as Lti1p1RequestVerifier,
    signers as unknown as Lti1p1Signers,
    sourcedIds,
    targets as unknown as ScoreTargets,
    intake,
    uow as unknown as UnitOfWork,
  );
  /** The POX the transport answers with: the service's answer, or its refusal. */
  const handle = async (body: string, overrides: Partial<OutcomeMessage> = {}) => {
    try {
      return poxOf(
        await service.handle({
          url: OUTCOMES_URL,
          oauthParams: OAUTH_PARAMS,
          body: Buffer.from(body, 'utf8'),
          requestId: 'request-1',
          ...overrides,
        }),
      );
    } catch (error) {
      if (error instanceof OutcomeRefused) return poxOf(error);
      throw error;
    }
  };
  return { service, handle, sourcedIds, verifier, signers, targets, intake, ledger, uow };
}

/** A Basic Outcomes request as LTI 1.1.1 §6 writes it. */
function poxRequest(operation: string, sourcedId: string | null, score?: string): string {
  const resultScore =
    score === undefined
      ? ''
      : `<result><resultScore><language>en</language><textString>${score}</textString></resultScore></result>`;
  const sourced = sourcedId === null ? '' : `<sourcedGUID><sourcedId>${sourcedId}</sourcedId></sourcedGUID>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<imsx_POXEnvelopeRequest xmlns="http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0">
  <imsx_POXHeader>
    <imsx_POXRequestHeaderInfo>
      <imsx_version>V1.0</imsx_version>
      <imsx_messageIdentifier>message-42</imsx_messageIdentifier>
    </imsx_POXRequestHeaderInfo>
  </imsx_POXHeader>
  <imsx_POXBody>
    <${operation}Request><resultRecord>${sourced}${resultScore}</resultRecord></${operation}Request>
  </imsx_POXBody>
</imsx_POXEnvelopeRequest>`;
}

const UNESCAPES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The text of the first element of that name in the response, or null when there is none. */
function field(xml: string, name: string): string | null {
  const match = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  return match ? match[1].replace(/&(amp|lt|gt|quot|apos);/g, (_, entity: string) => UNESCAPES[entity]) : null;
}

/** The POX a transport writes for an answer, a refusal or a fault of ours (LTI 1.1.1 §6). */
function poxOf(outcome: OutcomeAnswer | OutcomeRefused | OutcomesFault): string {
  const failed = outcome instanceof OutcomeRefused || outcome instanceof OutcomesFault;
  const unsupported = outcome instanceof OutcomeRefused && outcome.unsupported;
  return outcomeResponse({
    messageIdentifier: 'answer-1',
    messageRefIdentifier: outcome.reference.messageIdentifier,
    operation: outcome.reference.operation,
    codeMajor: unsupported ? 'unsupported' : failed ? 'failure' : 'success',
    severity: failed && !unsupported ? 'error' : 'status',
    description:
      outcome instanceof OutcomesFault ? outcome.description : failed ? outcome.message : outcome.description,
    score: failed ? undefined : outcome.score,
  });
}

const codeMajorOf = (xml: string) => field(xml, 'imsx_codeMajor');
const descriptionOf = (xml: string) => field(xml, 'imsx_description');

/** What the service knows once the sourcedId is verified and resolved. */
function enrollmentContext(sourcedId: string, operation: string, rawScore: string | null): LedgerContext {
  return {
    ltiVersion: '1.1',
    providerId: quiz.id,
    organizationId: 'org-class',
    enrollmentId: ENROLLMENT_ID,
    activityId: ACTIVITY_ID,
    userId: USER_ID,
    source: sourcedId,
    operation,
    rawScore,
    requestId: 'request-1',
  };
}

describe('BasicOutcomesService.handle', () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  describe('replaceResult', () => {
    it('should apply the score over a maximum of 1 and answer success when the request is valid', async () => {
      const { handle, sourcedIds, verifier, targets, intake, ledger } = setUp();
      const sourcedId = sourcedIds.sign(enrollmentTarget);
      const body = poxRequest('replaceResult', sourcedId, '0.8');

      const response = await handle(body);

      expect(verifier.authenticate).toHaveBeenCalledWith(
        { method: 'POST', url: OUTCOMES_URL, params: OAUTH_PARAMS, body: Buffer.from(body, 'utf8') },
        expect.any(Date),
        true,
      );
      expect(targets.resolve).toHaveBeenCalledWith(enrollmentTarget, authenticated);
      expect(intake.applyScore).toHaveBeenCalledTimes(1);
      expect(intake.applyScore).toHaveBeenCalledWith(
        scoreTarget,
        { given: '0.8', maximum: '1' },
        enrollmentContext(sourcedId, 'replaceResult', '0.8'),
        expect.any(Date),
        NO_DETAILS,
      );
      expect(codeMajorOf(response)).toBe('success');
      expect(field(response, 'imsx_severity')).toBe('status');
      expect(field(response, 'imsx_messageRefIdentifier')).toBe('message-42');
      expect(field(response, 'imsx_operationRefIdentifier')).toBe('replaceResult');
      expect(response).toContain('<replaceResultResponse/>');
      // The intake writes the ledger row with the change; the service adds none of its own.
      expect(ledger.record).not.toHaveBeenCalled();
    });

    it.each(['1.2', '-0.1', 'abc'])(
      'should answer failure and record a rejected row without applying when the score is %s',
      async (score) => {
        const { handle, sourcedIds, intake, ledger } = setUp();
        const sourcedId = sourcedIds.sign(enrollmentTarget);

        const response = await handle(poxRequest('replaceResult', sourcedId, score));

        expect(codeMajorOf(response)).toBe('failure');
        expect(field(response, 'imsx_severity')).toBe('error');
        expect(descriptionOf(response)).toBe(
          `The score must be a decimal from 0.0 to 1.0; got ${JSON.stringify(score)}`,
        );
        expect(field(response, 'imsx_messageRefIdentifier')).toBe('message-42');
        expect(response).toContain('<imsx_POXBody/>');
        expect(intake.applyScore).not.toHaveBeenCalled();
        expect(ledger.record).toHaveBeenCalledTimes(1);
        expect(ledger.record).toHaveBeenCalledWith({
          ...enrollmentContext(sourcedId, 'replaceResult', score),
          decision: 'rejected',
          reason: descriptionOf(response),
          resultingStatus: null,
          scorePercent: null,
        });
      },
    );

    it('should answer failure without applying when the score is missing', async () => {
      const { handle, sourcedIds, intake, ledger } = setUp();

      const response = await handle(poxRequest('replaceResult', sourcedIds.sign(enrollmentTarget)));

      expect(codeMajorOf(response)).toBe('failure');
      expect(descriptionOf(response)).toMatch(/score is missing/);
      expect(intake.applyScore).not.toHaveBeenCalled();
      expect(ledger.record).toHaveBeenCalledWith(expect.objectContaining({ decision: 'rejected', rawScore: null }));
    });

    it('should apply 0 when the score is 0.0', async () => {
      const { handle, sourcedIds, intake } = setUp();

      const response = await handle(poxRequest('replaceResult', sourcedIds.sign(enrollmentTarget), '0.0'));

      expect(codeMajorOf(response)).toBe('success');
      expect(intake.applyScore).toHaveBeenCalledWith(
        scoreTarget,
        { given: '0', maximum: '1' },
        expect.anything(),
        expect.any(Date),
        NO_DETAILS,
      );
    });

    it('should acknowledge without applying and record a preview row when the sourcedId is a preview', async () => {
      const { handle, sourcedIds, targets, intake, ledger } = setUp();
      const previewTarget: ResultTarget = { kind: 'preview', activityId: ACTIVITY_ID, userId: USER_ID };
      const sourcedId = sourcedIds.sign(previewTarget);
      targets.resolve.mockResolvedValueOnce(preview);

      const response = await handle(poxRequest('replaceResult', sourcedId, '0.5'));

      expect(codeMajorOf(response)).toBe('success');
      expect(targets.resolve).toHaveBeenCalledWith(previewTarget, authenticated);
      expect(intake.applyScore).not.toHaveBeenCalled();
      expect(ledger.record).toHaveBeenCalledTimes(1);
      expect(ledger.record).toHaveBeenCalledWith({
        ...enrollmentContext(sourcedId, 'replaceResult', '0.5'),
        organizationId: 'org-course',
        enrollmentId: null,
        decision: 'preview',
        reason: 'A preview launch: not recorded',
        resultingStatus: null,
        scorePercent: null,
      });
    });
  });

  describe('readResult', () => {
    it('should answer the stored score in textString and record a read row when a score is stored', async () => {
      const { handle, sourcedIds, intake, ledger } = setUp();
      const sourcedId = sourcedIds.sign(enrollmentTarget);

      const response = await handle(poxRequest('readResult', sourcedId));

      expect(intake.read).toHaveBeenCalledWith(scoreTarget);
      expect(codeMajorOf(response)).toBe('success');
      expect(field(response, 'textString')).toBe('0.75');
      expect(intake.applyScore).not.toHaveBeenCalled();
      expect(ledger.record).toHaveBeenCalledWith({
        ...enrollmentContext(sourcedId, 'readResult', null),
        decision: 'read',
        reason: null,
        resultingStatus: 'completed',
        scorePercent: 75,
      });
    });

    it('should answer an empty textString when no score is stored', async () => {
      const { handle, sourcedIds, intake } = setUp();
      intake.read.mockResolvedValueOnce(
        storedProgress({ status: 'awaiting_score', scoreGiven: null, scoreMaximum: null, scorePercent: null }),
      );

      const response = await handle(poxRequest('readResult', sourcedIds.sign(enrollmentTarget)));

      expect(codeMajorOf(response)).toBe('success');
      expect(field(response, 'textString')).toBe('');
      expect(descriptionOf(response)).toBe('No score yet');
    });

    it('should answer the score over 1 when it was stored on another scale', async () => {
      const { handle, sourcedIds, intake } = setUp();
      intake.read.mockResolvedValueOnce(storedProgress({ scoreGiven: '7', scoreMaximum: '10', scorePercent: 70 }));

      const response = await handle(poxRequest('readResult', sourcedIds.sign(enrollmentTarget)));

      expect(field(response, 'textString')).toBe('0.7');
    });
  });

  describe('deleteResult', () => {
    it('should apply a null score and answer success when the request is valid', async () => {
      const { handle, sourcedIds, intake } = setUp();
      const sourcedId = sourcedIds.sign(enrollmentTarget);

      const response = await handle(poxRequest('deleteResult', sourcedId));

      expect(intake.applyScore).toHaveBeenCalledTimes(1);
      expect(intake.applyScore).toHaveBeenCalledWith(
        scoreTarget,
        null,
        enrollmentContext(sourcedId, 'deleteResult', null),
        expect.any(Date),
        NO_DETAILS,
      );
      expect(codeMajorOf(response)).toBe('success');
      expect(response).toContain('<deleteResultResponse/>');
    });
  });

  describe('a refused request', () => {
    it('should answer unsupported and apply nothing when the operation is unknown', async () => {
      const { handle, sourcedIds, targets, intake, ledger } = setUp();

      const response = await handle(poxRequest('readMembership', sourcedIds.sign(enrollmentTarget)));

      expect(codeMajorOf(response)).toBe('unsupported');
      expect(field(response, 'imsx_severity')).toBe('status');
      expect(field(response, 'imsx_operationRefIdentifier')).toBe('readMembership');
      expect(descriptionOf(response)).toMatch(/^readMembership is not supported/);
      expect(targets.resolve).not.toHaveBeenCalled();
      expect(intake.applyScore).not.toHaveBeenCalled();
      expect(intake.read).not.toHaveBeenCalled();
      expect(ledger.record).toHaveBeenCalledWith(
        expect.objectContaining({ decision: 'rejected', operation: 'readMembership', providerId: quiz.id }),
      );
    });

    it('should answer failure without resolving anything when the sourcedId was signed with another key', async () => {
      const { handle, targets, intake, ledger } = setUp();
      const forged = new ResultSourcedIds(randomBytes(32)).sign(enrollmentTarget);

      const response = await handle(poxRequest('replaceResult', forged, '1'));

      expect(codeMajorOf(response)).toBe('failure');
      expect(descriptionOf(response)).toBe('This sourcedId was not issued by this platform');
      expect(targets.resolve).not.toHaveBeenCalled();
      expect(intake.applyScore).not.toHaveBeenCalled();
      expect(ledger.record).toHaveBeenCalledTimes(1);
      expect(ledger.record).toHaveBeenCalledWith({
        ltiVersion: '1.1',
        providerId: quiz.id,
        organizationId: quiz.organizationId,
        enrollmentId: null,
        activityId: null,
        userId: null,
        source: forged,
        operation: 'replaceResult',
        rawScore: '1',
        requestId: 'request-1',
        decision: 'rejected',
        reason: 'This sourcedId was not issued by this platform',
        resultingStatus: null,
        scorePercent: null,
      });
    });

    it('should answer failure without resolving anything when the request names no sourcedId', async () => {
      const { handle, targets, intake } = setUp();

      const response = await handle(poxRequest('replaceResult', null, '1'));

      expect(codeMajorOf(response)).toBe('failure');
      expect(descriptionOf(response)).toBe('The request names no sourcedId');
      expect(targets.resolve).not.toHaveBeenCalled();
      expect(intake.applyScore).not.toHaveBeenCalled();
    });

    it('should answer the verifier reason without reading the body when the verifier refuses', async () => {
      const { handle, verifier, targets, intake, ledger } = setUp();
      const disabled = provider('provider-disabled', { status: 'disabled' });
      verifier.authenticate.mockRejectedValueOnce(new Lti1p1RequestRefused('This LTI provider is disabled', disabled));
      const hostile =
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><imsx_POXEnvelopeRequest>&a;</imsx_POXEnvelopeRequest>';

      const response = await handle(hostile);

      expect(codeMajorOf(response)).toBe('failure');
      expect(descriptionOf(response)).toBe('This LTI provider is disabled');
      expect(field(response, 'imsx_messageRefIdentifier')).toBeNull();
      expect(targets.resolve).not.toHaveBeenCalled();
      expect(intake.applyScore).not.toHaveBeenCalled();
      expect(ledger.record).toHaveBeenCalledTimes(1);
      expect(ledger.record).toHaveBeenCalledWith({
        ltiVersion: '1.1',
        providerId: disabled.id,
        organizationId: disabled.organizationId,
        enrollmentId: null,
        activityId: null,
        userId: null,
        source: null,
        operation: 'unknown',
        rawScore: null,
        requestId: 'request-1',
        decision: 'rejected',
        reason: 'This LTI provider is disabled',
        resultingStatus: null,
        scorePercent: null,
      });
    });

    it('should answer the DOCTYPE refusal when the same body comes from an authenticated tool (the contrast)', async () => {
      const { handle, intake } = setUp();
      const hostile =
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><imsx_POXEnvelopeRequest>&a;</imsx_POXEnvelopeRequest>';

      const response = await handle(hostile);

      expect(codeMajorOf(response)).toBe('failure');
      expect(descriptionOf(response)).toMatch(/^The request is not a valid POX message: .*DOCTYPE/);
      expect(intake.applyScore).not.toHaveBeenCalled();
    });

    it('should record a rejected row without a provider when the signature matched no provider', async () => {
      const { handle, verifier, ledger } = setUp();
      verifier.authenticate.mockRejectedValueOnce(
        new Lti1p1RequestRefused('The OAuth signature is not valid for this consumer key'),
      );

      const response = await handle(poxRequest('replaceResult', 'anything', '1'));

      expect(descriptionOf(response)).toBe('The OAuth signature is not valid for this consumer key');
      expect(ledger.record).toHaveBeenCalledWith(
        expect.objectContaining({ providerId: null, organizationId: null, decision: 'rejected', source: null }),
      );
    });

    it('should answer failure without calling the verifier when there is no OAuth header', async () => {
      const { handle, verifier, intake, ledger } = setUp();

      const response = await handle(poxRequest('replaceResult', 'anything', '1'), { oauthParams: null });

      expect(codeMajorOf(response)).toBe('failure');
      expect(descriptionOf(response)).toBe('An Authorization: OAuth header is required');
      expect(verifier.authenticate).not.toHaveBeenCalled();
      expect(intake.applyScore).not.toHaveBeenCalled();
      expect(ledger.record).toHaveBeenCalledWith(expect.objectContaining({ decision: 'rejected', providerId: null }));
    });

    it('should still answer the POX failure when the ledger cannot record the refusal', async () => {
      const { handle, verifier, ledger } = setUp();
      verifier.authenticate.mockRejectedValueOnce(new Lti1p1RequestRefused('oauth_body_hash does not match the body'));
      ledger.record.mockRejectedValueOnce(new Error('connection terminated'));

      const response = await handle(poxRequest('replaceResult', 'anything', '1'));

      expect(ledger.record).toHaveBeenCalledTimes(1);
      expect(codeMajorOf(response)).toBe('failure');
      expect(descriptionOf(response)).toBe('oauth_body_hash does not match the body');
      expect(Logger.prototype.error).toHaveBeenCalled();
    });

    it('should forget the cached signer, authenticate on the stored provider and apply once when another process changed the provider', async () => {
      const { handle, sourcedIds, verifier, signers, targets, intake, uow } = setUp();
      targets.resolve.mockRejectedValueOnce(new StaleSigner());

      const response = await handle(poxRequest('replaceResult', sourcedIds.sign(enrollmentTarget), '0.8'));

      expect(codeMajorOf(response)).toBe('success');
      expect(signers.forget).toHaveBeenCalledWith(authenticated.consumerKey);
      expect(verifier.authenticate.mock.calls.map(([, , cached]) => cached)).toEqual([true, false]);
      expect(uow.run).toHaveBeenCalledTimes(2);
      expect(intake.applyScore).toHaveBeenCalledTimes(1);
    });

    it('should refuse and apply nothing when the provider as stored no longer accepts the signature', async () => {
      const { handle, sourcedIds, verifier, targets, intake, ledger } = setUp();
      targets.resolve.mockRejectedValueOnce(new StaleSigner());
      verifier.authenticate
        .mockResolvedValueOnce(authenticated)
        .mockRejectedValueOnce(new Lti1p1RequestRefused('The OAuth signature is not valid for this consumer key'));

      const response = await handle(poxRequest('replaceResult', sourcedIds.sign(enrollmentTarget), '0.8'));

      expect(descriptionOf(response)).toBe('The OAuth signature is not valid for this consumer key');
      expect(intake.applyScore).not.toHaveBeenCalled();
      expect(ledger.record).toHaveBeenCalledWith(expect.objectContaining({ decision: 'rejected' }));
    });

    it('should answer as a failure of ours, never a refusal, when the nonce of a refused request cannot be used up', async () => {
      const { service, verifier, ledger } = setUp();
      const outage = new Error('connection terminated');
      verifier.useUpNonce.mockRejectedValueOnce(outage);
      const body = Buffer.from(poxRequest('replaceResult', 'not-issued-here', '1'), 'utf8');

      const thrown = await service
        .handle({ url: OUTCOMES_URL, oauthParams: OAUTH_PARAMS, body, requestId: 'request-1' })
        .catch((error: unknown) => error);

      expect(thrown).toBeInstanceOf(OutcomesFault);
      expect((thrown as OutcomesFault).cause).toBe(outage);
      expect(ledger.record).toHaveBeenCalledWith(expect.objectContaining({ decision: 'rejected' }));
    });

    it('should answer the reason of a target refusal, checked on the provider as stored, and use up the nonce when the enrollment has ended', async () => {
      const { handle, sourcedIds, verifier, targets, intake, ledger } = setUp();
      targets.resolve.mockRejectedValueOnce(
        new ScoreTargetRefused('This enrollment has ended; its results can no longer change'),
      );

      const response = await handle(poxRequest('replaceResult', sourcedIds.sign(enrollmentTarget), '1'));

      expect(codeMajorOf(response)).toBe('failure');
      expect(descriptionOf(response)).toBe('This enrollment has ended; its results can no longer change');
      expect(verifier.authenticate.mock.calls.map(([, , cached]) => cached)).toEqual([true, false]);
      expect(verifier.useUpNonce).toHaveBeenCalledWith(authenticated);
      expect(intake.applyScore).not.toHaveBeenCalled();
      expect(ledger.record).toHaveBeenCalledWith(
        expect.objectContaining({ decision: 'rejected', providerId: quiz.id }),
      );
    });

    it('should throw a fault carrying a generic failure without the internal message when the intake fails unexpectedly', async () => {
      const { handle, sourcedIds, intake } = setUp();
      const cause = new Error('deadlock detected on relation activity_progress');
      intake.applyScore.mockRejectedValueOnce(cause);

      const fault = await handle(poxRequest('replaceResult', sourcedIds.sign(enrollmentTarget), '1')).catch(
        (error: unknown) => error,
      );

      expect(fault).toBeInstanceOf(OutcomesFault);
      expect((fault as OutcomesFault).cause).toBe(cause);
      const response = poxOf(fault as OutcomesFault);
      expect(codeMajorOf(response)).toBe('failure');
      expect(descriptionOf(response)).toBe('The request could not be processed; it changed nothing. Try again later.');
      expect(response).not.toContain('deadlock');
    });
  });
});
