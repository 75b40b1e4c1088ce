import { isUuid } from '../shared/uuid';

/**
 * The user id of the test learner an author previews as (`test-learner-<the author's user id>`): the
 * same for the same author every time, never anyone's real id, and recorded in nobody's progress.
 */
const PREFIX = 'test-learner-';

export function testLearnerId(authorUserId: string): string {
  return `${PREFIX}${authorUserId}`;
}

/** The user id of an administrator's test instructor in a provider's test launch (`test-instructor-<id>`). */
export function testInstructorId(adminUserId: string): string {
  return `test-instructor-${adminUserId}`;
}

/** Whether a user id a tool sends back is a preview's test learner. */
export function isTestLearnerId(userId: string): boolean {
  return userId.startsWith(PREFIX) && isUuid(userId.slice(PREFIX.length));
}
