import type { NoticeType } from '@tms/lti';
import { Page, PageRequest } from '../../shared/page';

export type NoticeDeliveryStatus = 'pending' | 'sent' | 'failed';

export interface NoticeDelivery {
  readonly id: string;
  readonly providerId: string;
  readonly noticeType: NoticeType;
  readonly handler: string;
  /** The notice JWT's claims but `iat` and `exp`, which are set when it is signed for an attempt. */
  readonly claims: Readonly<Record<string, unknown>>;
  readonly status: NoticeDeliveryStatus;
  readonly attempts: number;
  /** When a pending notice is tried next; null once sent or failed. */
  readonly nextAttemptAt: Date | null;
  readonly lastAttemptAt: Date | null;
  readonly lastError: string | null;
  readonly sentAt: Date | null;
  readonly createdAt: Date;
}

export interface NewNoticeDelivery {
  readonly id: string;
  readonly providerId: string;
  readonly noticeType: NoticeType;
  readonly handler: string;
  readonly claims: Readonly<Record<string, unknown>>;
}

/**
 * Port: the queue of notices in PostgreSQL. `claimDue` hands each due notice to one worker (row
 * locks skipped by the others) and leases it: it is not due again until `leaseSeconds` have passed,
 * so a worker that dies mid-delivery delays a notice, never loses it.
 */
export abstract class NoticeDeliveryRepository {
  abstract enqueue(delivery: NewNoticeDelivery): Promise<NoticeDelivery>;
  /** Due pending notices, oldest due first, each counted as one more attempt. */
  abstract claimDue(limit: number, leaseSeconds: number): Promise<NoticeDelivery[]>;
  abstract markSent(id: string): Promise<void>;
  /** A failed attempt: tried again at `retryAt`, or failed for good when null. */
  abstract markAttemptFailed(id: string, error: string, retryAt: Date | null): Promise<void>;
  abstract listForProvider(providerId: string, page: PageRequest): Promise<Page<NoticeDelivery>>;
}
