import { fillRoute, MessageHint, PresentationTarget, SelfTestRole } from '@tms/core';
import { submissionPaths } from '../grading/submission-paths';

/**
 * The pages that start a launch, as the router's patterns: the launch controllers route on them and
 * every link to a launch is built from them. Loading one again is a new launch (new nonce, new hints).
 */
export const LAUNCH_PAGE_ROUTES = {
  /** DESIGN.md §4: a learner's (or instructor's) launch in their enrollment. */
  learner: 'learn/enrollments/:enrollmentId/activities/:activityId/launch',
  instructor: 'teach/classes/:classId/activities/:activityId/launch',
  preview: 'author/courses/:courseId/activities/:activityId/preview',
  /** An author's content selection (LTI 1.1 Content-Item, LTI 1.3 Deep Linking); `?multiple=false` asks for one item. */
  contentSelection: 'author/courses/:courseId/content-items/:providerId',
  /** An administrator's LTI 1.3 test launch of a provider, as a test learner or test instructor (`:role`). */
  providerTest: 'admin/lti/providers/:providerId/test-launch/:role',
} as const;

export const launchPaths = {
  learner: (enrollmentId: string, activityId: string) =>
    fillRoute(LAUNCH_PAGE_ROUTES.learner, { enrollmentId, activityId }),
  instructor: (classId: string, activityId: string) =>
    fillRoute(LAUNCH_PAGE_ROUTES.instructor, { classId, activityId }),
  preview: (courseId: string, activityId: string) => fillRoute(LAUNCH_PAGE_ROUTES.preview, { courseId, activityId }),
  contentSelection: (courseId: string, providerId: string, acceptMultiple: boolean) =>
    `${fillRoute(LAUNCH_PAGE_ROUTES.contentSelection, { courseId, providerId })}${acceptMultiple ? '' : '?multiple=false'}`,
  providerTest: (providerId: string, role: SelfTestRole) =>
    fillRoute(LAUNCH_PAGE_ROUTES.providerTest, { providerId, role }),
};

/** A link that starts a launch: one that opens in a new window says so (`target="_blank"`). */
export interface LaunchLink {
  readonly href: string;
  readonly newWindow: boolean;
}

/**
 * Browsers open a new window only from the person's own click: a script on the launch page, reached
 * by navigation, is refused by popup blockers. So a launch that opens in a window is opened by its
 * link, and its page (`presentation=window`) posts the launch into itself.
 */
export function launchLink(path: string, target: PresentationTarget | undefined): LaunchLink {
  return target === 'window'
    ? { href: `${path}?presentation=window`, newWindow: true }
    : { href: path, newWindow: false };
}

/**
 * The page that starts an LTI 1.3 login initiation's launch again. It runs in the tool's frame or
 * window, so the new launch posts into that same place (`presentation=window` targets itself).
 */
export function relaunchPath(hint: MessageHint): string {
  if (hint.messageType === 'LtiDeepLinkingRequest') {
    return launchPaths.contentSelection(hint.courseId!, hint.providerId, hint.acceptMultiple);
  }
  // A provider's test launch opens in its own window, which this page takes over again.
  if (hint.kind === 'self_test') return launchPaths.providerTest(hint.providerId, hint.testRole!);
  const activityId = hint.activityId!;
  if (hint.messageType === 'LtiSubmissionReviewRequest') {
    return `${submissionPaths.review(hint.forEnrollmentId!, activityId)}?presentation=window`;
  }
  const path =
    hint.kind === 'preview'
      ? launchPaths.preview(hint.courseId!, activityId)
      : hint.enrollmentId
        ? launchPaths.learner(hint.enrollmentId, activityId)
        : launchPaths.instructor(hint.classId!, activityId);
  return `${path}?presentation=window`;
}
