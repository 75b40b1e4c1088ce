/**
 * A content selection an author started, LTI 1.1 Content-Item or LTI 1.3 Deep Linking: single use,
 * short-lived, named by the `data` the tool echoes.
 */
export interface ContentSelectionRequest {
  readonly id: string;
  readonly userId: string;
  readonly courseId: string;
  readonly providerId: string;
  /** Whether the tool may return several items, or only one. */
  readonly acceptMultiple: boolean;
  readonly expiresAt: Date;
}

/** Port: content selection requests. */
export abstract class ContentSelectionRequestRepository {
  abstract create(input: Omit<ContentSelectionRequest, 'id'>): Promise<ContentSelectionRequest>;
  /**
   * Marks the request used, atomically; null when it is unknown, expired, already used or was made
   * to another provider (so a selection can be returned once, by the tool it was asked of).
   */
  abstract consume(id: string, providerId: string, now: Date): Promise<ContentSelectionRequest | null>;
}
