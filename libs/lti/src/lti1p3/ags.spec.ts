import { decimalOf, parseTimestamp, readLineItemFields, readScorePublish } from './ags';

const score = (overrides: Record<string, unknown> = {}) => ({
  userId: 'user-1',
  scoreGiven: 83,
  scoreMaximum: 100,
  timestamp: '2026-11-22T10:15:30.123Z',
  activityProgress: 'Completed',
  gradingProgress: 'FullyGraded',
  ...overrides,
});

describe('readScorePublish', () => {
  it('should keep the numbers as exact decimal strings and the timestamp as a date', () => {
    const read = readScorePublish(score({ scoreGiven: 0.1, scoreMaximum: 0.3, comment: 'Good' }));

    expect(read).toEqual({
      ok: true,
      value: {
        userId: 'user-1',
        scoreGiven: '0.1',
        scoreMaximum: '0.3',
        comment: 'Good',
        timestamp: new Date('2026-11-22T10:15:30.123Z'),
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
        submission: { startedAt: null, submittedAt: null },
      },
    });
  });

  it('should keep the submission times when the score carries AGS 2.0 submission', () => {
    const read = readScorePublish(
      score({ submission: { startedAt: '2026-11-22T09:00:00Z', submittedAt: '2026-11-22T10:00:00.5Z' } }),
    );
    expect(read).toMatchObject({
      ok: true,
      value: {
        submission: {
          startedAt: new Date('2026-11-22T09:00:00Z'),
          submittedAt: new Date('2026-11-22T10:00:00.500Z'),
        },
      },
    });
  });

  it.each([[{ submittedAt: 'yesterday' }], ['2026-11-22'], [[1]]])(
    'should refuse the score when submission is %j',
    (submission) => {
      expect(readScorePublish(score({ submission }))).toEqual({
        ok: false,
        reason: expect.stringMatching(/^submission/),
      });
    },
  );

  it('should accept a score of 0 and a score above the maximum', () => {
    expect(readScorePublish(score({ scoreGiven: 0 }))).toMatchObject({ ok: true, value: { scoreGiven: '0' } });
    expect(readScorePublish(score({ scoreGiven: 120 }))).toMatchObject({ ok: true, value: { scoreGiven: '120' } });
  });

  it('should read a publish without scoreGiven as no score, whatever scoreMaximum says', () => {
    expect(readScorePublish(score({ scoreGiven: undefined, gradingProgress: 'NotReady' }))).toMatchObject({
      ok: true,
      value: { scoreGiven: null, scoreMaximum: null, gradingProgress: 'NotReady' },
    });
  });

  it.each([
    ['no userId', { userId: undefined }, 'userId'],
    ['a numeric userId', { userId: 42 }, 'userId'],
    ['no timestamp', { timestamp: undefined }, 'timestamp'],
    ['a timestamp without a zone', { timestamp: '2026-11-22T10:15:30' }, 'timestamp'],
    ['a date alone', { timestamp: '2026-11-22' }, 'timestamp'],
    ['an impossible date', { timestamp: '2026-02-31T10:00:00Z' }, 'timestamp'],
    ['an unknown activityProgress', { activityProgress: 'Done' }, 'activityProgress'],
    ['no gradingProgress', { gradingProgress: undefined }, 'gradingProgress'],
    ['a negative score', { scoreGiven: -1 }, 'scoreGiven'],
    ['a score as text', { scoreGiven: '83' }, 'scoreGiven'],
    ['a score without a maximum', { scoreMaximum: undefined }, 'scoreMaximum'],
    ['a maximum of 0', { scoreMaximum: 0 }, 'scoreMaximum'],
    ['a score a thousand times the maximum', { scoreGiven: 100_000, scoreMaximum: 100 }, 'scoreGiven'],
    ['a comment that is not text', { comment: { text: 'x' } }, 'comment'],
  ])('should refuse %s, naming the field', (_, overrides, field) => {
    const read = readScorePublish(score(overrides));

    expect(read.ok).toBe(false);
    expect(!read.ok && read.reason).toContain(field);
  });

  it('should accept a timestamp up to 60 seconds ahead of the clock and refuse one further ahead', () => {
    const now = new Date('2026-11-22T10:00:00.000Z');
    expect(readScorePublish(score({ timestamp: '2026-11-22T10:01:00.000Z' }), now).ok).toBe(true);
    const ahead = readScorePublish(score({ timestamp: '2026-11-22T10:01:00.001Z' }), now);
    expect(ahead.ok).toBe(false);
    expect(!ahead.ok && ahead.reason).toContain('timestamp 2026-11-22T10:01:00.001Z is in the future');
    expect(readScorePublish(score({ timestamp: '9999-12-31T23:59:59Z' }), now).ok).toBe(false);
    expect(readScorePublish(score({ timestamp: '2001-01-01T00:00:00Z' }), now).ok).toBe(true);
  });

  it.each([null, [], 'score', 3])('should refuse a body that is not an object (%p)', (body) => {
    expect(readScorePublish(body).ok).toBe(false);
  });
});

