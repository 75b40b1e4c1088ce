import { Injectable } from '@nestjs/common';
import { LineItemFields, readScorePublish, ScorePublish } from '@tms/lti';
import { LtiProvider } from '../catalog/lti-provider';
import { DomainError } from '../errors/domain-error';
import { ToolGrading } from '../grading/completion';
import { LedgerContext, ScoreIntakeService } from '../grading/score-intake.service';
import { ScoreLedgerRepository } from '../grading/score-ledger.repository';
import { LtiResourceLink } from '../catalog/lti-resource-link';
import { CourseActivity, CourseClass, CourseWithActivities, Enrollment } from '../learning/learning';
import { ltiContextOf, ltiResourceLinkIdIn } from '../learning/lti-context';
import { EnrollmentRepository } from '../learning/enrollment.repository';
import { ProgressRepository } from '../learning/progress.repository';
import { UnitOfWork } from '../shared/unit-of-work';
import { routePath } from '../launch/platform-urls';
import { isTestLearnerId } from '../launch/test-learner';
import {
  LineItem,
  LineItemRepository,
  LineItemResult,
  LineItemScope,
  NewLineItem,
} from '../grading/line-item.repository';
import { Placement, ServiceContext, ServiceContexts } from './service-contexts';

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

/** What became of a score publish the tool may know (refusals are thrown). */
export type PublishOutcome = 'applied' | 'unchanged' | 'preview';

/** A placement being launched, as the launch knows it. */
export interface LaunchedPlacement {
  readonly course: CourseWithActivities;
  readonly courseClass: CourseClass | null;
  readonly activity: CourseActivity;
  readonly link: LtiResourceLink;
}

/**
 * LTI Assignment and Grade Services 2.0 for one tool in the contexts it reaches (see
 * ServiceContexts). Each placement has one line item made by the platform (declarative, AGS 2.0
 * §3.2.1): its scores decide completion through the same intake and ledger as LTI 1.1's. Line
 * items the tool makes itself keep their results for the tool and the ledger, and decide nothing,
 * so a tool's extra columns never undo a completion.
 */
