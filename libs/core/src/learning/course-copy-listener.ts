import { Injectable } from '@nestjs/common';
import { CourseWithActivities } from './learning';

/** A new LTI context made by a copy, and the context it was copied from. */
export interface CopiedContext {
  readonly contextId: string;
  readonly sourceContextId: string;
}

/** What a course copy made: the course, its source, and the LTI contexts it opened. */
export interface CourseCopied {
  readonly source: CourseWithActivities;
  readonly copy: CourseWithActivities;
  /**
   * The copy's self-paced offering, copied from the source's. A class opened later in the copy is a
   * context of its own, made by its instructor, not by the copy.
   */
  readonly contexts: readonly CopiedContext[];
}

/**
 * Port: told after a course copy has committed, so that tools can hear of the new contexts (the
 * Platform Notification Service's LtiContextCopyNotice). It runs outside the copy's transaction: a
 * failure here is logged by the caller and never undoes the copy.
 */
export abstract class CourseCopyListener {
  abstract courseCopied(event: CourseCopied): Promise<void>;
}

/** Until a notification service is bound, nobody listens. */
@Injectable()
export class NoCourseCopyListener extends CourseCopyListener {
  async courseCopied(): Promise<void> {}
}