describe('readLineItemFields', () => {
  it('should keep resourceId and tag exactly as written and leave absent fields null', () => {
    const read = readLineItemFields({ label: 'Quiz 7', scoreMaximum: 60, resourceId: ' Quiz/7?a=b&c ', tag: 'Ünï' });

    expect(read).toEqual({
      ok: true,
      value: {
        label: 'Quiz 7',
        scoreMaximum: '60',
        resourceLinkId: null,
        resourceId: ' Quiz/7?a=b&c ',
        tag: 'Ünï',
        startDateTime: null,
        endDateTime: null,
        gradesReleased: null,
        submissionReview: null,
      },
    });
  });

  it('should read dates and gradesReleased', () => {
    const read = readLineItemFields({
      label: 'Essay',
      scoreMaximum: 10,
      startDateTime: '2026-11-01T00:00:00+01:00',
      endDateTime: '2026-12-01T00:00:00Z',
      gradesReleased: false,
    });

    expect(read).toMatchObject({
      ok: true,
      value: { startDateTime: new Date('2026-10-31T23:00:00Z'), gradesReleased: false },
    });
  });

  it.each([
    ['no label', { label: undefined }, 'label'],
    ['a blank label', { label: '  ' }, 'label'],
    ['no scoreMaximum', { scoreMaximum: undefined }, 'scoreMaximum'],
    ['a scoreMaximum of 0', { scoreMaximum: 0 }, 'scoreMaximum'],
    ['a negative scoreMaximum', { scoreMaximum: -5 }, 'scoreMaximum'],
    ['a numeric tag', { tag: 7 }, 'tag'],
    ['a resourceId over 255 characters', { resourceId: 'x'.repeat(256) }, 'resourceId'],
    ['a bad endDateTime', { endDateTime: 'tomorrow' }, 'endDateTime'],
    ['gradesReleased as text', { gradesReleased: 'yes' }, 'gradesReleased'],
  ])('should refuse %s', (_, overrides, field) => {
    const read = readLineItemFields({ label: 'Quiz', scoreMaximum: 10, ...overrides });

    expect(read.ok).toBe(false);
    expect(!read.ok && read.reason).toContain(field);
  });
});

describe('decimalOf and parseTimestamp', () => {
  it('should write numbers without exponent notation', () => {
    expect(decimalOf(1e-7)).toBe('0.0000001');
    expect(decimalOf(1e21)).toBe('1000000000000000000000');
    expect(decimalOf(Number.NaN)).toBeNull();
    expect(decimalOf(Infinity)).toBeNull();
  });

  it('should keep milliseconds and honour the zone offset', () => {
    expect(parseTimestamp('2026-11-22T10:15:30.123456+02:00')?.toISOString()).toBe('2026-11-22T08:15:30.123Z');
  });
});
