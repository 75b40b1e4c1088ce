import type { CustomParameter, LineItemTemplate } from '@tms/lti';
import type { CatalogStatus } from './lti-provider';

/** A catalog entry: one piece of a tool's content, reusable in any course where it is available. */
export interface LtiResourceLink {
  readonly id: string;
  readonly organizationId: string;
  readonly providerId: string;
  readonly name: string;
  /** The launch URL (LTI 1.1) or target link URI (LTI 1.3). */
  readonly url: string;
  readonly customParameters: readonly CustomParameter[];
  readonly requiresScoreForCompletion: boolean;
  /** Percent, 0–100; null: any score completes. */
  readonly passingScore: number | null;
  /** The gradebook column a tool asked for when it created this link (Content-Item / Deep Linking). */
  readonly lineItem: LineItemTemplate | null;
  readonly status: CatalogStatus;
  readonly availableOrganizationIds: readonly string[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}
