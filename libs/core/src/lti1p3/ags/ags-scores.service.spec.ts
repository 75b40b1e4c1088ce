import { NO_DETAILS } from '../../grading/submission.repository';
import { Lti1p3Provider, LtiProvider, UserIdSource } from '../../catalog/lti-provider';
import { LineItem } from '../../grading/line-item.repository';
import { LedgerContext, ResultArrival, ScoreIntakeService } from '../../grading/score-intake.service';
import { EnrollmentRepository } from '../../learning/enrollment.repository';
import { ltiContextOf } from '../../learning/lti-context';
import { lti1p3Provider, resourceLink } from '../../testing/catalog.factories';
import { FIXED_TIME } from '../../testing/fixed-time';
import { activity, course, courseClass, enrollment } from '../../testing/learning.factories';
import { ServiceContext, ServiceContexts } from '../service-contexts';
import { AgsScoresService } from './ags-scores.service';
import { LineItemsService } from './line-items.service';

const now = FIXED_TIME;
const tool: Lti1p3Provider = lti1p3Provider({ id: 'provider-1' }, { services: ['grades'] });
const placed = activity();
const classContext: ServiceContext = {
  course: course({ activities: [placed] }),
  courseClass: courseClass(),
  context: ltiContextOf(course(), courseClass()),
  placements: [{ activity: placed, link: resourceLink(), resourceLinkId: 'rl-class-1' }],
};
const selfPacedContext: ServiceContext = {
  ...classContext,
  courseClass: null,
  context: ltiContextOf(course(), null),
};

function lineItem(overrides: Partial<LineItem> = {}): LineItem {
  return {
    id: 'line-item-1',
    providerId: 'provider-1',
    courseId: 'course-1',
    classId: 'class-1',
    activityId: placed.id,
    declarative: true,
    label: 'Chapter 3 quiz',
    scoreMaximum: '100',
    resourceLinkId: 'rl-class-1',
    resourceId: null,
    tag: null,
    startDateTime: null,
    endDateTime: null,
    gradesReleased: null,
    submissionReview: null,
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

function setUp(
  options: { context?: ServiceContext; item?: LineItem; enrolled?: ReturnType<typeof enrollment>[] } = {},
) {
  const contexts: jest.Mocked<Pick<ServiceContexts, 'resolve'>> = {
    resolve: jest.fn(async (_provider: LtiProvider, _contextId: string) => options.context ?? classContext),
  };
  const lineItems: jest.Mocked<Pick<LineItemsService, 'find'>> = {
    find: jest.fn(async (_provider: LtiProvider, _context: ServiceContext, _id: string) => options.item ?? lineItem()),
  };
  const enrollments: jest.Mocked<Pick<EnrollmentRepository, 'findActiveByLtiUserId'>> = {
    findActiveByLtiUserId: jest.fn(
      async (_context: { courseId: string; classId: string | null }, _source: UserIdSource, _userId: string) =>
        options.enrolled ?? [enrollment()],
    ),
  };
  const intake: jest.Mocked<Pick<ScoreIntakeService, 'publishResult' | 'refuse' | 'acknowledgePreview'>> = {
    publishResult: jest.fn(async (_arrival: ResultArrival) => 'applied' as const),
    refuse: jest.fn(async (_ledger: LedgerContext, _reason: string) => undefined),
    acknowledgePreview: jest.fn(async (_ledger: LedgerContext) => undefined),
  };
  const service = new AgsScoresService(
    contexts as unknown as ServiceContexts,
    lineItems as unknown as LineItemsService,
    enrollments as unknown as EnrollmentRepository,
    intake as unknown as ScoreIntakeService,
  );
  const send = (body: unknown) => service.publishScore(tool, 'class-1', 'line-item-1', body, 'request-1', now);
  return { send, contexts, enrollments, intake };
}

const ledger = {
  ltiVersion: '1.3',
  providerId: 'provider-1',
  organizationId: 'org-1',
  enrollmentId: null,
  activityId: placed.id,
  userId: null,
  source: '/lti/1p3/ags/contexts/class-1/lineitems/line-item-1',
  operation: 'score',
  rawScore: '80/100',
  requestId: 'request-1',
};

describe('AgsScoresService.publishScore', () => {
  it('should hand the learner’s score to the intake with the placement it decides when the line item is the platform’s', async () => {
    const { send, enrollments, intake } = setUp();

    expect(await send(publish())).toBe('applied');

    expect(enrollments.findActiveByLtiUserId).toHaveBeenCalledWith(
      { courseId: 'course-1', classId: 'class-1' },
      'internal',
      'user-1',
    );
    expect(intake.publishResult).toHaveBeenCalledWith({
      ledger: { ...ledger, enrollmentId: 'enrollment-1', userId: 'user-1' },
      result: {
        lineItemId: 'line-item-1',
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
    const { send, intake } = setUp({ item: lineItem({ declarative: false }) });

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
    ['several people share the user id', [enrollment(), enrollment({ id: 'enrollment-2' })], /Several people/],
    ['the user id teaches the context', [enrollment({ role: 'instructor' })], /teaches this context/],
  ])('should refuse, record why and store nothing when %s', async (_, enrolled, reason) => {
    const { send, intake } = setUp({ enrolled });

    await expect(send(publish())).rejects.toMatchObject({
      code: 'validation_failed',
      message: expect.stringMatching(reason),
    });

    expect(intake.refuse).toHaveBeenCalledWith(ledger, expect.stringMatching(reason));
    expect(intake.publishResult).not.toHaveBeenCalled();
    expect(intake.acknowledgePreview).not.toHaveBeenCalled();
  });

  it('should acknowledge a preview’s test learner in a self-paced offering and store nothing', async () => {
    const { send, intake } = setUp({ context: selfPacedContext, enrolled: [] });

    expect(await send(publish({ userId: 'test-learner-c0ffee00-1234-4567-89ab-cdef01234567' }))).toBe('preview');

    expect(intake.acknowledgePreview).toHaveBeenCalledTimes(1);
    expect(intake.publishResult).not.toHaveBeenCalled();
  });

  it('should refuse a test learner’s score in a class, where no preview runs', async () => {
    const { send, intake } = setUp({ enrolled: [] });

    await expect(send(publish({ userId: 'test-learner-c0ffee00-1234-4567-89ab-cdef01234567' }))).rejects.toMatchObject({
      code: 'validation_failed',
    });
    expect(intake.acknowledgePreview).not.toHaveBeenCalled();
    expect(intake.publishResult).not.toHaveBeenCalled();
  });
});
