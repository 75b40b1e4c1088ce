import { DomainError } from '../errors/domain-error';
import { CourseRepository } from '../learning/course.repository';
import { ActivityProgress } from '../learning/learning';
import { ProgressRepository } from '../learning/progress.repository';
import { UnitOfWork } from '../shared/unit-of-work';
import { resourceLink } from '../testing/catalog.factories';
import { FIXED_TIME } from '../testing/fixed-time';
import { activity, enrollment, progress } from '../testing/learning.factories';
import { LineItemRepository, LineItemResult } from './line-item.repository';
import { ProgressWriter, ScoreTarget } from './progress-writer';
import { LedgerContext, OVERRIDDEN_REASON, PREVIEW_REASON, ScoreIntakeService } from './score-intake.service';
import { ScoreBatchRepository } from './score-batch.repository';
import { NewScoreLedgerEntry, ScoreLedgerRepository } from './score-ledger.repository';
import { NewSubmission, NO_DETAILS, Submission, SubmissionRepository } from './submission.repository';
import { OverrideResults } from './override-results';

const now = FIXED_TIME;
const later = new Date(now.getTime() + 60_000);

const target: ScoreTarget = {
  enrollmentId: 'enrollment-1',
  activityId: 'activity-1',
  link: resourceLink({ requiresScoreForCompletion: true, passingScore: 70 }),
  courseActivities: [activity()],
};

const ledgerContext: LedgerContext = {
  ltiVersion: '1.1',
  providerId: 'provider-1',
  organizationId: 'org-1',
  enrollmentId: 'enrollment-1',
  activityId: 'activity-1',
  userId: 'user-1',
  source: 'sourced-id',
  operation: 'replaceResult',
  rawScore: '0.8',
  requestId: 'request-1',
};

function result(overrides: Partial<LineItemResult> = {}): LineItemResult {
  return {
    lineItemId: 'line-item-1',
    enrollmentId: 'enrollment-1',
    ltiUserId: 'user-1',
    scoreGiven: '80',
    scoreMaximum: '100',
    comment: null,
    activityProgress: 'Completed',
    gradingProgress: 'FullyGraded',
    scoredAt: now,
    ...overrides,
  };
}

/** The intake over typed port mocks; `stored` is the activity's progress before the score. */
function setUp(
  options: {
    stored?: ActivityProgress | null;
    storedResult?: LineItemResult | null;
    override?: Submission | null;
  } = {},
) {
  // Which port calls happen inside the unit of work, in order.
  const inTransaction: string[] = [];
  let open = 0;
  const note = (name: string) => {
    if (open > 0) inTransaction.push(name);
  };
  const uow = {
    run: jest.fn(async (work: () => Promise<unknown>) => {
      open++;
      try {
        return await work();
      } finally {
        open--;
      }
    }),
  };
  const progressRows: jest.Mocked<ProgressRepository> = {
    listForEnrollments: jest.fn(async (_ids: readonly string[]) => (note('listForEnrollments'), [])),
    lockEnrollment: jest.fn(async (_id: string) => (note('lockEnrollment'), enrollment())),
    find: jest.fn(async (_enrollmentId: string, _activityId: string) => (note('find'), options.stored ?? null)),
    save: jest.fn(async (_progress: ActivityProgress) => note('save')),
    setCourseCompletedAt: jest.fn(async (_id: string, _at: Date | null) => note('setCourseCompletedAt')),
  };
  const courses = { findById: jest.fn() } as unknown as CourseRepository;
  const lineItems: jest.Mocked<Pick<LineItemRepository, 'findResult' | 'saveResult'>> = {
    findResult: jest.fn(
      async (_lineItemId: string, _enrollmentId: string) => (note('findResult'), options.storedResult ?? null),
    ),
    saveResult: jest.fn(async (_result: LineItemResult) => note('saveResult')),
  };
  const ledger: jest.Mocked<ScoreLedgerRepository> = {
    record: jest.fn(async (_entry: NewScoreLedgerEntry) => note('record')),
    list: jest.fn(),
  };
  const submissions: jest.Mocked<SubmissionRepository> = {
    record: jest.fn(async (_submission: NewSubmission) => note('recordSubmission')),
    history: jest.fn(),
    standingOverride: jest.fn(async (_e: string, _a: string) => options.override ?? null),
    latestFromTool: jest.fn(async (_e: string, _a: string) => null),
  };
  const overrideResults = { write: jest.fn(async () => undefined) };
  // The batch port over the same mocks: its read is the lock and the reads it stands for, its
  // write the writes it stands for, in the order the statement makes them.
  const batch: ScoreBatchRepository = {
    lock: async ({ enrollmentId, activityId, lineItemId }) => {
      const locked = await progressRows.lockEnrollment(enrollmentId);
      if (!locked) return null;
      const stored = activityId ? await progressRows.find(enrollmentId, activityId) : null;
      const override = activityId ? await submissions.standingOverride(enrollmentId, activityId) : null;
      return {
        enrollment: locked,
        progress: stored ? [stored] : [],
        overridden: override !== null,
        storedResult: lineItemId ? await lineItems.findResult(lineItemId, enrollmentId) : null,
      };
    },
    write: async (writes) => {
      if (writes.result) await lineItems.saveResult(writes.result);
      if (writes.progress) await progressRows.save(writes.progress);
      if (writes.courseCompletedAt !== undefined) {
        await progressRows.setCourseCompletedAt(writes.enrollmentId, writes.courseCompletedAt);
      }
      await ledger.record(writes.ledger);
      if (writes.submission) await submissions.record(writes.submission);
    },
  };
  const intake = new ScoreIntakeService(
    uow as unknown as UnitOfWork,
    new ProgressWriter(progressRows, courses),
    lineItems as unknown as LineItemRepository,
    ledger,
    submissions,
    overrideResults as unknown as OverrideResults,
    batch,
  );
  return { intake, uow, progressRows, lineItems, ledger, submissions, overrideResults, inTransaction };
}

