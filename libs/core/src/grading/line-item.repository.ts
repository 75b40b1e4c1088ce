import type { ActivityProgressValue, GradingProgressValue, LineItemFields } from '@tms/lti';

/** Where line items live: one LTI context (a class, or the course's self-paced offering) of one tool. */
export interface LineItemScope {
  readonly providerId: string;
  readonly courseId: string;
  /** Null: the course's self-paced offering. */
  readonly classId: string | null;
}

/** An AGS line item (AGS 2.0 §3.2): a gradebook column of one tool in one context. */
export interface LineItem extends LineItemFields, LineItemScope {
  readonly id: string;
  /** The placement it is bound to (through `resourceLinkId`), if any. */
  readonly activityId: string | null;
  /** Made by the platform for a placement that takes a score; its scores decide completion. */
  readonly declarative: boolean;
}

export type NewLineItem = Omit<LineItem, 'id'>;

export interface LineItemQuery extends LineItemScope {
  readonly resourceLinkId?: string;
  readonly resourceId?: string;
  readonly tag?: string;
  readonly offset: number;
  readonly limit: number;
}

/** A learner's latest score on a line item (AGS 2.0 §3.3, §3.4), in one enrollment. */
export interface LineItemResult {
  readonly lineItemId: string;
  readonly enrollmentId: string;
  /** The person as the tool knows them: the `userId` it sent, the launch's `sub`. */
  readonly ltiUserId: string;
  readonly scoreGiven: string | null;
  readonly scoreMaximum: string | null;
  readonly comment: string | null;
  readonly activityProgress: ActivityProgressValue;
  readonly gradingProgress: GradingProgressValue;
  /** The tool's timestamp of the score: a later one replaces it, an older one never does. */
  readonly scoredAt: Date;
}

export abstract class LineItemRepository {
  /** Creates the missing ones, leaves existing ones as they are (safe against concurrent callers). */
  abstract ensureDeclarative(items: readonly NewLineItem[]): Promise<void>;
  abstract listDeclarative(scope: LineItemScope): Promise<LineItem[]>;
  /** Oldest first; one more than `limit` when there is a next page. */
  abstract list(query: LineItemQuery): Promise<LineItem[]>;
  /** Only within the scope: another tool's or another context's line item is not found. */
  abstract find(scope: LineItemScope, id: string): Promise<LineItem | null>;
  abstract create(item: NewLineItem): Promise<LineItem>;
  abstract update(id: string, changes: Partial<NewLineItem>): Promise<LineItem>;
  abstract delete(id: string): Promise<void>;

  abstract findResult(lineItemId: string, enrollmentId: string): Promise<LineItemResult | null>;
  abstract saveResult(result: LineItemResult): Promise<void>;
  /** Results of live enrollments, oldest first; one more than `limit` when there is a next page. */
  abstract listResults(query: {
    lineItemId: string;
    ltiUserId?: string;
    offset: number;
    limit: number;
  }): Promise<LineItemResult[]>;
}
