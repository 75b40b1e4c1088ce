import { Injectable } from '@nestjs/common';
import { Enrollment } from '../learning/learning';
import { GivenScore } from './completion';
import { LineItem, LineItemRepository } from './line-item.repository';

/** Whose result on which tool's gradebook column: the placement's platform-made line item. */
export interface OverriddenResult {
  readonly enrollment: Enrollment;
  readonly activityId: string;
  readonly providerId: string;
  /** The learner as the tool knows them, for a result the tool has not written yet. */
  readonly ltiUserId: string;
  readonly comment: string | null;
}

/**
 * Keeps the AGS result of a placement's platform-made line item (AGS 2.0 §3.3) in step with an
 * instructor's grade, so a tool reading the gradebook back sees the teacher's edit. The result keeps
 * the tool's last score timestamp (none: the epoch): an override is not one of the tool's scores and
 * must not make the tool's next score look older than it (AGS 2.0 §3.4 orders scores by timestamp).
 */
@Injectable()
export class OverrideResults {
  constructor(private readonly lineItems: LineItemRepository) {}

  /** The grade as a final result on the line item's scale; null clears the score. */
  async write(target: OverriddenResult, score: GivenScore | null): Promise<void> {
    const item = await this.lineItemOf(target);
    if (!item) return;
    const stored = await this.lineItems.findResult(item.id, target.enrollment.id);
    await this.lineItems.saveResult({
      lineItemId: item.id,
      enrollmentId: target.enrollment.id,
      ltiUserId: stored?.ltiUserId ?? target.ltiUserId,
      scoreGiven: score ? rescale(score, item.scoreMaximum) : null,
      scoreMaximum: score ? item.scoreMaximum : null,
      comment: target.comment,
      activityProgress: score ? 'Completed' : (stored?.activityProgress ?? 'Initialized'),
      gradingProgress: score ? 'FullyGraded' : 'NotReady',
      scoredAt: stored?.scoredAt ?? new Date(0),
    });
  }

  private async lineItemOf(target: OverriddenResult): Promise<LineItem | null> {
    const items = await this.lineItems.listDeclarative({
      providerId: target.providerId,
      courseId: target.enrollment.courseId,
      classId: target.enrollment.classId,
    });
    return items.find((item) => item.activityId === target.activityId) ?? null;
  }
}

/** A score on another scale, as a plain decimal string of at most six decimals. */
function rescale(score: GivenScore, maximum: string): string {
  const value = (Number(score.given) / Number(score.maximum)) * Number(maximum);
  return String(Math.round(value * 1e6) / 1e6);
}
