import { randomUUID } from 'node:crypto';
import {
  LaunchContextService,
  LaunchPlacement,
  LaunchPlacementRepository,
  LaunchProgress,
  LaunchRecorder,
  LaunchRepository,
  NewLaunchRecord,
} from '@tms/core';
import { createLti1p1Fixtures, Lti1p1Fixtures } from '../bench/support/lti1p1-fixtures';
import { startTestApp, TestApp } from './support/test-app';

/**
 * A launch that changes a learner's progress is decided from the progress its placement read and
 * written in one statement that checks, under the enrollment's lock, that the progress is still the
 * one read (`progress_as_read`). What a concurrent writer committed in between must never be
 * overwritten: then the statement writes nothing, and the launch takes the locked path.
 */
describe('a launch written on the progress as read', () => {
  let app: TestApp;
  let fixtures: Lti1p1Fixtures;
  let enrollmentId: string;
  let activityId: string;

  beforeAll(async () => {
    app = await startTestApp();
    fixtures = await createLti1p1Fixtures(app.baseUrl, 1);
    const [learner] = fixtures.learners;
    enrollmentId = learner.enrollmentId;
    activityId = /\/activities\/([^/]+)\/launch/.exec(learner.launchPath)![1];
  });

  afterAll(async () => {
    await app?.close();
  });

  beforeEach(async () => {
    await app.dataSource.query(`DELETE FROM activity_progress WHERE enrollment_id = $1`, [enrollmentId]);
    await app.dataSource.query(`UPDATE enrollments SET completed_at = NULL WHERE id = $1`, [enrollmentId]);
  });

  const readPlacement = async () =>
    (await app.app.get(LaunchPlacementRepository).findByEnrollment(enrollmentId, activityId))!;

  const launchOf = (placement: LaunchPlacement): NewLaunchRecord => ({
    id: randomUUID(),
    userId: placement.enrollment.userId,
    enrollmentId,
    activityId,
    resourceLinkId: placement.link!.id,
    providerId: placement.provider!.id,
    ltiVersion: '1.1',
    kind: 'learner',
    roles: ['Learner'],
    piiSent: [],
    presentationPath: 'window',
    sent: null,
  });

  /** Writes the first launch decided from `placement`: true when it was still the progress as read. */
  const recordAsRead = async (placement: LaunchPlacement, launch: NewLaunchRecord) => {
    const change = await app.app.get(LaunchProgress).changeAsRead(
      {
        enrollmentId,
        activityId,
        link: placement.link!,
        courseActivities: placement.course.activities,
      },
      placement.enrollment,
      placement.progressAsRead,
    );
    return app.app.get(LaunchRepository).recordAsRead(launch, change);
  };

  const launchesWithId = async (id: string) =>
    (await app.dataSource.query(`SELECT 1 FROM lti_launches WHERE id = $1`, [id])).length;

  it('should write the launch and the progress when nothing changed since the placement was read', async () => {
    const placement = await readPlacement();
    const launch = launchOf(placement);

    expect(await recordAsRead(placement, launch)).toBe(true);

    expect(await launchesWithId(launch.id)).toBe(1);
    const [progress] = await app.dataSource.query(
      `SELECT status FROM activity_progress WHERE enrollment_id = $1 AND activity_id = $2`,
      [enrollmentId, activityId],
    );
    expect(progress).toEqual({ status: 'awaiting_score' });
  });

  it.each([
    [
      'a score completed the activity',
      `INSERT INTO activity_progress (enrollment_id, activity_id, status, score_percent, completed_at)
       VALUES ($1, $2, 'completed', 90, now())`,
    ],
    ['the course was completed', `UPDATE enrollments SET completed_at = now() WHERE id = $1 AND $2::uuid IS NOT NULL`],
  ])('should write nothing and answer false when %s after the read', async (_, concurrentWrite) => {
    const placement = await readPlacement();
    await app.dataSource.query(concurrentWrite, [enrollmentId, activityId]);
    const after = await app.dataSource.query(`SELECT * FROM activity_progress WHERE enrollment_id = $1`, [
      enrollmentId,
    ]);
    const launch = launchOf(placement);

    expect(await recordAsRead(placement, launch)).toBe(false);

    expect(await launchesWithId(launch.id)).toBe(0);
    expect(
      await app.dataSource.query(`SELECT * FROM activity_progress WHERE enrollment_id = $1`, [enrollmentId]),
    ).toEqual(after);
  });

  it('should keep a score that landed between the read and the launch, adding the launch under the lock', async () => {
    const placement = await readPlacement();
    const context = app.app.get(LaunchContextService).fromPlacement({ userId: placement.enrollment.userId }, placement);
    await app.dataSource.query(
      `INSERT INTO activity_progress (enrollment_id, activity_id, status, score_percent, completed_at)
       VALUES ($1, $2, 'completed', 90, now())`,
      [enrollmentId, activityId],
    );

    const pending = app.app.get(LaunchRecorder).begin(context, '1.1');
    await pending.commit(['Learner'], []);

    expect(await launchesWithId(pending.id)).toBe(1);
    const [progress] = await app.dataSource.query(
      `SELECT status, score_percent::float AS "scorePercent", first_launched_at IS NOT NULL AS launched
         FROM activity_progress WHERE enrollment_id = $1 AND activity_id = $2`,
      [enrollmentId, activityId],
    );
    expect(progress).toEqual({ status: 'completed', scorePercent: 90, launched: true });
  });
});
