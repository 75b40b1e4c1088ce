import { ActivityProgress, notStarted, ProgressStatus } from '../learning/learning';
import {
  CompletionRule,
  percentOf,
  progressAfterLaunch,
  progressAfterOverride,
  progressAfterScore,
  sameProgress,
  ToolGrading,
} from './completion';

const firstDay = new Date('2026-03-01T09:00:00Z');
const secondDay = new Date('2026-03-02T09:00:00Z');
const thirdDay = new Date('2026-03-03T09:00:00Z');

const scored: CompletionRule = { requiresScoreForCompletion: true, passingScore: 80 };
const anyScore: CompletionRule = { requiresScoreForCompletion: true, passingScore: null };
const noScore: CompletionRule = { requiresScoreForCompletion: false, passingScore: null };

function progress(status: ProgressStatus, overrides: Partial<ActivityProgress> = {}): ActivityProgress {
  return {
    ...notStarted('enrollment-1', 'activity-1'),
    status,
    firstLaunchedAt: status === 'not_started' ? null : firstDay,
    ...overrides,
  };
}

const completedOnFirstDay = progress('completed', {
  scoreGiven: '0.9',
  scoreMaximum: '1',
  scorePercent: 90,
  scoredAt: firstDay,
  completedAt: firstDay,
});
const failedOnFirstDay = progress('failed', {
  scoreGiven: '0.5',
  scoreMaximum: '1',
  scorePercent: 50,
  scoredAt: firstDay,
});

describe('progressAfterLaunch', () => {
  it('should wait for a score and record the first launch when the link requires a score', () => {
    const next = progressAfterLaunch(notStarted('enrollment-1', 'activity-1'), scored, firstDay);

    expect(next).toEqual({
      ...notStarted('enrollment-1', 'activity-1'),
      status: 'awaiting_score',
      firstLaunchedAt: firstDay,
    });
  });

  it('should complete at the first launch when the link requires no score', () => {
    const next = progressAfterLaunch(notStarted('enrollment-1', 'activity-1'), noScore, firstDay);

    expect(next).toEqual({
      ...notStarted('enrollment-1', 'activity-1'),
      status: 'completed',
      firstLaunchedAt: firstDay,
      completedAt: firstDay,
    });
  });

  it('should wait for a score when an activity only marked launched is launched again', () => {
    const next = progressAfterLaunch(progress('launched'), scored, secondDay);

    expect(next.status).toBe('awaiting_score');
    expect(next.firstLaunchedAt).toEqual(firstDay);
  });

  it('should keep the first launch date when the activity is launched again', () => {
    const once = progressAfterLaunch(notStarted('enrollment-1', 'activity-1'), scored, firstDay);
    const twice = progressAfterLaunch(once, scored, secondDay);

    expect(twice.firstLaunchedAt).toEqual(firstDay);
    expect(twice.status).toBe('awaiting_score');
  });

  it('should keep a failed activity failed with its score when the learner launches again', () => {
    const next = progressAfterLaunch(failedOnFirstDay, scored, secondDay);

    expect(next).toEqual(failedOnFirstDay);
  });

  it('should keep a completed activity and its completion date when the learner launches again', () => {
    const next = progressAfterLaunch(completedOnFirstDay, scored, secondDay);

    expect(next).toEqual(completedOnFirstDay);
  });

  it('should keep the completion date when an activity without a required score is launched again', () => {
    const once = progressAfterLaunch(notStarted('enrollment-1', 'activity-1'), noScore, firstDay);
    const twice = progressAfterLaunch(once, noScore, secondDay);

    expect(twice).toEqual(once);
    expect(twice.completedAt).toEqual(firstDay);
  });

  it('should not change the progress it is given when it computes the next one', () => {
    const current = notStarted('enrollment-1', 'activity-1');
    progressAfterLaunch(current, noScore, firstDay);

    expect(current).toEqual(notStarted('enrollment-1', 'activity-1'));
  });
});

