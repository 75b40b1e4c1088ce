import { Injectable } from '@nestjs/common';
import { LineItemFields } from '@tms/lti';
import { LtiProvider } from '../../catalog/lti-provider';
import { LtiResourceLink } from '../../catalog/lti-resource-link';
import { DomainError } from '../../errors/domain-error';
import {
  LineItem,
  LineItemRepository,
  LineItemResult,
  LineItemScope,
  NewLineItem,
} from '../../grading/line-item.repository';
import { CourseActivity, CourseClass, CourseWithActivities } from '../../learning/learning';
import { ltiContextOf, ltiResourceLinkIdIn } from '../../learning/lti-context';
import { Placement, ServiceContext, ServiceContexts } from '../service-contexts';

export const AGS_DEFAULT_LIMIT = 100;
export const AGS_MAX_LIMIT = 1000;
/** The scale of a platform-made line item when the tool asked for none (Deep Linking's `lineItem`). */
export const DECLARATIVE_SCORE_MAXIMUM = '100';

export interface Paged<T> {
  readonly items: readonly T[];
  /** Offset of the next page, when there is one. */
  readonly next: number | null;
}

export interface LineItemFilters {
  readonly resourceLinkId?: string;
  readonly resourceId?: string;
  readonly tag?: string;
  readonly offset: number;
  readonly limit: number;
}

/** A placement being launched, as the launch knows it. */
export interface LaunchedPlacement {
  readonly course: CourseWithActivities;
  readonly courseClass: CourseClass | null;
  readonly activity: CourseActivity;
  readonly link: LtiResourceLink;
}

/**
 * The line items of AGS 2.0 (§3.2) for one tool in the contexts it reaches (see ServiceContexts),
 * and their results (§3.3). Each placement has one line item made by the platform (declarative,
 * §3.2.1), made on first need — at its launch, or when the tool reads the container — whose scores
 * decide completion; the tool may make, change and delete its own, which decide nothing. Scores
 * arrive through AgsScoresService and the score intake.
 */
@Injectable()
export class LineItemsService {
  constructor(
    private readonly contexts: ServiceContexts,
    private readonly lineItems: LineItemRepository,
  ) {}

  /**
   * The declarative line item of the placement being launched, made if missing. Only this one: the
   * launch has its link at hand, and a container read makes the context's others.
   */
  async lineItemAtLaunch(provider: LtiProvider, launched: LaunchedPlacement): Promise<LineItem> {
    const { course, courseClass, activity, link } = launched;
    const scope = { providerId: provider.id, courseId: course.id, classId: courseClass?.id ?? null };
    const resourceLinkId = ltiResourceLinkIdIn(activity, ltiContextOf(course, courseClass));
    const [item] = await this.declarative(scope, [{ activity, link, resourceLinkId }]);
    return item;
  }

  async list(provider: LtiProvider, contextId: string, filters: LineItemFilters): Promise<Paged<LineItem>> {
    const context = await this.contexts.resolve(provider, contextId);
    await this.declarative(scopeOf(provider, context), context.placements);
    const rows = await this.lineItems.list({ ...scopeOf(provider, context), ...filters });
    return page(rows, filters);
  }

  async get(provider: LtiProvider, contextId: string, lineItemId: string): Promise<LineItem> {
    const context = await this.contexts.resolve(provider, contextId);
    return this.find(provider, context, lineItemId);
  }

  async create(provider: LtiProvider, contextId: string, fields: LineItemFields): Promise<LineItem> {
    const context = await this.contexts.resolve(provider, contextId);
    return this.lineItems.create({
      ...fields,
      ...scopeOf(provider, context),
      activityId: placementOf(context, fields.resourceLinkId),
      declarative: false,
    });
  }

