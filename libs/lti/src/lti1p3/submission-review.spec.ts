import { readLineItemFields } from './ags';
import { forUserClaim, isReviewable, readSubmissionReview } from './submission-review';

describe('submissionReview of a line item (SRS 1.0 §2.1)', () => {
  it('should read the spec example when a line item offers review', () => {
    const read = readLineItemFields({
      label: 'Essay',
      scoreMaximum: 100,
      submissionReview: {
        reviewableStatus: ['Submitted', 'Completed'],
        label: 'Open My Tool Viewer',
        url: 'https://tool.example/act/849023/sub',
        custom: { action: 'review', a_id: '23942' },
      },
    });
    expect(read).toMatchObject({
      ok: true,
      value: {
        submissionReview: {
          reviewableStatus: ['Submitted', 'Completed'],
          label: 'Open My Tool Viewer',
          url: 'https://tool.example/act/849023/sub',
          custom: { action: 'review', a_id: '23942' },
        },
      },
    });
  });

  it('should default to every status, our label and the link URL when only an empty object is sent', () => {
    expect(readSubmissionReview({})).toEqual({
      ok: true,
      value: { reviewableStatus: [], label: null, url: null, custom: null },
    });
  });

  it.each([
    [{ reviewableStatus: ['Graded'] }, 'reviewableStatus'],
    [{ reviewableStatus: 'Submitted' }, 'reviewableStatus'],
    [{ url: 'javascript:alert(1)' }, 'url'],
    [{ url: 'http://tool.example/x' }, 'url'],
    [{ custom: { a: 1 } }, 'custom'],
    [{ label: 'x'.repeat(256) }, 'label'],
    ['review', 'object'],
  ])('should refuse %j when a field is not as SRS defines it', (value, field) => {
    expect(readSubmissionReview(value)).toEqual({ ok: false, reason: expect.stringContaining(field) });
  });

  it('should offer review only for the listed activity progress when statuses are given', () => {
    const review = { reviewableStatus: ['Submitted' as const], label: null, url: null, custom: null };
    expect(isReviewable(review, 'Submitted')).toBe(true);
    expect(isReviewable(review, 'Completed')).toBe(false);
    expect(isReviewable({ ...review, reviewableStatus: [] }, 'Initialized')).toBe(true);
  });
});

describe('forUserClaim (SRS 1.0 §3.2)', () => {
  it('should name the learner and only the person fields privacy lets through', () => {
    const person = {
      fullName: 'Ada Lovelace',
      givenName: 'Ada',
      familyName: null,
      email: null,
      sourcedId: null,
      username: null,
    };
    expect(forUserClaim('user-1', person, ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'])).toEqual({
      user_id: 'user-1',
      name: 'Ada Lovelace',
      given_name: 'Ada',
      roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
    });
  });
});
