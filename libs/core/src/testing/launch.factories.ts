import { LaunchContext } from '../launch/launch-context.service';
import { lti1p3Provider, resourceLink } from './catalog.factories';
import { activity, course, courseClass, enrollment } from './learning.factories';

/** A learner launching `activity-1` of `course-1` in `class-1`, with an LTI 1.3 tool unless given another. */
export function launchContext(overrides: Partial<LaunchContext> = {}): LaunchContext {
  return {
    kind: 'learner',
    userId: 'user-1',
    enrollment: enrollment(),
    course: course(),
    courseClass: courseClass(),
    activity: activity(),
    link: resourceLink({ providerId: 'provider-1' }),
    provider: lti1p3Provider({ id: 'provider-1', organizationId: 'org-1', availableOrganizationIds: ['org-1'] }),
    documentTarget: 'iframe',
    presentationPath: 'frame',
    ...overrides,
  };
}
