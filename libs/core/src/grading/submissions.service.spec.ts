import { AccessService } from '../access/access.service';
import { AuditTrail } from '../audit/audit-trail';
import { LtiProviderRepository } from '../catalog/lti-provider.repository';
import { LtiResourceLinkRepository } from '../catalog/lti-resource-link.repository';
import { UserRepository } from '../identity/user.repository';
import { ClassRepository } from '../learning/class.repository';
import { CourseRepository } from '../learning/course.repository';
import { EnrollmentRepository } from '../learning/enrollment.repository';
import { lti1p1Provider, resourceLink } from '../testing/catalog.factories';
import { scope, user } from '../testing/identity.factories';
import { course, enrollment } from '../testing/learning.factories';
import { GradedPlacements } from './graded-placements';
import { ProgressWriter } from './progress-writer';
import { ScoreIntakeService } from './score-intake.service';
import { SubmissionRepository } from './submission.repository';
import { SubmissionsService } from './submissions.service';

const LEARNER = 'learner-1';
const TEACHER = 'teacher-1';
const STRANGER = 'learner-2';

/** The service over typed port mocks: one learner enrolled, a teacher whose scope covers it. */
function setUp() {
  const learnerEnrollment = enrollment({ userId: LEARNER });
  const enrollments = {
    findById: jest.fn(async (_id: string) => learnerEnrollment),
    findInScope: jest.fn(async (s: { userId: string }, _id: string) =>
      s.userId === TEACHER ? learnerEnrollment : null,
    ),
  };
  const access = { lookupScope: jest.fn(async (principal: { userId: string }) => scope(principal.userId)) };
  const placements = new GradedPlacements(
    access as unknown as AccessService,
    enrollments as unknown as EnrollmentRepository,
    { findById: jest.fn(async () => course()) } as unknown as CourseRepository,
    { findById: jest.fn(async () => null) } as unknown as ClassRepository,
    { findById: jest.fn(async () => resourceLink()) } as unknown as LtiResourceLinkRepository,
    { findById: jest.fn(async () => lti1p1Provider()) } as unknown as LtiProviderRepository,
  );
  const submissions: jest.Mocked<SubmissionRepository> = {
    record: jest.fn(),
    history: jest.fn(async (_e: string, _a: string) => []),
    standingOverride: jest.fn(async (_e: string, _a: string) => null),
    latestFromTool: jest.fn(async (_e: string, _a: string) => null),
  };
  const intake = { applyOverride: jest.fn(), clearOverride: jest.fn() };
  const audit = {
    change: jest.fn(async (change: () => Promise<unknown>, _describe: (result: unknown) => unknown) => change()),
  };
  const service = new SubmissionsService(
    placements,
    submissions,
    { current: jest.fn(async () => ({ status: 'not_started' })) } as unknown as ProgressWriter,
    { findById: jest.fn(async (id: string) => user({ id })) } as unknown as UserRepository,
    intake as unknown as ScoreIntakeService,
    audit as unknown as AuditTrail,
  );
  return { service, intake, audit, submissions };
}

const grade = { scorePercent: '90', status: null, reason: 'Regraded' };

describe('SubmissionsService', () => {
  it('should show the learner their own attempts as the learner when they open them', async () => {
    const { service } = setUp();
    const view = await service.view({ userId: LEARNER }, 'enrollment-1', 'activity-1');
    expect(view.placement.viewer).toBe('learner');
  });

  it('should answer not found and read nothing when another learner opens them', async () => {
    const { service, submissions } = setUp();
    await expect(service.view({ userId: STRANGER }, 'enrollment-1', 'activity-1')).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(submissions.history).not.toHaveBeenCalled();
  });

  it('should refuse and write nothing when the learner grades their own work', async () => {
    const { service, intake, audit } = setUp();
    await expect(service.override({ userId: LEARNER }, 'enrollment-1', 'activity-1', grade)).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(intake.applyOverride).not.toHaveBeenCalled();
    expect(audit.change).not.toHaveBeenCalled();
  });

  it('should refuse and write nothing when a grade has neither a score nor a completion', async () => {
    const { service, intake } = setUp();
    await expect(
      service.override({ userId: TEACHER }, 'enrollment-1', 'activity-1', { ...grade, scorePercent: null }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    expect(intake.applyOverride).not.toHaveBeenCalled();
  });

  it('should apply the grade through the intake with an audit entry when the teacher grades', async () => {
    const { service, intake, audit } = setUp();
    intake.applyOverride.mockResolvedValue({ status: 'completed' });
    await service.override({ userId: TEACHER }, 'enrollment-1', 'activity-1', grade);
    expect(intake.applyOverride).toHaveBeenCalledWith(
      expect.objectContaining({
        reason: 'Regraded',
        byUserId: TEACHER,
        ltiUserId: LEARNER,
        ledger: expect.objectContaining({ operation: 'override', userId: LEARNER, enrollmentId: 'enrollment-1' }),
      }),
      grade,
    );
    const describe = audit.change.mock.calls[0][1];
    expect(describe({ status: 'completed' })).toMatchObject({
      entityType: 'grade',
      entityId: 'enrollment-1',
      actorUserId: TEACHER,
      after: { activityId: 'activity-1', scorePercent: '90', resultingStatus: 'completed' },
    });
  });
});
