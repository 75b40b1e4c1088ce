import { Injectable, Logger } from '@nestjs/common';
import { AccessService } from '../access/access.service';
import { Principal } from '../access/principal';
import { UNAVAILABLE_MESSAGE, whyUnavailable } from '../catalog/catalog-access';
import { LtiProviderRepository } from '../catalog/lti-provider.repository';
import { LtiResourceLinkRepository } from '../catalog/lti-resource-link.repository';
import { LtiProvider, PresentationTarget } from '../catalog/lti-provider';
import { LtiResourceLink } from '../catalog/lti-resource-link';
import { DomainError } from '../errors/domain-error';
import { User } from '../identity/user';
import { ProgressAsRead } from '../grading/launch-progress';
import {
  ActivityProgress,
  CourseActivity,
  CourseClass,
  CourseWithActivities,
  Enrollment,
  hasClassEnded,
} from '../learning/learning';
import { ClassRepository } from '../learning/class.repository';
import { CourseRepository } from '../learning/course.repository';
import { OrganizationRepository } from '../organizations/organization.repository';
import { PresentationPath } from './launch-presentation';
import { LaunchPlacement, LaunchPlacementRepository } from './launch-placement.repository';

/**
 * Who launches: a learner (recorded in their progress), an instructor of the class (never graded),
 * an author or administrator previewing as a test user (recorded in nobody's progress), or an
 * administrator's test launch of a provider from its page, as a test learner or test instructor in no
 * course (`self_test`: nothing can come back from it).
 */
export type LaunchKind = PlacementLaunchKind | 'self_test';

/** The kinds of launch of a placed activity (all but a provider's test launch). */
export type PlacementLaunchKind = 'learner' | 'instructor' | 'preview';

/** Everything a launch is about: who launches what, where. */
export interface LaunchContext {
  readonly kind: PlacementLaunchKind;
  readonly userId: string;
  /** Null for a preview. */
  readonly enrollment: Enrollment | null;
  readonly course: CourseWithActivities;
  readonly courseClass: CourseClass | null;
  readonly activity: CourseActivity;
  readonly link: LtiResourceLink;
  readonly provider: LtiProvider;
  /** Where the tool shows: the provider's presentation unless the person asked for a new window. */
  readonly documentTarget: PresentationTarget;
  /**
   * How it gets there. As resolved, what the provider asks for; the launch page decides by the tool's
   * site and capabilities (presentationOf), and the launch record keeps what was used.
   */
  readonly presentationPath: PresentationPath;
  /** The person launching, when read with the placement (the launch reads it otherwise). */
  readonly person?: User;
  /**
   * The learner's progress in the activity as read with the placement (null: none yet); absent when
   * not read. A launch that would not change it records itself alone (LaunchRecorder).
   */
  readonly progress?: ActivityProgress | null;
  /** The enrollment's progress on every activity, read with the placement; absent when not read. */
  readonly progressAsRead?: ProgressAsRead;
}

/**
 * Resolves a launch request of the signed-in person and refuses what can no longer launch: an
 * ended enrollment, a learner's class past its end date, or an activity whose link or provider was disabled or withdrawn from the
 * organization where the course is taken (the activity stays in the course; only launching stops).
 */
@Injectable()
export class LaunchContextService {
  private readonly logger = new Logger(LaunchContextService.name);

  constructor(
    private readonly placements: LaunchPlacementRepository,
    private readonly courses: CourseRepository,
    private readonly classes: ClassRepository,
    private readonly links: LtiResourceLinkRepository,
    private readonly providers: LtiProviderRepository,
    private readonly organizations: OrganizationRepository,
    private readonly access: AccessService,
  ) {}

  /** The launch route of DESIGN.md §4: the person's own enrollment, as its learner or instructor. */
  async resolve(
    principal: Principal,
    enrollmentId: string,
    activityId: string,
    now = new Date(),
  ): Promise<LaunchContext> {
    return this.fromPlacement(principal, await this.placements.findByEnrollment(enrollmentId, activityId), now);
  }

