import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { SelectedLtiLink } from '@tms/lti';
import { AccessService } from '../access/access.service';
import { TenantScope } from '../access/tenant-scope';
import { AuditLog } from '../audit/audit-log';
import { DomainError } from '../errors/domain-error';
import { LtiResourceLinkRepository } from '../catalog/lti-resource-link.repository';
import { LtiProvider } from '../catalog/lti-provider';
import { CourseActivity } from '../learning/learning';
import { CourseRepository } from '../learning/course.repository';
import { UnitOfWork } from '../shared/unit-of-work';

/** What a returned selection (Content-Item or Deep Linking) did. */
export interface SelectionOutcome {
  readonly courseId: string;
  readonly added: readonly CourseActivity[];
  readonly message: string | null;
  readonly errorMessage: string | null;
}

/**
 * Content an author picked inside a tool, placed in their course: each item becomes a resource link
 * of the course's organization (available there) and an activity, all in one transaction, each link
 * audited as created by the author. Shared by LTI 1.1 Content-Item and LTI 1.3 Deep Linking.
 *
 * The answer comes without a cookie; the single-use request names the author and the course, and
 * the author's own scope decides again: someone who no longer authors the course places nothing.
 */
@Injectable()
export class SelectionPlacer {
  constructor(
    private readonly links: LtiResourceLinkRepository,
    private readonly courses: CourseRepository,
    private readonly access: AccessService,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditLog,
  ) {}

  async place(
    items: readonly SelectedLtiLink[],
    provider: LtiProvider,
    request: { readonly courseId: string; readonly userId: string },
    options: { readonly defaultUrl: string; readonly source: string },
  ): Promise<CourseActivity[]> {
    const authorId = request.userId;
    const scope = await this.access.scope({ userId: authorId }, ['course_author']);
    const course = await this.courses.findInScope(scope, request.courseId);
    if (!course) throw DomainError.notFound('Course');
    return this.uow.run(async () => {
      const activities: CourseActivity[] = [];
      const taken = new Set<string>();
      for (const item of items) {
        const name = item.title ?? `${provider.name} item`;
        const link = await this.links.create(scope, {
          organizationId: course.organizationId,
          providerId: provider.id,
          name: await this.freeName(scope, name, course.organizationId, taken),
          url: item.url ?? options.defaultUrl,
          customParameters: item.customParameters,
          requiresScoreForCompletion: item.takesScore,
          passingScore: null,
          lineItem: item.lineItem,
          status: 'active',
          availableOrganizationIds: [course.organizationId],
        });
        await this.audit.record({
          actorUserId: authorId,
          organizationId: course.organizationId,
          entityType: 'lti_resource_link',
          entityId: link.id,
          action: 'create',
          before: null,
          after: { name: link.name, url: link.url, providerId: provider.id, source: options.source },
        });
        activities.push(
          await this.courses.addActivity(scope, {
            courseId: course.id,
            resourceLinkId: link.id,
            ltiResourceLinkId: randomUUID(),
            title: name,
            required: true,
          }),
        );
      }
      return activities;
    });
  }

  /**
   * Link names are unique per organization; a second "Quiz 1" becomes "Quiz 1 (2)". Checked first,
   * because a unique violation would abort the whole transaction.
   */
  private async freeName(scope: TenantScope, name: string, organizationId: string, taken: Set<string>) {
    const base = name.slice(0, 180);
    const existing = await this.links.list(scope, {
      organizationId,
      search: base,
      page: 1,
      limit: 200,
    });
    for (const link of existing.items) taken.add(link.name.toLowerCase());
    let candidate = base;
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${base} (${n})`;
    taken.add(candidate.toLowerCase());
    return candidate;
  }
}