  /** PUT replaces the item (AGS 2.0 §3.2.5); a platform-made one stays bound to its resource link. */
  async update(
    provider: LtiProvider,
    contextId: string,
    lineItemId: string,
    fields: LineItemFields,
  ): Promise<LineItem> {
    const context = await this.contexts.resolve(provider, contextId);
    const item = await this.find(provider, context, lineItemId);
    if (item.declarative) {
      if (fields.resourceLinkId !== null && fields.resourceLinkId !== item.resourceLinkId) {
        throw DomainError.invalidField(
          'resourceLinkId',
          'This line item was made by the platform for its resource link; resourceLinkId cannot change',
        );
      }
      return this.lineItems.update(item.id, { ...fields, resourceLinkId: item.resourceLinkId });
    }
    return this.lineItems.update(item.id, { ...fields, activityId: placementOf(context, fields.resourceLinkId) });
  }

  async delete(provider: LtiProvider, contextId: string, lineItemId: string): Promise<void> {
    const context = await this.contexts.resolve(provider, contextId);
    const item = await this.find(provider, context, lineItemId);
    if (item.declarative) {
      throw new DomainError(
        'conflict',
        'This line item was made by the platform for its resource link and decides completion; it cannot be deleted',
      );
    }
    await this.lineItems.delete(item.id);
  }

  async results(
    provider: LtiProvider,
    contextId: string,
    lineItemId: string,
    query: { userId?: string; offset: number; limit: number },
  ): Promise<Paged<LineItemResult>> {
    const context = await this.contexts.resolve(provider, contextId);
    const item = await this.find(provider, context, lineItemId);
    const rows = await this.lineItems.listResults({
      lineItemId: item.id,
      ltiUserId: query.userId,
      offset: query.offset,
      limit: query.limit,
    });
    return page(rows, query);
  }

  /** A line item of the tool in that context; `not_found` for anyone else's. */
  async find(provider: LtiProvider, context: ServiceContext, lineItemId: string): Promise<LineItem> {
    const item = await this.lineItems.find(scopeOf(provider, context), lineItemId);
    if (!item) throw DomainError.notFound('Line item');
    return item;
  }

  /**
   * One platform-made line item per placement (DESIGN.md §2: each placement has its own), made on
   * first need. A link that requires a score is completed by its scores; one that does not, by the
   * tool saying the learner completed it.
   */
  private async declarative(scope: LineItemScope, placements: readonly Placement[]): Promise<LineItem[]> {
    const mine = (items: readonly LineItem[]) =>
      items.filter((item) => placements.some((p) => p.activity.id === item.activityId));
    const existing = await this.lineItems.listDeclarative(scope);
    const missing = placements.filter((p) => !existing.some((item) => item.activityId === p.activity.id));
    if (missing.length === 0) return mine(existing);
    await this.lineItems.ensureDeclarative(
      missing.map((p): NewLineItem => ({
        ...scope,
        activityId: p.activity.id,
        declarative: true,
        label: p.link.lineItem?.label ?? p.activity.title,
        scoreMaximum: p.link.lineItem?.scoreMaximum?.toString() ?? DECLARATIVE_SCORE_MAXIMUM,
        resourceLinkId: p.resourceLinkId,
        resourceId: p.link.lineItem?.resourceId ?? null,
        tag: p.link.lineItem?.tag ?? null,
        startDateTime: null,
        endDateTime: null,
        gradesReleased: null,
        submissionReview: null,
      })),
    );
    return mine(await this.lineItems.listDeclarative(scope));
  }
}

function scopeOf(provider: LtiProvider, context: ServiceContext): LineItemScope {
  return { providerId: provider.id, courseId: context.course.id, classId: context.courseClass?.id ?? null };
}

/** The activity a `resourceLinkId` names in this context; 404 for one outside the tool and context. */
function placementOf(context: ServiceContext, resourceLinkId: string | null): string | null {
  if (resourceLinkId === null) return null;
  const placement = context.placements.find((p) => p.resourceLinkId === resourceLinkId);
  if (!placement) throw DomainError.notFound('Resource link');
  return placement.activity.id;
}

function page<T>(rows: readonly T[], query: { offset: number; limit: number }): Paged<T> {
  return {
    items: rows.slice(0, query.limit),
    next: rows.length > query.limit ? query.offset + query.limit : null,
  };
}
