import { CourseRepository } from '../learning/course.repository';
import { ProgressRepository } from '../learning/progress.repository';
import { UnitOfWork } from '../shared/unit-of-work';
import { resourceLink } from '../testing/catalog.factories';
import { FIXED_TIME } from '../testing/fixed-time';
import { enrollment, progress } from '../testing/learning.factories';
import { LaunchProgress, ProgressAsRead } from './launch-progress';
import { ProgressWriter, ScoreTarget } from './progress-writer';

const launchProgress = new LaunchProgress(
  {} as UnitOfWork,
  new ProgressWriter({} as ProgressRepository, {} as CourseRepository),
);

/** A course of two required activities; the learner launches the first. */
function target(requiresScoreForCompletion: boolean): ScoreTarget {
  return {
    enrollmentId: 'enrollment-1',
    activityId: 'activity-1',
    link: resourceLink({ requiresScoreForCompletion }),
    courseActivities: [
      { id: 'activity-1', required: true },
      { id: 'activity-2', required: true },
    ],
  };
}

const done = { status: 'completed' as const, completedAt: FIXED_TIME, firstLaunchedAt: FIXED_TIME };

describe('LaunchProgress.changeAsRead', () => {
  it('should wait for the score and leave the course as it is when a first launch’s placement takes a score', async () => {
    const asRead: ProgressAsRead = { fingerprint: 'f', rows: [] };

    const change = await launchProgress.changeAsRead(target(true), enrollment(), asRead, FIXED_TIME);

    expect(change).toEqual({
      enrollmentId: 'enrollment-1',
      fingerprint: 'f',
      progress: progress({ status: 'awaiting_score', firstLaunchedAt: FIXED_TIME }),
      courseCompletedAt: undefined,
    });
  });

  it('should complete the activity and the course when the last required activity takes no score', async () => {
    const asRead: ProgressAsRead = { fingerprint: 'f', rows: [progress({ activityId: 'activity-2', ...done })] };

    const change = await launchProgress.changeAsRead(target(false), enrollment(), asRead, FIXED_TIME);

    expect(change.progress).toEqual(progress({ ...done }));
    expect(change.courseCompletedAt).toEqual(FIXED_TIME);
  });

  it('should complete the activity but not the course while another required activity is not complete', async () => {
    const asRead: ProgressAsRead = {
      fingerprint: 'f',
      rows: [progress({ activityId: 'activity-2', status: 'awaiting_score', firstLaunchedAt: FIXED_TIME })],
    };

    const change = await launchProgress.changeAsRead(target(false), enrollment(), asRead, FIXED_TIME);

    expect(change.progress.status).toBe('completed');
    expect(change.courseCompletedAt).toBeUndefined();
  });

  it('should keep the first launch’s time when the activity was launched before', async () => {
    const earlier = new Date(FIXED_TIME.getTime() - 60_000);
    const asRead: ProgressAsRead = {
      fingerprint: 'f',
      rows: [progress({ status: 'launched', firstLaunchedAt: earlier })],
    };

    const change = await launchProgress.changeAsRead(target(true), enrollment(), asRead, FIXED_TIME);

    expect(change.progress).toMatchObject({ status: 'awaiting_score', firstLaunchedAt: earlier });
  });
});
