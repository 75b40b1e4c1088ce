import { Injectable } from '@nestjs/common';
import { AccessService } from '../access/access.service';
import { Principal } from '../access/principal';
import { LtiProviderRepository } from '../catalog/lti-provider.repository';
import { LtiProvider } from '../catalog/lti-provider';
import { LtiResourceLinkRepository } from '../catalog/lti-resource-link.repository';
import { DomainError } from '../errors/domain-error';
import { ClassRepository } from '../learning/class.repository';
import { CourseRepository } from '../learning/course.repository';
import { EnrollmentRepository } from '../learning/enrollment.repository';
import { CourseActivity, CourseClass, CourseWithActivities, Enrollment } from '../learning/learning';
import { ScoreTarget } from './progress-writer';

/** Who looks: the learner at their own work, or staff who may grade it. */
export type SubmissionViewer = 'learner' | 'staff';

/** A learner's activity in one enrollment, with what rules its grade. */
export interface GradedPlacement {
  readonly viewer: SubmissionViewer;
  readonly enrollment: Enrollment;
  readonly course: CourseWithActivities;
  readonly courseClass: CourseClass | null;
  readonly activity: CourseActivity;
  readonly target: ScoreTarget;
  /** The placement's tool; null when its catalog entry or provider is gone. */
  readonly provider: LtiProvider | null;
  /** Where the enrollment lives: the class's organization, or the course's. */
  readonly organizationId: string;
}

/**
 * Finds a learner's activity for the people who may see its submissions: the learner (their own
 * enrollment) and the instructors and site administrators of the class's or course's organization.
 * Anyone else, a learner looking at someone else's work included, is told "not found", so that
 * another person's enrollment cannot even be confirmed to exist.
 */
@Injectable()
export class GradedPlacements {
  constructor(
    private readonly access: AccessService,
    private readonly enrollments: EnrollmentRepository,
    private readonly courses: CourseRepository,
    private readonly classes: ClassRepository,
    private readonly links: LtiResourceLinkRepository,
    private readonly providers: LtiProviderRepository,
  ) {}

  async resolve(
    principal: Principal,
    enrollmentId: string,
    activityId: string,
    as: SubmissionViewer | 'either',
  ): Promise<GradedPlacement> {
    const { enrollment, viewer } = await this.enrollmentFor(principal, enrollmentId, as);
    if (enrollment.role !== 'learner') throw DomainError.notFound('Enrollment');
    const course = await this.courses.findById(enrollment.courseId);
    const activity = course?.activities.find((a) => a.id === activityId);
    const link = activity && (await this.links.findById(activity.resourceLinkId));
    if (!course || !activity || !link) throw DomainError.notFound('Activity');
    const courseClass = enrollment.classId ? await this.classes.findById(enrollment.classId) : null;
    return {
      viewer,
      enrollment,
      course,
      courseClass,
      activity,
      target: { enrollmentId: enrollment.id, activityId, link, courseActivities: course.activities },
      provider: await this.providers.findById(link.providerId),
      organizationId: courseClass?.organizationId ?? course.organizationId,
    };
  }

  /**
   * As the learner: their own enrollment only. As staff: an enrollment in their scope, never their
   * own (nobody grades themselves). Either: the learner's own, else as staff.
   */
  private async enrollmentFor(principal: Principal, enrollmentId: string, as: SubmissionViewer | 'either') {
    if (as !== 'staff') {
      const own = await this.enrollments.findById(enrollmentId);
      if (own && own.userId === principal.userId) return { enrollment: own, viewer: 'learner' as const };
      if (as === 'learner') throw DomainError.notFound('Enrollment');
    }
    const scope = await this.access.lookupScope(principal, ['instructor']);
    const enrollment = await this.enrollments.findInScope(scope, enrollmentId);
    if (!enrollment || enrollment.userId === principal.userId) throw DomainError.notFound('Enrollment');
    return { enrollment, viewer: 'staff' as const };
  }
}