  /** The refusals of `resolve`, on a placement read elsewhere (with an LTI 1.3 login's hint, say). */
  fromPlacement(principal: Principal, placement: LaunchPlacement | null, now = new Date()): LaunchContext {
    if (!placement || placement.enrollment.userId !== principal.userId) throw DomainError.notFound('Enrollment');
    const { enrollment, course, courseClass, activity } = placement;
    if (!activity) throw DomainError.notFound('Activity');
    if (enrollment.status !== 'active') {
      throw new DomainError('unavailable', 'This enrollment has ended, so its activities can no longer be launched.');
    }
    const kind = enrollment.role === 'instructor' ? 'instructor' : 'learner';
    // The class is over for its learners; its instructors may still open its activities (never graded).
    if (kind === 'learner' && courseClass && hasClassEnded(courseClass, now)) {
      throw new DomainError(
        'unavailable',
        `This class ended on ${courseClass.endsOn}, so its activities can no longer be launched. Your progress stays in your history.`,
      );
    }
    const launchable = this.launchableIn(activity, placement.link, placement.provider, placement.lineage);
    return {
      kind,
      userId: principal.userId,
      enrollment,
      course,
      courseClass,
      activity,
      ...launchable,
      person: placement.person,
      progress: placement.progress,
      progressAsRead: placement.progressAsRead,
    };
  }

  /**
   * An instructor's launch from the class they teach (an instructor of the class's organization, or
   * a site administrator): the class context with the Instructor role, never graded.
   */
  async resolveForClass(principal: Principal, classId: string, activityId: string): Promise<LaunchContext> {
    const scope = await this.access.scope(principal, ['instructor']);
    const courseClass = await this.classes.findInScope(scope, classId);
    if (!courseClass) throw DomainError.notFound('Class');
    const course = await this.courses.findById(courseClass.courseId);
    const activity = course?.activities.find((a) => a.id === activityId);
    if (!course || !activity) throw DomainError.notFound('Activity');
    const launchable = await this.launchable(activity, courseClass.organizationId);
    return {
      kind: 'instructor',
      userId: principal.userId,
      enrollment: null,
      course,
      courseClass,
      activity,
      ...launchable,
    };
  }

  /**
   * A course author's or administrator's preview of an activity, in the course's own (self-paced)
   * context, as a test user.
   */
  async resolvePreview(principal: Principal, courseId: string, activityId: string): Promise<LaunchContext> {
    const scope = await this.access.scope(principal, ['course_author']);
    const course = await this.courses.findInScope(scope, courseId);
    if (!course) throw DomainError.notFound('Course');
    const activity = course.activities.find((a) => a.id === activityId);
    if (!activity) throw DomainError.notFound('Activity');
    const launchable = await this.launchable(activity, course.organizationId);
    return {
      kind: 'preview',
      userId: principal.userId,
      enrollment: null,
      course,
      courseClass: null,
      activity,
      ...launchable,
    };
  }

  /** The activity's link and tool, refused when they can no longer launch in that organization. */
  async launchable(activity: CourseActivity, organizationId: string) {
    const link = await this.links.findById(activity.resourceLinkId);
    const provider = link && (await this.providers.findById(link.providerId));
    const lineage = link && provider ? await this.organizations.findLineageIds([organizationId]) : [];
    return this.launchableIn(activity, link, provider, lineage);
  }

  private launchableIn(
    activity: CourseActivity,
    link: LtiResourceLink | null,
    provider: LtiProvider | null,
    lineage: readonly string[],
  ) {
    if (!link || !provider) throw DomainError.notFound('Activity');
    const reason = whyUnavailable(link, provider, lineage);
    if (reason) {
      this.logger.log({ activityId: activity.id, reason }, 'Launch refused: activity no longer available');
      throw new DomainError('unavailable', UNAVAILABLE_MESSAGE);
    }
    const target = provider.presentation.target;
    return {
      link,
      provider,
      documentTarget: target,
      presentationPath: target === 'window' ? 'window' : 'frame',
    } as const;
  }
}
