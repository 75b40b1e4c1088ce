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
 * Port: told of a course copy inside the copy's transaction, so that what it writes (the Platform
 * Notification Service's LtiContextCopyNotice, queued for the tools) commits with the copy or not at
 * all. Bound in core.module.ts.
 */
export abstract class CourseCopyListener {
  abstract courseCopied(event: CourseCopied): Promise<void>;
}
