import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AccessService } from '../access/access.service';
import { Principal } from '../access/principal';
import { Unavailability, whyUnavailable } from '../catalog/catalog-access';
import { LtiProviderRepository } from '../catalog/lti-provider.repository';
import { LtiResourceLinkRepository } from '../catalog/lti-resource-link.repository';
import { DomainError } from '../errors/domain-error';
import { OrganizationRepository } from '../organizations/organization.repository';
import { UnitOfWork } from '../shared/unit-of-work';
import { CourseCopyListener } from './course-copy-listener';
import { CourseRepository } from './course.repository';
import { CourseActivity, CourseWithActivities } from './learning';
import { ltiContextOf } from './lti-context';

export type CopySkipReason = Unavailability | 'link_deleted';

/** An activity of the source left out of the copy, and why. */
export interface SkippedActivity {
  readonly activityId: string;
  readonly title: string;
  readonly reason: CopySkipReason;
  readonly message: string;
}

export interface CourseCopyResult {
  readonly course: CourseWithActivities;
  readonly skipped: readonly SkippedActivity[];
}

export interface CourseCopyRequest {
  readonly organizationId?: string;
  readonly title?: string;
  readonly code?: string | null;
}

const SKIP_MESSAGES: Record<CopySkipReason, string> = {
  link_deleted: 'Its resource link no longer exists',
  link_disabled: 'Its resource link is disabled',
  provider_disabled: 'Its tool is disabled',
  link_withdrawn: 'Its resource link is not available to the chosen organization',
  provider_withdrawn: 'Its tool is not available to the chosen organization',
};

/**
 * Copies a course into an organization the author works in: the same activities in order, each a new
 * placement with a new `resource_link_id` (LTI Core 1.3 §5.3.5: the id "MUST change if the link is
 * copied"), so nothing the tools keep per placement — line items, results — is shared with the source.
 * Classes, enrollments and results stay behind. The copy remembers its source: launches carry the
 * source's ids in `$Context.id.history` and `$ResourceLink.id.history` so tools can map their content.
 * An activity whose link cannot be used in the target organization is skipped and reported.
 */
@Injectable()
export class CourseCopyService {
  constructor(
    private readonly courses: CourseRepository,
    private readonly links: LtiResourceLinkRepository,
    private readonly providers: LtiProviderRepository,
    private readonly organizations: OrganizationRepository,
    private readonly access: AccessService,
    private readonly listener: CourseCopyListener,
    private readonly uow: UnitOfWork,
  ) {}

  async copy(principal: Principal, sourceId: string, request: CourseCopyRequest): Promise<CourseCopyResult> {
    const scope = await this.access.scope(principal, ['course_author']);
    const source = await this.courses.findInScope(scope, sourceId);
    if (!source) throw DomainError.notFound('Course');
    const organizationId = await this.access.choose(scope, request.organizationId, 'organizationId');
    const { kept, skipped } = await this.sortOut(source.activities, organizationId);
    const input = {
      course: {
        organizationId,
        title: request.title ?? source.title,
        code: request.code ?? null,
        description: source.description,
        sourceCourseId: source.id,
        contextIdHistory: [ltiContextOf(source, null).id, ...source.contextIdHistory],
      },
      activities: kept.map((activity) => ({
        resourceLinkId: activity.resourceLinkId,
        ltiResourceLinkId: randomUUID(),
        title: activity.title,
        required: activity.required,
        sourceActivityId: activity.id,
        resourceLinkIdHistory: [activity.ltiResourceLinkId, ...activity.resourceLinkIdHistory],
      })),
    };
    // The copy and what its listener writes (notices to the tools) commit together or not at all.
    const course = await this.uow.run(async () => {
      const copy = await this.courses.createCopy(scope, input);
      const contexts = [{ contextId: ltiContextOf(copy, null).id, sourceContextId: ltiContextOf(source, null).id }];
      await this.listener.courseCopied({ source, copy, contexts });
      return copy;
    });
    return { course, skipped };
  }

  /** The activities whose link can be used in the target organization, and the others with the reason. */
  private async sortOut(activities: readonly CourseActivity[], organizationId: string) {
    const lineage = await this.organizations.findLineageIds([organizationId]);
    const links = new Map(
      (await this.links.findByIds([...new Set(activities.map((a) => a.resourceLinkId))])).map((l) => [l.id, l]),
    );
    const kept: CourseActivity[] = [];
    const skipped: SkippedActivity[] = [];
    for (const activity of activities) {
      const link = links.get(activity.resourceLinkId);
      const provider = link && (await this.providers.findById(link.providerId));
      const reason: CopySkipReason | null =
        !link || !provider ? 'link_deleted' : whyUnavailable(link, provider, lineage);
      if (reason === null) kept.push(activity);
      else skipped.push({ activityId: activity.id, title: activity.title, reason, message: SKIP_MESSAGES[reason] });
    }
    return { kept, skipped };
  }
}
