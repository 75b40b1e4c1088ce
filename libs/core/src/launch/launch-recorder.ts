import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { LtiVersion } from '../catalog/lti-provider';
import { progressAfterLaunch, sameProgress } from '../grading/completion';
import { LaunchProgress } from '../grading/launch-progress';
import { CourseRepository } from '../learning/course.repository';
import { UnitOfWork } from '../shared/unit-of-work';
import { LaunchContext } from './launch-context.service';
import { LaunchRecord, LaunchRepository } from './launch.repository';
import { LaunchSent, NO_ONE, redactLaunchSent } from './launch-sent';
import type { LaunchPerson } from '@tms/lti';

/** Where a learner goes back to when a tool returns them (`launch_presentation_return_url`). */
export interface LaunchReturn {
  readonly launch: LaunchRecord;
  readonly courseId: string | null;
}

/** A launch about to be sent: its id is known first, because the return URL carries it. */
export interface PendingLaunch {
  readonly id: string;
  /** `sent`: what the launch sent, for the inspector; redacted of the person's values before it is kept. */
  commit(roles: readonly string[], piiSent: readonly string[], sent?: LaunchSent, person?: LaunchPerson): Promise<void>;
}

/**
 * Records a launch and, for a learner, its progress (the first launch, and completion where the
 * placement takes no score) at once, for both LTI versions: in one statement decided from the
 * progress read with the placement, or in one transaction under the enrollment's lock.
 */
@Injectable()
export class LaunchRecorder {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly launches: LaunchRepository,
    private readonly progress: LaunchProgress,
    private readonly courses: CourseRepository,
  ) {}

  /** The return URL carries only the launch id: unguessable, and it reveals nothing by itself. */
  async returnOf(launchId: string): Promise<LaunchReturn | null> {
    const launch = await this.launches.findById(launchId);
    if (!launch) return null;
    const course = launch.activityId ? await this.courses.findByActivityId(launch.activityId) : null;
    return { launch, courseId: course?.id ?? null };
  }

  begin(context: LaunchContext, ltiVersion: LtiVersion): PendingLaunch {
    const id = randomUUID();
    return {
      id,
      commit: async (roles, piiSent, sent, person) => {
        const record = {
          id,
          userId: context.userId,
          enrollmentId: context.enrollment?.id ?? null,
          activityId: context.activity.id,
          resourceLinkId: context.link.id,
          providerId: context.provider.id,
          ltiVersion,
          kind: context.kind,
          roles,
          piiSent,
          presentationPath: context.presentationPath,
          // A preview's test user is no one (redacting its name would blank the role URIs).
          sent: sent && person ? redactLaunchSent(sent, context.kind === 'preview' ? NO_ONE : person) : null,
        };
        const target = context.kind === 'learner' && context.enrollment ? progressTarget(context) : null;
        if (!target || leavesProgressAsIs(context)) return this.launches.record(record);
        // The progress as read decides, in the one statement that writes (a learner's first launch of
        // an activity costs what any launch does); should it have changed since, under the lock.
        if (context.progressAsRead) {
          const change = await this.progress.changeAsRead(target, context.enrollment!, context.progressAsRead);
          if (await this.launches.recordAsRead(record, change)) return;
        }
        await this.uow.run(async () => {
          await this.launches.record(record);
          await this.progress.record(target);
        });
      },
    };
  }
}

function progressTarget(context: LaunchContext) {
  return {
    enrollmentId: context.enrollment!.id,
    activityId: context.activity.id,
    link: context.link,
    courseActivities: context.course.activities,
  };
}

/**
 * Whether the learner's progress, as read with the placement, is one this launch does not change
 * (launched before, and already waiting for a score or past it): then the launch record is the only
 * write, one statement. That is sound however old the read: a launch that changes nothing orders
 * before any score that came since. Otherwise progress is recorded under the enrollment's lock.
 */
function leavesProgressAsIs(context: LaunchContext): boolean {
  if (!context.progress) return false;
  return sameProgress(context.progress, progressAfterLaunch(context.progress, context.link, new Date()));
}
