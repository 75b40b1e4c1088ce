import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AccessService } from '../access/access.service';
import { Principal } from '../access/principal';
import { TenantScope } from '../access/tenant-scope';
import { whyUnavailable } from '../catalog/catalog-access';
import { LtiProviderRepository } from '../catalog/lti-provider.repository';
import { LtiResourceLinkRepository } from '../catalog/lti-resource-link.repository';
import { LtiProvider } from '../catalog/lti-provider';
import { LtiResourceLink } from '../catalog/lti-resource-link';
import { DomainError } from '../errors/domain-error';
import { OrganizationRepository } from '../organizations/organization.repository';
import { Page, PageRequest } from '../shared/page';
import { Course, CourseActivity, CourseWithActivities } from './learning';
import { CourseInput, CourseRepository } from './course.repository';

/** An activity as its author sees it: the catalog entry it places, and whether it can still launch. */
export interface ActivityView extends CourseActivity {
  readonly resourceLinkName: string;
  readonly requiresScoreForCompletion: boolean;
  readonly available: boolean;
}

export interface CourseView extends Course {
  readonly activities: readonly ActivityView[];
}

/** Courses, edited by the course authors (and site admins) of their organization and the organizations above it. */
@Injectable()
export class CoursesService {
  constructor(
    private readonly courses: CourseRepository,
    private readonly links: LtiResourceLinkRepository,
    private readonly providers: LtiProviderRepository,
    private readonly organizations: OrganizationRepository,
    private readonly access: AccessService,
  ) {}

  async list(
    principal: Principal,
    query: PageRequest & { organizationId?: string; search?: string },
  ): Promise<Page<Course>> {
    const scope = await this.scope(principal);
    if (query.organizationId !== undefined) await this.access.require(scope, query.organizationId);
    return this.courses.list(scope, query);
  }

  async get(principal: Principal, id: string): Promise<CourseView> {
    return this.view(await this.getIn(await this.scope(principal), id));
  }

  async create(principal: Principal, input: Partial<CourseInput> & { title: string }): Promise<Course> {
    const scope = await this.scope(principal);
    const organizationId = await this.access.choose(scope, input.organizationId, 'organizationId');
    return this.courses.create(scope, {
      organizationId,
      title: input.title,
      code: input.code ?? null,
      description: input.description ?? null,
    });
  }

  async update(principal: Principal, id: string, changes: Partial<CourseInput>): Promise<Course> {
    const scope = await this.scope(principal);
    await this.getIn(scope, id);
    if (changes.organizationId !== undefined) await this.access.choose(scope, changes.organizationId, 'organizationId');
    return this.courses.update(scope, id, changes);
  }

  /** Resource links that can be placed in this course: usable in the course's organization. */
  async placeableLinks(principal: Principal, courseId: string): Promise<LtiResourceLink[]> {
    const scope = await this.scope(principal);
    const course = await this.getIn(scope, courseId);
    const page = await this.links.list(scope, { usableIn: course.organizationId, page: 1, limit: 200 });
    return [...page.items];
  }

  /**
   * Tools usable in the course's organization in which authors pick content: LTI 1.1 ones with a
   * Content-Item URL, LTI 1.3 ones allowed Deep Linking.
   */
  async contentSelectionProviders(principal: Principal, courseId: string): Promise<LtiProvider[]> {
    const scope = await this.scope(principal);
    const course = await this.getIn(scope, courseId);
    const page = await this.providers.list(scope, {
      usableIn: course.organizationId,
      status: 'active',
      page: 1,
      limit: 200,
    });
    return page.items.filter(
      (provider) => provider.lti1p1?.contentItemUrl || provider.lti1p3?.services.includes('deep_linking'),
    );
  }

  /**
   * Active tools usable in the course's organization under which an import may create resource links.
   * Creating one is a site administrator's (of the course's organization): anyone else gets none, and
   * their imports only place links that already exist.
   */
  async importProviders(principal: Principal, courseId: string): Promise<LtiProvider[]> {
    const course = await this.getIn(await this.scope(principal), courseId);
    const adminScope = await this.access.scope(principal).catch(() => null);
    if (!adminScope || !(await this.access.covers(adminScope, course.organizationId))) return [];
    const query = { usableIn: course.organizationId, status: 'active' as const, page: 1, limit: 200 };
    return [...(await this.providers.list(adminScope, query)).items];
  }

