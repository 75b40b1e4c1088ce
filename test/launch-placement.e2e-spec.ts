import {
  CourseRepository,
  EnrollmentRepository,
  LaunchPlacementRepository,
  LtiProviderRepository,
  LtiResourceLinkRepository,
  OrganizationRepository,
  ProgressRepository,
  UserRepository,
} from '@tms/core';
import { createSelfPacedLearner } from '../bench/support/lti1p1-fixtures';
import { Lti1p3Placement, placeLti1p3Tool } from '../bench/support/lti1p3-fixtures';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The placement a launch reads in one statement, rows rendered as JSON and hydrated through
 * TypeORM's column conversion, must be what each repository reads of the same rows.
 */
describe('LaunchPlacementRepository', () => {
  let testApp: TestApp;
  let placed: Lti1p3Placement;
  let enrollmentId: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    placed = await placeLti1p3Tool(testApp.baseUrl);
    ({ enrollmentId } = await createSelfPacedLearner(placed.root, {
      email: 'placement-learner@example.com',
      name: 'Placement Learner',
      password: 'a-long-placement-password',
      organizationId: placed.organizationId,
      courseId: placed.courseId,
    }));
  });

  afterAll(async () => {
    await testApp?.close();
  });

  const get = <T>(port: abstract new (...args: never[]) => T) => testApp.app.get(port as never) as T;

  it('should read the same enrollment, person, course, link, tool, lineage and progress as their repositories when it reads a placement', async () => {
    await testApp.dataSource.query(
      `INSERT INTO activity_progress (enrollment_id, activity_id, status, score_given, score_maximum, score_percent, first_launched_at)
       VALUES ($1, $2, 'awaiting_score', '7.50', '10', 75, now())`,
      [enrollmentId, placed.activityId],
    );

    const placement = await get(LaunchPlacementRepository).findByEnrollment(enrollmentId, placed.activityId);

    const enrollment = await get(EnrollmentRepository).findById(enrollmentId);
    const course = await get(CourseRepository).findById(placed.courseId);
    const link = await get(LtiResourceLinkRepository).findById(course!.activities[0].resourceLinkId);
    expect(placement).toEqual({
      enrollment,
      person: await get(UserRepository).findById(enrollment!.userId),
      course,
      courseClass: null,
      activity: course!.activities[0],
      link,
      provider: await get(LtiProviderRepository).findById(placed.providerId),
      lineage: expect.arrayContaining(await get(OrganizationRepository).findLineageIds([placed.organizationId])),
      progress: await get(ProgressRepository).find(enrollmentId, placed.activityId),
      progressAsRead: {
        fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
        rows: await get(ProgressRepository).listForEnrollments([enrollmentId]),
      },
    });
    expect(placement!.lineage).toHaveLength(2);
    expect(placement!.progress).toMatchObject({ scoreGiven: '7.50', scoreMaximum: '10', scorePercent: 75 });
  });

  it('should read the enrollment without an activity, link or tool when the activity is not its course’s', async () => {
    const placement = await get(LaunchPlacementRepository).findByEnrollment(enrollmentId, placed.providerId);

    expect(placement).toMatchObject({ activity: null, link: null, provider: null, progress: null });
    expect(placement!.enrollment.id).toBe(enrollmentId);
  });

  it('should read nothing when the enrollment does not exist or an id is not a UUID', async () => {
    const placements = get(LaunchPlacementRepository);

    expect(await placements.findByEnrollment(placed.activityId, placed.activityId)).toBeNull();
    expect(await placements.findByEnrollment('not-a-uuid', placed.activityId)).toBeNull();
  });
});
