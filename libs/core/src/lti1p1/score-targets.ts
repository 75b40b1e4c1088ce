import { Injectable } from '@nestjs/common';
import { LtiResourceLinkRepository } from '../catalog/lti-resource-link.repository';
import { LtiProvider } from '../catalog/lti-provider';
import { DomainError } from '../errors/domain-error';
import { ClassRepository } from '../learning/class.repository';
import { CourseRepository } from '../learning/course.repository';
import { EnrollmentRepository } from '../learning/enrollment.repository';
import { ResultTarget } from './result-sourced-id';
import { ScoreTarget } from '../grading/score-intake.service';

export interface ResolvedTarget {
  /** Where the ledger entry belongs: the class's or course's organization. */
  readonly organizationId: string;
  readonly enrollmentId: string | null;
  /** Null for a preview: acknowledged, never recorded in anyone's progress. */
  readonly score: ScoreTarget | null;
}

/** Refused with a reason the tool may read (nothing about other tenants). */
export class ScoreTargetRefused extends DomainError {
  constructor(reason: string) {
    super('validation_failed', reason);
  }
}

/**
 * What a verified result identifier points at, checked against today's data: the enrollment is
 * still that person's and still live, the activity is still in its course, and the activity's tool
 * is the provider that authenticated the request (another tool's identifiers are refused).
 */
@Injectable()
export class ScoreTargets {
  constructor(
    private readonly enrollments: EnrollmentRepository,
    private readonly courses: CourseRepository,
    private readonly classes: ClassRepository,
    private readonly links: LtiResourceLinkRepository,
  ) {}

  async resolve(target: ResultTarget, provider: LtiProvider): Promise<ResolvedTarget> {
    const enrollment = target.kind === 'enrollment' ? await this.enrollments.findById(target.enrollmentId) : null;
    if (target.kind === 'enrollment' && enrollment?.userId !== target.userId) {
      throw new ScoreTargetRefused('This result belongs to no enrollment on this platform');
    }
    const course = enrollment
      ? await this.courses.findById(enrollment.courseId)
      : await this.courses.findByActivityId(target.activityId);
    const activity = course?.activities.find((a) => a.id === target.activityId);
    if (!course || !activity) throw new ScoreTargetRefused('The activity of this result was removed from its course');
    const link = await this.links.findById(activity.resourceLinkId);
    if (!link || link.providerId !== provider.id) {
      throw new ScoreTargetRefused('This result belongs to another tool');
    }
    if (!enrollment) return { organizationId: course.organizationId, enrollmentId: null, score: null };
    if (enrollment.status !== 'active') {
      throw new ScoreTargetRefused('This enrollment has ended; its results can no longer change');
    }
    const courseClass = enrollment.classId ? await this.classes.findById(enrollment.classId) : null;
    return {
      organizationId: courseClass?.organizationId ?? course.organizationId,
      enrollmentId: enrollment.id,
      score: { enrollmentId: enrollment.id, activityId: activity.id, link, courseActivities: course.activities },
    };
  }
}
