import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SessionRepository } from './session.repository';

const EVERY_MS = 10 * 60 * 1000;

/**
 * Deletes expired sessions and tokens now and then. Expired rows are already ignored by
 * authentication; this only keeps the table small. Safe to run in every process at once.
 */
@Injectable()
export class SessionJanitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SessionJanitor.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly sessions: SessionRepository) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.purge(), EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async purge(now = new Date()): Promise<number> {
    try {
      return await this.sessions.deleteExpired(now);
    } catch (error) {
      this.logger.warn({ err: error }, 'Purging expired sessions failed; will retry');
      return 0;
    }
  }
}
