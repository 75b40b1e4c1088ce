import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SessionRepository } from '../identity/session.repository';
import { SignInThrottleRepository } from '../identity/sign-in-throttle/sign-in-throttle.repository';
import { OAuthNonceRepository } from '../lti1p1/oauth-nonce.repository';
import { MessageHintRepository } from '../lti1p3/message-hint.repository';
import { ToolJwtIdRepository } from '../lti1p3/tool-jwt-id.repository';
import { AccessTokenRepository } from '../catalog/access-token.repository';
import { MembershipChangeRepository } from '../learning/membership-change.repository';
import { DifferencesTokens } from '../lti1p3/nrps/differences-tokens';
import { DynamicRegistrationRepository } from '../lti1p3/dynamic-registration/dynamic-registration.repository';
import { RefusedAuthorizations } from '../lti1p3/refused-authorizations';

const EVERY_MS = 10 * 60 * 1000;
/** A started Dynamic Registration the tool never completed stays listed (as expired) this long after its token expired. */
const NEVER_COMPLETED_GRACE_MS = 24 * 60 * 60 * 1000;
/** Rows one purge deletes at most of each bounded kind: a backlog goes over several runs, never in one long lock. */
const PURGE_BATCH = 5000;

/**
 * Deletes expired rows now and then: sessions and tokens, consumed nonces and tool JWT ids, LTI 1.3 login hints, LTI
 * Advantage access tokens, forgotten sign-in counters, membership changes older than the NRPS
 * differences window (plus an hour, for a transaction that was still open when a link was given), Dynamic
 * Registrations the tool never completed a day after their token expired, and refused authorizations past
 * their retention. Expired rows are already
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
    private readonly registrations: DynamicRegistrationRepository,
    private readonly refusals: RefusedAuthorizations,
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
    dynamicRegistrations: number;
    refusedAuthorizations: number;
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
      dynamicRegistrations: await this.quietly(() =>
        this.registrations.deleteNeverCompleted(new Date(now.getTime() - NEVER_COMPLETED_GRACE_MS), PURGE_BATCH),
      ),
      refusedAuthorizations: await this.quietly(() => this.refusals.purge(now, PURGE_BATCH)),
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
