import { DomainError } from '../../errors/domain-error';
import { NO_DETAILS } from '../../grading/submission.repository';
import { Lti1p3Provider } from '../../catalog/lti-provider';
import { LedgerContext, ResultArrival, ScoreIntakeService } from '../../grading/score-intake.service';
import { UnitOfWork } from '../../shared/unit-of-work';
import { lti1p3Provider, resourceLink } from '../../testing/catalog.factories';
import { FIXED_TIME } from '../../testing/fixed-time';
import { activity } from '../../testing/learning.factories';
import { ServiceAccess } from '../service-access';
import { AgsScoreQuery, AgsScoreTarget, AgsScoreTargetRepository } from './ags-score-target.repository';
import { AgsScoresService } from './ags-scores.service';

const now = FIXED_TIME;
const tool: Lti1p3Provider = lti1p3Provider({ id: 'provider-1' }, { services: ['grades'] });
const placed = activity();
const CLASS_ID = '0c1a5500-0000-4000-8000-000000000001';
const COURSE_ID = '0c0a5e00-0000-4000-8000-000000000002';
const LINE_ITEM_ID = '011e1700-0000-4000-8000-000000000003';
const learner = { enrollmentId: 'enrollment-1', userId: 'user-1', role: 'learner' as const };

/** What the statement finds: the tool's declarative line item in a class, one learner. */
function found(overrides: Partial<AgsScoreTarget> = {}): AgsScoreTarget {
  return {
    tokenCurrent: true,
    course: { id: COURSE_ID, organizationId: 'org-1' },
    placed: true,
    activities: [placed],
    lineItem: { id: LINE_ITEM_ID, activityId: placed.id, declarative: true },
    link: resourceLink(),
    learners: [learner],
    snapshot: null,
    ...overrides,
  };
}

/** A score publish as AGS 2.0 §3.4 writes it. */
function publish(overrides: Record<string, unknown> = {}) {
  return {
    userId: 'user-1',
    scoreGiven: 80,
    scoreMaximum: 100,
    activityProgress: 'Completed',
    gradingProgress: 'FullyGraded',
    timestamp: now.toISOString(),
    ...overrides,
  };
}

function setUp(options: { found?: Partial<AgsScoreTarget>; contextId?: string } = {}) {
  const targets: jest.Mocked<AgsScoreTargetRepository> = {
    resolve: jest.fn(async (_query: AgsScoreQuery) => found(options.found)),
  };
  const access: jest.Mocked<Pick<ServiceAccess, 'forget'>> = { forget: jest.fn() };
  const intake: jest.Mocked<Pick<ScoreIntakeService, 'publishResult' | 'refuse' | 'acknowledgePreview'>> = {
    publishResult: jest.fn(async (_arrival: ResultArrival) => 'applied' as const),
    refuse: jest.fn(async (_ledger: LedgerContext, _reason: string) => undefined),
    acknowledgePreview: jest.fn(async (_ledger: LedgerContext) => undefined),
  };
  const uow = { run: jest.fn(async (work: () => Promise<unknown>) => work()) };
  const service = new AgsScoresService(
    targets,
    access as unknown as ServiceAccess,
    intake as unknown as ScoreIntakeService,
    uow as unknown as UnitOfWork,
  );
  const contextId = options.contextId ?? CLASS_ID;
  const send = (body: unknown) =>
    service.publishScore({ provider: tool, tokenHash: 'token-hash' }, contextId, LINE_ITEM_ID, body, 'request-1', now);
  return { send, targets, access, intake, uow };
}

const ledger = {
  ltiVersion: '1.3',
  providerId: 'provider-1',
  organizationId: 'org-1',
  enrollmentId: null,
  activityId: placed.id,
  userId: null,
  source: `/lti/1p3/ags/contexts/${CLASS_ID}/lineitems/${LINE_ITEM_ID}`,
  operation: 'score',
  rawScore: '80/100',
  requestId: 'request-1',
};

