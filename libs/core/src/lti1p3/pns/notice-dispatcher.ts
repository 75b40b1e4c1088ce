import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { noticeBody } from '@tms/lti';
import { PlatformKeysService } from '../../keys/platform-keys.service';
import { OutboundError, OutboundHttp } from '../../shared/outbound-http';
import { NoticeDelivery, NoticeDeliveryRepository } from './notice-delivery.repository';
import { NoticeSettings, retryDelaySeconds } from './notice-settings';

/** A notice JWT is good for an hour after it is signed (as long as the id_tokens' keys stay published). */
const NOTICE_LIFETIME_SECONDS = 3600;
const DELIVERY_TIMEOUT_MS = 10_000;
/** Longer than one delivery may take: a notice claimed by a worker that died is due again after it. */
const LEASE_SECONDS = 60;
const BATCH = 10;
/** A handler's answer is not read; this only bounds what we accept. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * Delivers queued notices (LTI PNS 1.0): each attempt signs the notice with the platform's current
 * key (RS256, its `kid`), posts `{"notices": [{"jwt"}]}` to the handler through the guarded outbound
 * client, and counts a 2xx as delivered. A failed attempt is tried again after an exponentially
 * growing wait, until `maxAttempts`; then the notice is marked failed and stays for administrators
 * to see. Every instance runs one, polling the queue; claims skip each other's rows.
 */
@Injectable()
export class NoticeDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NoticeDispatcher.name);
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<number> | null = null;

  constructor(
    private readonly deliveries: NoticeDeliveryRepository,
    private readonly keys: PlatformKeysService,
    private readonly outbound: OutboundHttp,
    private readonly settings: NoticeSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.drain(), this.settings.pollMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Delivers every notice due now; how many attempts were made. One drain at a time per process. */
  drain(): Promise<number> {
    this.draining ??= this.drainAll().finally(() => (this.draining = null));
    return this.draining;
  }

  private async drainAll(): Promise<number> {
    let attempts = 0;
    try {
      for (;;) {
        const due = await this.deliveries.claimDue(BATCH, LEASE_SECONDS);
        if (due.length === 0) return attempts;
        await Promise.all(due.map((delivery) => this.attempt(delivery)));
        attempts += due.length;
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'Delivering notices failed; will retry');
      return attempts;
    }
  }

  private async attempt(delivery: NoticeDelivery): Promise<void> {
    const failure = await this.post(delivery);
    if (failure === null) {
      await this.deliveries.markSent(delivery.id);
      return;
    }
    const last = delivery.attempts >= this.settings.maxAttempts;
    const retryAt = last ? null : new Date(Date.now() + retryDelaySeconds(this.settings, delivery.attempts) * 1000);
    await this.deliveries.markAttemptFailed(delivery.id, failure, retryAt);
    if (last)
      this.logger.warn(`Notice ${delivery.id} (${delivery.noticeType}) failed after ${delivery.attempts} attempts`);
  }

  /** Null when the handler took the notice; otherwise why not, in words for the administrator. */
  private async post(delivery: NoticeDelivery): Promise<string | null> {
    try {
      const jwt = await this.keys.signJwt({ ...delivery.claims }, NOTICE_LIFETIME_SECONDS);
      const answer = await this.outbound.fetch({
        method: 'POST',
        url: delivery.handler,
        json: noticeBody([jwt]),
        maxBytes: MAX_ANSWER_BYTES,
        timeoutMs: DELIVERY_TIMEOUT_MS,
      });
      return answer.status >= 200 && answer.status < 300 ? null : `The handler answered HTTP ${answer.status}`;
    } catch (error) {
      if (error instanceof OutboundError) return `The handler ${error.message}`;
      this.logger.error({ err: error }, `Notice ${delivery.id} could not be sent`);
      return 'The notice could not be sent (an error of ours; see the logs)';
    }
  }
}