  /** Places a resource link; refused (nothing written) unless it is usable in the course's organization. */
  async addActivity(
    principal: Principal,
    courseId: string,
    input: { resourceLinkId: string; required?: boolean; title?: string },
  ): Promise<CourseActivity> {
    const scope = await this.scope(principal);
    const course = await this.getIn(scope, courseId);
    const link = await this.links.findVisible(scope, input.resourceLinkId);
    const provider = link && (await this.providers.findVisible(scope, link.providerId));
    const lineage = await this.organizations.findLineageIds([course.organizationId]);
    if (!link || !provider || whyUnavailable(link, provider, lineage) !== null) {
      throw DomainError.invalidField(
        'resourceLinkId',
        'This resource link is not available to the course’s organization',
      );
    }
    return this.courses.addActivity(scope, {
      courseId,
      resourceLinkId: link.id,
      ltiResourceLinkId: randomUUID(),
      title: input.title ?? link.name,
      required: input.required ?? true,
    });
  }

  async updateActivity(
    principal: Principal,
    courseId: string,
    activityId: string,
    changes: { title?: string; required?: boolean },
  ): Promise<void> {
    const scope = await this.scope(principal);
    const course = await this.getIn(scope, courseId);
    requireActivity(course, activityId);
    await this.courses.updateActivity(scope, courseId, activityId, changes);
  }

  /** Moves one activity up or down by one place. */
  async moveActivity(
    principal: Principal,
    courseId: string,
    activityId: string,
    direction: 'up' | 'down',
  ): Promise<void> {
    const scope = await this.scope(principal);
    const course = await this.getIn(scope, courseId);
    requireActivity(course, activityId);
    const order = course.activities.map((a) => a.id);
    const index = order.indexOf(activityId);
    const target = direction === 'up' ? index - 1 : index + 1;
    if (target < 0 || target >= order.length) return;
    [order[index], order[target]] = [order[target], order[index]];
    await this.courses.reorderActivities(scope, courseId, order);
  }

  async reorderActivities(principal: Principal, courseId: string, activityIds: readonly string[]): Promise<void> {
    const scope = await this.scope(principal);
    const course = await this.getIn(scope, courseId);
    const current = course.activities.map((a) => a.id);
    if (activityIds.length !== current.length || [...activityIds].sort().join() !== [...current].sort().join()) {
      throw DomainError.invalidField('activityIds', 'activityIds must list every activity of the course exactly once');
    }
    await this.courses.reorderActivities(scope, courseId, activityIds);
  }

  async removeActivity(principal: Principal, courseId: string, activityId: string): Promise<void> {
    const scope = await this.scope(principal);
    const course = await this.getIn(scope, courseId);
    requireActivity(course, activityId);
    await this.courses.removeActivity(scope, courseId, activityId);
  }

  /** Authoring is for course authors and site administrators; anyone else gets 403. */
  private scope(principal: Principal): Promise<TenantScope> {
    return this.access.scope(principal, ['course_author']);
  }

  private async getIn(scope: TenantScope, id: string): Promise<CourseWithActivities> {
    const course = await this.courses.findInScope(scope, id);
    if (!course) throw DomainError.notFound('Course');
    return course;
  }

  /** The links placed in a course already in scope (by id: a link withdrawn since still has its name shown). */
  private async view(course: CourseWithActivities): Promise<CourseView> {
    const lineage = await this.organizations.findLineageIds([course.organizationId]);
    const links = new Map(
      (await this.links.findByIds([...new Set(course.activities.map((a) => a.resourceLinkId))])).map((l) => [l.id, l]),
    );
    const activities: ActivityView[] = [];
    for (const activity of course.activities) {
      const link = links.get(activity.resourceLinkId);
      const provider = link && (await this.providers.findById(link.providerId));
      activities.push({
        ...activity,
        resourceLinkName: link?.name ?? '',
        requiresScoreForCompletion: link?.requiresScoreForCompletion ?? false,
        available: !!link && !!provider && whyUnavailable(link, provider, lineage) === null,
      });
    }
    return { ...course, activities };
  }
}

function requireActivity(course: CourseWithActivities, activityId: string): void {
  if (!course.activities.some((a) => a.id === activityId)) throw DomainError.notFound('Activity');
}