describe('progressAfterScore', () => {
  it('should complete the activity at now when the score reaches the passing score', () => {
    const next = progressAfterScore(progress('awaiting_score'), scored, { given: '0.85', maximum: '1' }, secondDay);

    expect(next).toEqual({
      ...progress('awaiting_score'),
      status: 'completed',
      scoreGiven: '0.85',
      scoreMaximum: '1',
      scorePercent: 85,
      scoredAt: secondDay,
      completedAt: secondDay,
    });
  });

  it('should complete the activity when the score is exactly the passing score', () => {
    const next = progressAfterScore(progress('awaiting_score'), scored, { given: '8', maximum: '10' }, secondDay);

    expect(next.status).toBe('completed');
    expect(next.scorePercent).toBe(80);
  });

  it('should keep the first completion date when an already completed activity gets a new passing score', () => {
    const next = progressAfterScore(completedOnFirstDay, scored, { given: '0.95', maximum: '1' }, secondDay);

    expect(next.status).toBe('completed');
    expect(next.completedAt).toEqual(firstDay);
    expect(next.scoreGiven).toBe('0.95');
    expect(next.scoredAt).toEqual(secondDay);
  });

  it('should set the completion date to now when a failed activity gets a passing score', () => {
    const next = progressAfterScore(failedOnFirstDay, scored, { given: '0.8', maximum: '1' }, secondDay);

    expect(next.status).toBe('completed');
    expect(next.completedAt).toEqual(secondDay);
  });

  it('should fail the activity without a completion date when the score is below the passing score', () => {
    const next = progressAfterScore(progress('awaiting_score'), scored, { given: '0.79', maximum: '1' }, secondDay);

    expect(next).toEqual({
      ...progress('awaiting_score'),
      status: 'failed',
      scoreGiven: '0.79',
      scoreMaximum: '1',
      scorePercent: 79,
      scoredAt: secondDay,
      completedAt: null,
    });
  });

  it('should fail a completed activity and clear its completion date when a lower score replaces the passing one', () => {
    const next = progressAfterScore(completedOnFirstDay, scored, { given: '0.2', maximum: '1' }, secondDay);

    expect(next.status).toBe('failed');
    expect(next.completedAt).toBeNull();
  });

  it.each(['0', '0.01', '1'])('should complete the activity with score %s when no passing score is set', (given) => {
    const next = progressAfterScore(progress('awaiting_score'), anyScore, { given, maximum: '1' }, secondDay);

    expect(next.status).toBe('completed');
    expect(next.completedAt).toEqual(secondDay);
  });

  it('should wait for a score again with every score field cleared when the score is deleted', () => {
    const next = progressAfterScore(completedOnFirstDay, scored, null, secondDay);

    expect(next).toEqual({
      ...completedOnFirstDay,
      status: 'awaiting_score',
      scoreGiven: null,
      scoreMaximum: null,
      scorePercent: null,
      scoredAt: secondDay,
      completedAt: null,
    });
  });

  it('should keep the status and record the score when the link requires no score', () => {
    const current = progress('completed', { completedAt: firstDay });
    const next = progressAfterScore(current, noScore, { given: '0.1', maximum: '1' }, secondDay);

    expect(next).toEqual({
      ...current,
      scoreGiven: '0.1',
      scoreMaximum: '1',
      scorePercent: 10,
      scoredAt: secondDay,
    });
  });

  it('should keep the status and clear the score when the link requires no score and the score is deleted', () => {
    const current = progress('completed', {
      scoreGiven: '0.1',
      scoreMaximum: '1',
      scorePercent: 10,
      completedAt: firstDay,
    });
    const next = progressAfterScore(current, noScore, null, thirdDay);

    expect(next.status).toBe('completed');
    expect(next.completedAt).toEqual(firstDay);
    expect(next.scoreGiven).toBeNull();
    expect(next.scorePercent).toBeNull();
    expect(next.scoredAt).toEqual(thirdDay);
  });

  it('should complete the activity when 0.29 out of 1 meets a passing score of 29', () => {
    const next = progressAfterScore(
      progress('awaiting_score'),
      { requiresScoreForCompletion: true, passingScore: 29 },
      { given: '0.29', maximum: '1' },
      secondDay,
    );

    expect(next.status).toBe('completed');
    expect(next.scorePercent).toBe(29);
  });

  it('should fail the activity when the score is a thousandth of a percent under the passing score', () => {
    const next = progressAfterScore(
      progress('awaiting_score'),
      { requiresScoreForCompletion: true, passingScore: 29 },
      { given: '0.28999', maximum: '1' },
      secondDay,
    );

    expect(next.status).toBe('failed');
    expect(next.scorePercent).toBe(28.999);
  });
});

describe('progressAfterScore with what an AGS tool says besides the score', () => {
  const review: ToolGrading = { grading: 'review', activityCompleted: true };
  const pending: ToolGrading = { grading: 'pending', activityCompleted: false };
  const finalAndCompleted: ToolGrading = { grading: 'final', activityCompleted: true };

  it('should await review and keep the partial score when a person must still grade the work (PendingManual)', () => {
    const next = progressAfterScore(completedOnFirstDay, scored, { given: '40', maximum: '100' }, secondDay, review);

    expect(next.status).toBe('awaiting_review');
    expect(next.completedAt).toBeNull();
    expect(next.scoreGiven).toBe('40');
  });

  it('should await a score when grading is not final, even for a score above the passing score', () => {
    const next = progressAfterScore(progress('launched'), scored, { given: '95', maximum: '100' }, secondDay, pending);

    expect(next.status).toBe('awaiting_score');
    expect(next.scorePercent).toBe(95);
  });

  it('should complete by the score when grading is final (FullyGraded), whatever the activity progress', () => {
    const next = progressAfterScore(progress('awaiting_review'), scored, { given: '80', maximum: '100' }, secondDay, {
      grading: 'final',
      activityCompleted: false,
    });

    expect(next.status).toBe('completed');
  });

  it('should count a score of 0 as a score: failed under a passing score, completed when any score passes', () => {
    const zero = { given: '0', maximum: '100' };

    expect(progressAfterScore(progress('awaiting_score'), scored, zero, secondDay).status).toBe('failed');
    expect(progressAfterScore(progress('awaiting_score'), anyScore, zero, secondDay)).toMatchObject({
      status: 'completed',
      scorePercent: 0,
      scoreGiven: '0',
    });
  });

  it('should keep a score above the maximum, at over 100 percent', () => {
    const next = progressAfterScore(progress('awaiting_score'), scored, { given: '150', maximum: '100' }, secondDay);

    expect(next).toMatchObject({ status: 'completed', scoreGiven: '150', scorePercent: 150 });
  });

  it('should complete an activity that requires no score when the tool says the learner completed it, without a score', () => {
    const next = progressAfterScore(progress('launched'), noScore, null, secondDay, finalAndCompleted);

    expect(next).toMatchObject({ status: 'completed', completedAt: secondDay, scoreGiven: null });
  });

  it('should keep the first completion date when an activity that requires no score is reported completed again', () => {
    const current = progress('completed', { completedAt: firstDay });

    expect(progressAfterScore(current, noScore, null, secondDay, finalAndCompleted).completedAt).toEqual(firstDay);
  });

  it('should not complete an activity that requires a score when the tool says completed without a score', () => {
    const next = progressAfterScore(progress('awaiting_score'), scored, null, secondDay, finalAndCompleted);

    expect(next.status).toBe('awaiting_score');
  });
});