describe('ScoreIntakeService', () => {
  describe('applyScore (LTI 1.1)', () => {
    it('should lock once, store the progress and course completion and write one applied entry in one transaction when a passing score arrives', async () => {
      const { intake, uow, progressRows, ledger, inTransaction } = setUp();

      const applied = await intake.applyScore(target, { given: '0.8', maximum: '1' }, ledgerContext, now);

      expect(applied).toMatchObject({ status: 'completed', scoreGiven: '0.8', scorePercent: 80, completedAt: now });
      expect(uow.run).toHaveBeenCalledTimes(1);
      expect(progressRows.lockEnrollment).toHaveBeenCalledTimes(1);
      expect(progressRows.save).toHaveBeenCalledWith(applied);
      expect(ledger.record).toHaveBeenCalledTimes(1);
      expect(ledger.record).toHaveBeenCalledWith({
        ...ledgerContext,
        decision: 'applied',
        reason: null,
        resultingStatus: 'completed',
        scorePercent: 80,
      });
      expect(inTransaction[0]).toBe('lockEnrollment');
      expect(inTransaction).toEqual(expect.arrayContaining(['save', 'record']));
    });

    it('should write an unchanged entry and no progress when the same score arrives again', async () => {
      const stored = progress({
        status: 'completed',
        scoreGiven: '0.8',
        scoreMaximum: '1',
        scorePercent: 80,
        scoredAt: now,
        completedAt: now,
      });
      const { intake, progressRows, ledger } = setUp({ stored });

      await intake.applyScore(target, { given: '0.8', maximum: '1' }, ledgerContext, later);

      expect(progressRows.save).not.toHaveBeenCalled();
      expect(progressRows.setCourseCompletedAt).not.toHaveBeenCalled();
      expect(ledger.record).toHaveBeenCalledWith(
        expect.objectContaining({ decision: 'unchanged', resultingStatus: 'completed' }),
      );
    });

    it('should write nothing when the enrollment is gone', async () => {
      const { intake, progressRows, ledger } = setUp();
      progressRows.lockEnrollment.mockResolvedValueOnce(null);

      await expect(intake.applyScore(target, { given: '1', maximum: '1' }, ledgerContext, now)).rejects.toEqual(
        DomainError.notFound('Enrollment'),
      );
      expect(progressRows.save).not.toHaveBeenCalled();
      expect(ledger.record).not.toHaveBeenCalled();
    });
  });

  describe('publishResult (AGS)', () => {
    const arrival = {
      ledger: { ...ledgerContext, ltiVersion: '1.3' as const, operation: 'score', rawScore: '80/100' },
      tool: { grading: 'final' as const, activityCompleted: true },
      details: { ...NO_DETAILS, comment: 'Well argued' },
      now,
    };

    it('should keep the result and decide the placement under one lock in one transaction when a later score arrives', async () => {
      const { intake, uow, progressRows, lineItems, ledger, inTransaction } = setUp({
        storedResult: result({ scoredAt: new Date(now.getTime() - 1000) }),
      });

      expect(await intake.publishResult({ ...arrival, result: result(), target })).toBe('applied');

      expect(uow.run).toHaveBeenCalledTimes(1);
      expect(progressRows.lockEnrollment).toHaveBeenCalledTimes(1);
      expect(inTransaction[0]).toBe('lockEnrollment');
      expect(lineItems.saveResult).toHaveBeenCalledWith(result());
      expect(progressRows.save).toHaveBeenCalledWith(
        expect.objectContaining({ status: 'completed', scorePercent: 80 }),
      );
      expect(ledger.record).toHaveBeenCalledTimes(1);
      expect(ledger.record).toHaveBeenCalledWith(
        expect.objectContaining({ decision: 'applied', resultingStatus: 'completed', scorePercent: 80 }),
      );
    });

    it('should refuse with a conflict, store nothing and write the rejection when a later score is stored', async () => {
      const stored = result({ scoredAt: later, scoreGiven: '90' });
      const { intake, progressRows, lineItems, ledger } = setUp({ storedResult: stored });

      await expect(intake.publishResult({ ...arrival, result: result(), target })).rejects.toMatchObject({
        code: 'conflict',
      });

      expect(lineItems.saveResult).not.toHaveBeenCalled();
      expect(progressRows.save).not.toHaveBeenCalled();
      expect(ledger.record).toHaveBeenCalledTimes(1);
      expect(ledger.record).toHaveBeenCalledWith(
        expect.objectContaining({
          decision: 'rejected',
          reason: `A score with the same or a later timestamp (${later.toISOString()}) is stored; this one was not applied`,
        }),
      );
    });

    it('should answer unchanged and store nothing when the same score comes again with the same timestamp', async () => {
      const { intake, progressRows, lineItems, ledger } = setUp({ storedResult: result({ scoreGiven: '80.0' }) });

      expect(await intake.publishResult({ ...arrival, result: result(), target })).toBe('unchanged');

      expect(lineItems.saveResult).not.toHaveBeenCalled();
      expect(progressRows.save).not.toHaveBeenCalled();
      expect(ledger.record).toHaveBeenCalledWith(
        expect.objectContaining({ decision: 'unchanged', reason: 'The same score again' }),
      );
    });

    it('should keep the result and decide nothing when the line item is the tool’s own', async () => {
      const { intake, progressRows, lineItems, ledger } = setUp();

      expect(await intake.publishResult({ ...arrival, result: result(), target: null })).toBe('applied');

      expect(progressRows.lockEnrollment).toHaveBeenCalledTimes(1);
      expect(lineItems.saveResult).toHaveBeenCalledTimes(1);
      expect(progressRows.find).not.toHaveBeenCalled();
      expect(progressRows.save).not.toHaveBeenCalled();
      expect(ledger.record).toHaveBeenCalledWith(
        expect.objectContaining({ decision: 'applied', reason: null, resultingStatus: null, scorePercent: null }),
      );
    });
  });

  describe('refusals, previews and reads', () => {
    it('should write only the rejection, its reason and raw score cut to the ledger’s sizes, when a score is refused', async () => {
      const { intake, uow, progressRows, lineItems, ledger } = setUp();

      await intake.refuse({ ...ledgerContext, rawScore: '9'.repeat(100) }, 'x'.repeat(600));

      expect(ledger.record).toHaveBeenCalledWith({
        ...ledgerContext,
        rawScore: '9'.repeat(64),
        decision: 'rejected',
        reason: 'x'.repeat(500),
        resultingStatus: null,
        scorePercent: null,
      });
      expect(uow.run).not.toHaveBeenCalled();
      expect(progressRows.lockEnrollment).not.toHaveBeenCalled();
      expect(progressRows.save).not.toHaveBeenCalled();
      expect(lineItems.saveResult).not.toHaveBeenCalled();
    });

    it('should write a preview entry and nothing else when an author’s test launch is scored', async () => {
      const { intake, progressRows, ledger } = setUp();

      await intake.acknowledgePreview(ledgerContext);

      expect(ledger.record).toHaveBeenCalledWith(
        expect.objectContaining({ decision: 'preview', reason: PREVIEW_REASON, resultingStatus: null }),
      );
      expect(progressRows.save).not.toHaveBeenCalled();
    });

    it('should read the stored progress under the lock and write nothing when a score is read', async () => {
      const stored = progress({ status: 'failed', scoreGiven: '0.5', scoreMaximum: '1', scorePercent: 50 });
      const { intake, progressRows, ledger } = setUp({ stored });

      expect(await intake.read(target)).toEqual(stored);

      expect(progressRows.lockEnrollment).toHaveBeenCalledTimes(1);
      expect(progressRows.save).not.toHaveBeenCalled();
      expect(ledger.record).not.toHaveBeenCalled();
    });
  });

  describe('instructor overrides', () => {
    const standing: Submission = {
      ...NO_DETAILS,
      id: 'submission-1',
      enrollmentId: 'enrollment-1',
      activityId: 'activity-1',
      providerId: 'provider-1',
      kind: 'override',
      outcome: 'applied',
      scoreGiven: '95',
      scoreMaximum: '100',
      status: null,
      reason: 'Regraded by hand',
      byUserId: 'instructor-1',
      receivedAt: now,
    };
    const graded = progress({ status: 'completed', scoreGiven: '95', scoreMaximum: '100', scorePercent: 95 });

    it('should keep a tool score as an overridden attempt and change neither progress nor result when an override stands', async () => {
      const { intake, progressRows, lineItems, ledger, submissions } = setUp({ stored: graded, override: standing });

      const kept = await intake.applyScore(target, { given: '0.4', maximum: '1' }, ledgerContext, later);

      expect(kept).toEqual(graded);
      expect(progressRows.save).not.toHaveBeenCalled();
      expect(lineItems.saveResult).not.toHaveBeenCalled();
      expect(ledger.record).toHaveBeenCalledWith(
        expect.objectContaining({ decision: 'overridden', reason: OVERRIDDEN_REASON, scorePercent: 95 }),
      );
      expect(submissions.record).toHaveBeenCalledWith(
        expect.objectContaining({ kind: 'tool', outcome: 'overridden', scoreGiven: '0.4' }),
      );
    });

    it('should not store an AGS result when an override stands and a later tool score arrives', async () => {
      const { intake, lineItems, ledger } = setUp({ stored: graded, override: standing });

      const outcome = await intake.publishResult({
        ledger: { ...ledgerContext, ltiVersion: '1.3', operation: 'score' },
        result: result({ scoreGiven: '10', scoredAt: later }),
        target,
        tool: { grading: 'final', activityCompleted: true },
        details: NO_DETAILS,
        now: later,
      });

      expect(outcome).toBe('unchanged');
      expect(lineItems.saveResult).not.toHaveBeenCalled();
      expect(ledger.record).toHaveBeenCalledWith(expect.objectContaining({ decision: 'overridden' }));
    });

    it('should decide progress, write a manual ledger entry, an override attempt and the AGS result when an instructor grades', async () => {
      const { intake, progressRows, ledger, submissions, overrideResults } = setUp({
        stored: progress({ status: 'failed', scoreGiven: '0.4', scoreMaximum: '1', scorePercent: 40 }),
      });

      const next = await intake.applyOverride(
        {
          target,
          reason: 'Late work accepted',
          byUserId: 'instructor-1',
          ltiUserId: 'user-1',
          ledger: { ...ledgerContext, operation: 'override' },
          now,
        },
        { scorePercent: '85', status: null },
      );

      expect(next).toMatchObject({ status: 'completed', scoreGiven: '85', scoreMaximum: '100', scorePercent: 85 });
      expect(progressRows.save).toHaveBeenCalledWith(expect.objectContaining({ status: 'completed' }));
      expect(ledger.record).toHaveBeenCalledWith(
        expect.objectContaining({ decision: 'manual', reason: 'Late work accepted', resultingStatus: 'completed' }),
      );
      expect(submissions.record).toHaveBeenCalledWith(
        expect.objectContaining({ kind: 'override', scoreGiven: '85', byUserId: 'instructor-1' }),
      );
      expect(overrideResults.write).toHaveBeenCalledWith(expect.objectContaining({ ltiUserId: 'user-1' }), {
        given: '85',
        maximum: '100',
      });
    });

    it('should refuse to clear and write nothing when no override stands', async () => {
      const { intake, ledger, submissions, progressRows } = setUp({ stored: graded });

      await expect(
        intake.clearOverride({
          target,
          reason: 'Mistake',
          byUserId: 'instructor-1',
          ltiUserId: 'user-1',
          ledger: { ...ledgerContext, operation: 'override_cleared' },
          now,
        }),
      ).rejects.toMatchObject({ code: 'conflict' });
      expect(ledger.record).not.toHaveBeenCalled();
      expect(submissions.record).not.toHaveBeenCalled();
      expect(progressRows.save).not.toHaveBeenCalled();
    });
  });
});
