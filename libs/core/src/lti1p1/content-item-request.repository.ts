/** A Content-Item selection an author started: single use, short-lived, the `data` the tool echoes. */
export interface ContentItemRequest {
  readonly id: string;
  readonly userId: string;
  readonly courseId: string;
  readonly providerId: string;
  /** Whether the tool may return several items, or only one. */
  readonly acceptMultiple: boolean;
  readonly expiresAt: Date;
}

export abstract class ContentItemRequestRepository {
  abstract create(input: Omit<ContentItemRequest, 'id'>): Promise<ContentItemRequest>;
  /**
   * Marks the request used, atomically; null when it is unknown, expired, already used or was made
   * to another provider (so a selection can be returned once, by the tool it was asked of).
   */
  abstract consume(id: string, providerId: string, now: Date): Promise<ContentItemRequest | null>;
}