describe('percentOf', () => {
  it('should give 29 when 0.29 is divided by 1 despite binary floating point', () => {
    expect(0.29 * 100).not.toBe(29);
    expect(percentOf({ given: '0.29', maximum: '1' })).toBe(29);
  });

  it('should give 92.5 when the score is 0.925 out of 1', () => {
    expect(percentOf({ given: '0.925', maximum: '1' })).toBe(92.5);
  });

  it('should give more than 100 when the score is over the maximum', () => {
    expect(percentOf({ given: '12', maximum: '10' })).toBe(120);
  });

  it('should round to three decimals when the ratio does not terminate', () => {
    expect(percentOf({ given: '1', maximum: '3' })).toBe(33.333);
    expect(percentOf({ given: '2', maximum: '3' })).toBe(66.667);
  });

  it('should give 0 when the score is 0', () => {
    expect(percentOf({ given: '0', maximum: '5' })).toBe(0);
  });
});

describe('sameProgress', () => {
  it('should be true when only the score date differs', () => {
    expect(sameProgress(completedOnFirstDay, { ...completedOnFirstDay, scoredAt: secondDay })).toBe(true);
  });

  it('should be true when equal dates are different Date objects', () => {
    const copy = {
      ...completedOnFirstDay,
      completedAt: new Date(firstDay.getTime()),
      firstLaunchedAt: new Date(firstDay.getTime()),
    };
    expect(sameProgress(completedOnFirstDay, copy)).toBe(true);
  });

  it.each<[string, Partial<ActivityProgress>]>([
    ['the status', { status: 'failed' }],
    ['the score given', { scoreGiven: '0.91' }],
    ['the score maximum', { scoreMaximum: '10' }],
    ['the completion date', { completedAt: secondDay }],
    ['the completion date is cleared', { completedAt: null }],
    ['the first launch date', { firstLaunchedAt: secondDay }],
  ])('should be false when %s differs', (_field, change) => {
    expect(sameProgress(completedOnFirstDay, { ...completedOnFirstDay, ...change })).toBe(false);
  });
});

describe('progressAfterOverride', () => {
  it('should fail the activity when the instructor grade is below the passing score', () => {
    const next = progressAfterOverride(completedOnFirstDay, scored, { scorePercent: '79.5', status: null }, secondDay);
    expect(next).toMatchObject({ status: 'failed', scoreGiven: '79.5', scoreMaximum: '100', scorePercent: 79.5 });
    expect(next.completedAt).toBeNull();
  });

  it('should complete the activity when the instructor grade reaches the passing score', () => {
    const next = progressAfterOverride(failedOnFirstDay, scored, { scorePercent: '80', status: null }, secondDay);
    expect(next).toMatchObject({ status: 'completed', scorePercent: 80, completedAt: secondDay });
  });

  it('should keep the score and decide completion outright when the instructor chooses one', () => {
    const next = progressAfterOverride(
      failedOnFirstDay,
      scored,
      { scorePercent: null, status: 'completed' },
      secondDay,
    );
    expect(next).toMatchObject({ status: 'completed', scoreGiven: '0.5', scorePercent: 50, completedAt: secondDay });
    const failed = progressAfterOverride(
      completedOnFirstDay,
      scored,
      { scorePercent: '95', status: 'failed' },
      thirdDay,
    );
    expect(failed).toMatchObject({ status: 'failed', scorePercent: 95, completedAt: null });
  });

  it('should keep a link that takes no score complete and record the grade when the instructor grades it', () => {
    const done = progress('completed', { completedAt: firstDay });
    const next = progressAfterOverride(done, noScore, { scorePercent: '10', status: null }, secondDay);
    expect(next).toMatchObject({ status: 'completed', scorePercent: 10, completedAt: firstDay });
  });
});