@Injectable()
export class AssignmentGradesService {
  constructor(
    private readonly contexts: ServiceContexts,
    private readonly lineItems: LineItemRepository,
    private readonly enrollments: EnrollmentRepository,
    private readonly progress: ProgressRepository,
    private readonly intake: ScoreIntakeService,
    private readonly ledger: ScoreLedgerRepository,
    private readonly uow: UnitOfWork,
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

  /**
   * A score publish (AGS 2.0 §3.4) for a learner enrolled in the line item's context. A timestamp
   * not later than the stored one never overwrites it; the same score again changes nothing. Every
   * publish, refused or not, is written to the score ledger.
   */
  async publishScore(
    provider: LtiProvider,
    contextId: string,
    lineItemId: string,
    body: unknown,
    requestId: string | null,
    now = new Date(),
  ): Promise<PublishOutcome> {
    const context = await this.contexts.resolve(provider, contextId);
    const item = await this.find(provider, context, lineItemId);
    const read = readScorePublish(body, now);
    const score = read.ok ? read.value : null;
    const ledger: LedgerContext = {
      ltiVersion: '1.3',
      providerId: provider.id,
      organizationId: context.courseClass?.organizationId ?? context.course.organizationId,
      enrollmentId: null,
      activityId: item.activityId,
      userId: null,
      source: routePath('lineItem', { contextId: context.context.id, lineItemId: item.id }),
      operation: 'score',
      rawScore: score?.scoreGiven != null ? `${score.scoreGiven}/${score.scoreMaximum}`.slice(0, 64) : null,
      requestId,
    };
    if (!read.ok) {
      await this.ledger.record({ ...ledger, decision: 'rejected', ...nothing(read.reason) });
      throw DomainError.refused(read.reason);
    }
    return this.publish(provider, context, item, read.value, ledger, now);
  }

  private async publish(
    provider: LtiProvider,
    context: ServiceContext,
    item: LineItem,
    score: ScorePublish,
    ledger: LedgerContext,
    now: Date,
  ): Promise<PublishOutcome> {
    const enrollment = await this.learnerOf(provider, context, score.userId, ledger);
    if (!enrollment) {
      await this.ledger.record({ ...ledger, decision: 'preview', ...nothing('A preview launch: not recorded') });
      return 'preview';
    }
    const entry: LedgerContext = { ...ledger, enrollmentId: enrollment.id, userId: enrollment.userId };
    const decision = await this.uow.run(async () => {
      await this.progress.lockEnrollment(enrollment.id);
      const stored = await this.lineItems.findResult(item.id, enrollment.id);
      if (stored && score.timestamp.getTime() <= stored.scoredAt.getTime()) {
        const same = sameScore(stored, score);
        await this.ledger.record({
          ...entry,
          decision: same ? 'unchanged' : 'rejected',
          ...nothing(same ? 'The same score again' : staleReason(stored)),
        });
        return same ? 'unchanged' : 'stale';
      }
      await this.lineItems.saveResult({
        lineItemId: item.id,
        enrollmentId: enrollment.id,
        ltiUserId: score.userId,
        scoreGiven: score.scoreGiven,
        scoreMaximum: score.scoreMaximum,
        comment: score.comment,
        activityProgress: score.activityProgress,
        gradingProgress: score.gradingProgress,
        scoredAt: score.timestamp,
      });
      const placement = item.declarative && context.placements.find((p) => p.activity.id === item.activityId);
      if (!placement) {
        await this.ledger.record({ ...entry, decision: 'applied', ...nothing(null) });
        return 'applied';
      }
      await this.intake.applyScore(
        {
          enrollmentId: enrollment.id,
          activityId: placement.activity.id,
          link: placement.link,
          courseActivities: context.course.activities,
        },
        score.scoreGiven === null ? null : { given: score.scoreGiven, maximum: score.scoreMaximum! },
        entry,
        now,
        toolGrading(score),
      );
      return 'applied';
    });
    if (decision === 'stale') throw new DomainError('conflict', staleReason(null));
    return decision;
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

  private async find(provider: LtiProvider, context: ServiceContext, lineItemId: string): Promise<LineItem> {
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
      })),
    );
    return mine(await this.lineItems.listDeclarative(scope));
  }

  /**
   * The learner's live enrollment in the context, found by the id the tool knows them by; null for
   * the test learner of a preview (acknowledged, recorded nowhere but the ledger). Anyone else is
   * refused with the reason, in the ledger too.
   */
  private async learnerOf(
    provider: LtiProvider,
    context: ServiceContext,
    userId: string,
    ledger: LedgerContext,
  ): Promise<Enrollment | null> {
    const found = await this.enrollments.findActiveByLtiUserId(
      { courseId: context.course.id, classId: context.courseClass?.id ?? null },
      provider.privacy.userIdSource,
      userId,
    );
    const refuse = async (reason: string) => {
      await this.ledger.record({ ...ledger, decision: 'rejected', ...nothing(reason) });
      return DomainError.refused(reason);
    };
    if (found.length === 0) {
      if (!context.courseClass && isTestLearnerId(userId)) return null;
      throw await refuse(`No learner with userId ${userId} is enrolled in this context; nothing was stored`);
    }
    if (found.length > 1) {
      throw await refuse(`Several people in this context have userId ${userId}; nothing was stored`);
    }
    if (found[0].role !== 'learner') {
      throw await refuse(`userId ${userId} teaches this context; only learners receive scores`);
    }
    return found[0];
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

/** AGS 2.0 §3.4.7: only `FullyGraded` is final; `PendingManual` waits for a person. */
function toolGrading(score: ScorePublish): ToolGrading {
  return {
    grading:
      score.gradingProgress === 'FullyGraded'
        ? 'final'
        : score.gradingProgress === 'PendingManual'
          ? 'review'
          : 'pending',
    activityCompleted: score.activityProgress === 'Completed',
  };
}

function sameScore(stored: LineItemResult, score: ScorePublish): boolean {
  return (
    sameNumber(stored.scoreGiven, score.scoreGiven) &&
    sameNumber(stored.scoreMaximum, score.scoreMaximum) &&
    stored.comment === score.comment &&
    stored.activityProgress === score.activityProgress &&
    stored.gradingProgress === score.gradingProgress
  );
}

function sameNumber(a: string | null, b: string | null): boolean {
  return a === null || b === null ? a === b : Number(a) === Number(b);
}

function staleReason(stored: LineItemResult | null): string {
  const when = stored ? ` (${stored.scoredAt.toISOString()})` : '';
  return `A score with the same or a later timestamp${when} is stored; this one was not applied`;
}

function nothing(reason: string | null) {
  return { reason, resultingStatus: null, scorePercent: null };
}
