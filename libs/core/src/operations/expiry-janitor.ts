import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SessionRepository } from '../identity/session.repository';
import { SignInThrottleRepository } from '../identity/sign-in-throttle/sign-in-throttle.repository';
import { OAuthNonceRepository } from '../lti1p1/oauth-nonce.repository';
import { MessageHintRepository } from '../lti1p3/message-hint.repository';
import { ToolJwtIdRepository } from '../lti1p3/tool-jwt-id.repository';
import { AccessTokenRepository } from '../catalog/access-token.repository';
import { MembershipChangeRepository } from '../learning/membership-change.repository';
import { DifferencesTokens } from '../lti1p3/nrps/differences-tokens';

const EVERY_MS = 10 * 60 * 1000;

/**
 * Deletes expired rows now and then: sessions and tokens, consumed nonces and tool JWT ids, LTI 1.3 login hints, LTI
 * Advantage access tokens, forgotten sign-in counters, membership changes older than the NRPS
 * differences window (plus an hour, for a transaction that was still open when a link was given). Expired rows are already
 * ignored (an expired session does not authenticate; a nonce outside its window fails the timestamp
 * check first); this only keeps the tables small. Safe to run in every process at once.
 */
@Injectable()
export class ExpiryJanitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ExpiryJanitor.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sessions: SessionRepository,
    private readonly nonces: OAuthNonceRepository,
    private readonly toolJwtIds: ToolJwtIdRepository,
    private readonly hints: MessageHintRepository,
    private readonly accessTokens: AccessTokenRepository,
    private readonly signInCounters: SignInThrottleRepository,
    private readonly membershipChanges: MembershipChangeRepository,
    private readonly differences: DifferencesTokens,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.purge(), EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** How many rows of each kind were deleted. */
  async purge(now = new Date()): Promise<{
    sessions: number;
    nonces: number;
    messageHints: number;
    accessTokens: number;
    signInCounters: number;
    membershipChanges: number;
  }> {
    const changesBefore = new Date(now.getTime() - (this.differences.windowSeconds + 3600) * 1000);
    return {
      sessions: await this.quietly(() => this.sessions.deleteExpired(now)),
      nonces:
        (await this.quietly(() => this.nonces.deleteExpired(now))) +
        (await this.quietly(() => this.toolJwtIds.deleteExpired(now))),
      messageHints: await this.quietly(() => this.hints.deleteExpired(now)),
      accessTokens: await this.quietly(() => this.accessTokens.deleteExpired(now)),
      signInCounters: await this.quietly(() => this.signInCounters.deleteExpired(now)),
      membershipChanges: await this.quietly(() => this.membershipChanges.deleteOlderThan(changesBefore)),
    };
  }

  private async quietly(purge: () => Promise<number>): Promise<number> {
    try {
      return await purge();
    } catch (error) {
      this.logger.warn({ err: error }, 'Purging expired rows failed; will retry');
      return 0;
    }
  }
}