describe('AgsScoresService.publishScore', () => {
  it('should hand the learner’s score to the intake with the placement it decides when the line item is the platform’s', async () => {
    const { send, targets, intake, uow } = setUp();

    expect(await send(publish())).toBe('applied');

    expect(targets.resolve).toHaveBeenCalledWith({
      tokenHash: 'token-hash',
      scoreScope: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
      providerId: 'provider-1',
      userIdSource: 'internal',
      classId: CLASS_ID,
      selfPacedCourseId: null,
      lineItemId: LINE_ITEM_ID,
      // Not a UUID, so the source `internal` can name nobody with it.
      ltiUserId: null,
    });
    expect(uow.run).toHaveBeenCalledTimes(1);
    expect(intake.publishResult).toHaveBeenCalledWith({
      ledger: { ...ledger, enrollmentId: 'enrollment-1', userId: 'user-1' },
      result: {
        lineItemId: LINE_ITEM_ID,
        enrollmentId: 'enrollment-1',
        ltiUserId: 'user-1',
        scoreGiven: '80',
        scoreMaximum: '100',
        comment: null,
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
        scoredAt: now,
      },
      target: {
        enrollmentId: 'enrollment-1',
        activityId: placed.id,
        link: resourceLink(),
        courseActivities: [placed],
      },
      tool: { grading: 'final', activityCompleted: true },
      details: { ...NO_DETAILS },
      now,
    });
    expect(intake.refuse).not.toHaveBeenCalled();
  });

  it('should pass no placement when the line item is the tool’s own', async () => {
    const { send, intake } = setUp({
      found: { lineItem: { id: LINE_ITEM_ID, activityId: placed.id, declarative: false }, link: null },
    });

    await send(publish({ gradingProgress: 'PendingManual' }));

    expect(intake.publishResult).toHaveBeenCalledWith(
      expect.objectContaining({ target: null, tool: { grading: 'review', activityCompleted: true } }),
    );
  });

  it('should refuse, record the reason and store nothing when the body is not a score', async () => {
    const { send, intake } = setUp();

    await expect(send(publish({ scoreGiven: -1 }))).rejects.toMatchObject({ code: 'validation_failed' });

    expect(intake.refuse).toHaveBeenCalledWith({ ...ledger, rawScore: null }, expect.stringMatching(/scoreGiven/));
    expect(intake.publishResult).not.toHaveBeenCalled();
  });

  it.each([
    ['nobody is enrolled with that user id', [], /No learner with userId user-1 is enrolled/],
    ['several people share the user id', [learner, { ...learner, enrollmentId: 'enrollment-2' }], /Several people/],
    ['the user id teaches the context', [{ ...learner, role: 'instructor' as const }], /teaches this context/],
  ])('should refuse, record why and store nothing when %s', async (_, learners, reason) => {
    const { send, intake } = setUp({ found: { learners } });

    await expect(send(publish())).rejects.toMatchObject({
      code: 'validation_failed',
      message: expect.stringMatching(reason),
    });

    expect(intake.refuse).toHaveBeenCalledWith(ledger, expect.stringMatching(reason));
    expect(intake.publishResult).not.toHaveBeenCalled();
    expect(intake.acknowledgePreview).not.toHaveBeenCalled();
  });

  it('should acknowledge a preview’s test learner in a self-paced offering and store nothing', async () => {
    const { send, intake } = setUp({ contextId: `${COURSE_ID}:self-paced`, found: { learners: [] } });

    expect(await send(publish({ userId: 'test-learner-c0ffee00-1234-4567-89ab-cdef01234567' }))).toBe('preview');

    expect(intake.acknowledgePreview).toHaveBeenCalledTimes(1);
    expect(intake.publishResult).not.toHaveBeenCalled();
  });

  it('should refuse a test learner’s score in a class, where no preview runs', async () => {
    const { send, intake } = setUp({ found: { learners: [] } });

    await expect(send(publish({ userId: 'test-learner-c0ffee00-1234-4567-89ab-cdef01234567' }))).rejects.toMatchObject({
      code: 'validation_failed',
    });
    expect(intake.acknowledgePreview).not.toHaveBeenCalled();
    expect(intake.publishResult).not.toHaveBeenCalled();
  });

  it('should refuse as unauthenticated, forget the cached token and store nothing when the token is no longer usable', async () => {
    const { send, access, intake } = setUp({ found: { tokenCurrent: false } });

    await expect(send(publish())).rejects.toMatchObject({ code: 'unauthenticated' });

    expect(access.forget).toHaveBeenCalledWith('token-hash');
    expect(intake.refuse).not.toHaveBeenCalled();
    expect(intake.publishResult).not.toHaveBeenCalled();
  });

  it.each([
    ['the context is not the tool’s', { placed: false }, 'Context'],
    ['the context does not exist', { course: null, placed: false }, 'Context'],
    ['the line item is not the tool’s in this context', { lineItem: null }, 'Line item'],
  ])('should answer not found and record nothing when %s', async (_, overrides, what) => {
    const { send, intake } = setUp({ found: overrides });

    await expect(send(publish())).rejects.toEqual(DomainError.notFound(what));

    expect(intake.refuse).not.toHaveBeenCalled();
    expect(intake.publishResult).not.toHaveBeenCalled();
  });

  it('should answer not found without a query when the context id names no class or offering', async () => {
    const { send, targets } = setUp({ contextId: 'not-a-context' });

    await expect(send(publish())).rejects.toEqual(DomainError.notFound('Context'));
    expect(targets.resolve).not.toHaveBeenCalled();
  });

  it('should throw the conflict of a stale score after the transaction that kept its ledger entry', async () => {
    const { send, intake, uow } = setUp();
    const conflict = new DomainError('conflict', 'A score with the same or a later timestamp is stored');
    intake.publishResult.mockRejectedValueOnce(conflict);

    await expect(send(publish())).rejects.toBe(conflict);
    await expect(uow.run.mock.results[0].value).resolves.toBe(conflict);
  });

  it('should hand over the learner’s locked snapshot when the statement took it', async () => {
    const snapshot = { enrollment: {} as never, progress: [], overridden: false, storedResult: null };
    const { send, intake } = setUp({ found: { snapshot } });

    await send(publish());

    expect(intake.publishResult).toHaveBeenCalledWith(expect.objectContaining({ snapshot }));
  });

  it('should name the context in the ledger as the platform writes it when the tool sends the class id in upper case', async () => {
    const { send, targets, intake } = setUp({ contextId: CLASS_ID.toUpperCase(), found: { learners: [] } });

    await expect(send(publish())).rejects.toMatchObject({ code: 'validation_failed' });

    expect(targets.resolve).toHaveBeenCalledWith(expect.objectContaining({ classId: CLASS_ID.toUpperCase() }));
    expect(intake.refuse).toHaveBeenCalledWith(expect.objectContaining({ source: ledger.source }), expect.any(String));
  });
});
