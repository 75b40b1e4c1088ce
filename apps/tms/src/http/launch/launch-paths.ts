import type { MessageHint } from '@tms/core';

/** The pages that start a launch; loading one again is a new launch (new nonce, new hints). */
export const launchPaths = {
  learner: (enrollmentId: string, activityId: string) =>
    `/learn/enrollments/${enrollmentId}/activities/${activityId}/launch`,
  instructor: (classId: string, activityId: string) => `/teach/classes/${classId}/activities/${activityId}/launch`,
  preview: (courseId: string, activityId: string) => `/author/courses/${courseId}/activities/${activityId}/preview`,
  contentSelection: (courseId: string, providerId: string, acceptMultiple: boolean) =>
    `/author/courses/${courseId}/content-items/${providerId}${acceptMultiple ? '' : '?multiple=false'}`,
};

/**
 * The page that starts an LTI 1.3 login initiation's launch again. It runs in the tool's frame or
 * window, so the new launch posts into that same place (`presentation=window` targets itself).
 */
export function relaunchPath(hint: MessageHint): string {
  if (hint.messageType === 'LtiDeepLinkingRequest') {
    return launchPaths.contentSelection(hint.courseId, hint.providerId, hint.acceptMultiple);
  }
  const activityId = hint.activityId!;
  const path =
    hint.kind === 'preview'
      ? launchPaths.preview(hint.courseId, activityId)
      : hint.enrollmentId
        ? launchPaths.learner(hint.enrollmentId, activityId)
        : launchPaths.instructor(hint.classId!, activityId);
  return `${path}?presentation=window`;
}
