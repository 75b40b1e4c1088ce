import { fillRoute } from '@tms/core';

/** The submissions pages, as the router's patterns; every link to them is built from these. */
export const SUBMISSION_PAGE_ROUTES = {
  /** A learner's own attempts at an activity. */
  learner: 'learn/enrollments/:enrollmentId/activities/:activityId/submissions',
  /** The same for staff, with the grade form. */
  staff: 'teach/submissions/:enrollmentId/:activityId',
  grade: 'teach/submissions/:enrollmentId/:activityId/grade',
  clear: 'teach/submissions/:enrollmentId/:activityId/grade/clear',
  /** "Open in tool": a launch to an attempt's LTI launch URL. */
  open: 'teach/submissions/:enrollmentId/:activityId/open/:submissionId',
  /** A Submission Review launch (LTI 1.3) of the learner's work on the placement's line item. */
  review: 'teach/submissions/:enrollmentId/:activityId/review',
} as const;

export const submissionPaths = {
  learner: (enrollmentId: string, activityId: string) =>
    fillRoute(SUBMISSION_PAGE_ROUTES.learner, { enrollmentId, activityId }),
  staff: (enrollmentId: string, activityId: string) =>
    fillRoute(SUBMISSION_PAGE_ROUTES.staff, { enrollmentId, activityId }),
  grade: (enrollmentId: string, activityId: string) =>
    fillRoute(SUBMISSION_PAGE_ROUTES.grade, { enrollmentId, activityId }),
  clear: (enrollmentId: string, activityId: string) =>
    fillRoute(SUBMISSION_PAGE_ROUTES.clear, { enrollmentId, activityId }),
  open: (enrollmentId: string, activityId: string, submissionId: string) =>
    fillRoute(SUBMISSION_PAGE_ROUTES.open, { enrollmentId, activityId, submissionId }),
  review: (enrollmentId: string, activityId: string) =>
    fillRoute(SUBMISSION_PAGE_ROUTES.review, { enrollmentId, activityId }),
};
