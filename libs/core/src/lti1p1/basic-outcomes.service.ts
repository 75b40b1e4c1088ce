import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  isOutcomeOperation,
  OAuthRequest,
  OutcomeRequest,
  outcomeResponse,
  parseOutcomeRequest,
  parseOutcomeScore,
  PoxError,
} from '@tms/lti';
import { LtiProvider } from '../catalog/lti-provider';
import { DomainError } from '../errors/domain-error';
import { LedgerContext, ScoreIntakeService } from '../grading/score-intake.service';
import { ScoreLedgerRepository } from '../grading/score-ledger.repository';
import { ResultSourcedIds } from './result-sourced-id';
import { ScoreTargets, ResolvedTarget } from './outcome-targets';
import { Lti1p1RequestRefused, Lti1p1RequestVerifier } from './lti1p1-request-verifier';

export interface OutcomesHttpRequest {
  /** Our public URL of the request, query included: what the tool signed. */
  readonly url: string;
  readonly oauthParams: Readonly<Record<string, string>> | null;
  readonly body: Buffer;
  readonly requestId: string | null;
}

/** A refusal after authentication, with what is known of the request for the ledger. */
class OutcomeRefused extends Error {
  constructor(
    readonly reason: string,
    readonly context: LedgerContext | null = null,
  ) {
    super(reason);
  }
}

/**
 * A request that failed for a reason of ours (the database away, a fault), not the tool's: `pox` is
 * the failure to send, and the transport picks the HTTP status from `cause` (5xx; 503 for an outage,
 * so the tool knows to try again).
 */
export class OutcomesFault extends Error {
  constructor(
    readonly pox: string,
    override readonly cause: unknown,
  ) {
    super('The outcomes request failed on our side');
  }
}

/**
 * LTI 1.1 Basic Outcomes (LTI 1.1.1 Implementation Guide §6): every request is authenticated before
 * its XML is read, answered in POX, and written to the score ledger whatever its fate. Scores land
 * through the same intake as LTI 1.3's, under the enrollment's lock.
 */
const OUR_FAULT = 'The request could not be processed; it changed nothing. Try again later.';

/** Why the tool's request was refused; null when the failure is ours, not the request's. */
function reasonOf(error: unknown): string | null {
  if (error instanceof Lti1p1RequestRefused || error instanceof OutcomeRefused) return error.reason;
  if (error instanceof PoxError) return `The request is not a valid POX message: ${error.message}`;
  if (error instanceof DomainError) return error.message;
  return null;
}

@Injectable()
export class BasicOutcomesService {
  private readonly logger = new Logger(BasicOutcomesService.name);

  constructor(
    private readonly verifier: Lti1p1RequestVerifier,
    private readonly sourcedIds: ResultSourcedIds,
    private readonly targets: ScoreTargets,
    private readonly intake: ScoreIntakeService,
    private readonly ledger: ScoreLedgerRepository,
  ) {}

  /**
   * The POX response to send with HTTP 200 (POX carries its status in `imsx_codeMajor`); a failure
   * of ours is thrown as an {@link OutcomesFault} carrying its POX failure.
   */
  async handle(request: OutcomesHttpRequest): Promise<string> {
    let provider: LtiProvider | null = null;
    let pox: OutcomeRequest | null = null;
    try {
      if (!request.oauthParams) throw new Lti1p1RequestRefused('An Authorization: OAuth header is required');
      const signed: OAuthRequest & { body: Buffer } = {
        method: 'POST',
        url: request.url,
        params: request.oauthParams,
        body: request.body,
      };
      provider = await this.verifier.verify(signed);
      pox = parseOutcomeRequest(request.body.toString('utf8'));
      return await this.operate(provider, pox, request.requestId);
    } catch (error) {
      const reason = reasonOf(error);
      provider ??= error instanceof Lti1p1RequestRefused ? error.provider : null;
      const context = error instanceof OutcomeRefused ? error.context : null;
      await this.recordRefusal(context ?? this.unresolved(provider, pox, request.requestId), reason ?? OUR_FAULT);
      const unsupported = pox !== null && !isOutcomeOperation(pox.operation);
      const answer = outcomeResponse({
        messageIdentifier: randomUUID(),
        messageRefIdentifier: pox?.messageIdentifier ?? null,
        operation: pox?.operation ?? null,
        codeMajor: unsupported ? 'unsupported' : 'failure',
        severity: unsupported ? 'status' : 'error',
        description: reason ?? OUR_FAULT,
      });
      if (reason === null) throw new OutcomesFault(answer, error);
      return answer;
    }
  }

  private async operate(provider: LtiProvider, pox: OutcomeRequest, requestId: string | null): Promise<string> {
    if (!isOutcomeOperation(pox.operation)) {
      throw new OutcomeRefused(
        `${pox.operation} is not supported; this service supports replaceResult, readResult and deleteResult`,
      );
    }
    if (!pox.sourcedId) throw new OutcomeRefused('The request names no sourcedId');
    const target = this.sourcedIds.verify(pox.sourcedId);
    if (!target) throw new OutcomeRefused('This sourcedId was not issued by this platform');
    const resolved = await this.targets.resolve(target, provider);
    const context: LedgerContext = {
      ltiVersion: '1.1',
      providerId: provider.id,
      organizationId: resolved.organizationId,
      enrollmentId: resolved.enrollmentId,
      activityId: target.activityId,
      userId: target.userId,
      source: pox.sourcedId,
      operation: pox.operation,
      rawScore: pox.score,
      requestId,
    };
    const success = (description: string, score?: string | null) =>
      outcomeResponse({
        messageIdentifier: randomUUID(),
        messageRefIdentifier: pox.messageIdentifier,
        operation: pox.operation,
        codeMajor: 'success',
        severity: 'status',
        description,
        score,
      });
    switch (pox.operation) {
      case 'replaceResult': {
        const score = parseOutcomeScore(pox.score);
        if (!score.ok) throw new OutcomeRefused(score.reason, context);
        await this.apply(resolved, { given: score.value, maximum: '1' }, context);
        return success(`The score for ${pox.sourcedId} is now ${score.value}`);
      }
      case 'deleteResult':
        await this.apply(resolved, null, context);
        return success(`The score for ${pox.sourcedId} was deleted`);
      case 'readResult': {
        const stored = await this.read(resolved, context);
        return success(stored === null ? 'No score yet' : `The score is ${stored}`, stored);
      }
    }
  }

  private async apply(
    resolved: ResolvedTarget,
    score: { given: string; maximum: string } | null,
    context: LedgerContext,
  ) {
    if (!resolved.score) {
      await this.ledger.record({
        ...context,
        decision: 'preview',
        reason: 'A preview launch: not recorded',
        resultingStatus: null,
        scorePercent: null,
      });
      return;
    }
    await this.intake.applyScore(resolved.score, score, context);
  }

  /** 1.1 scores are over a maximum of 1; one that came in on another scale (AGS) is normalized. */
  private async read(resolved: ResolvedTarget, context: LedgerContext): Promise<string | null> {
    const progress = resolved.score ? await this.intake.read(resolved.score) : null;
    const value =
      progress?.scoreGiven == null
        ? null
        : progress.scoreMaximum === '1'
          ? progress.scoreGiven
          : String(Number(progress.scoreGiven) / Number(progress.scoreMaximum));
    await this.ledger.record({
      ...context,
      decision: resolved.score ? 'read' : 'preview',
      reason: null,
      resultingStatus: progress?.status ?? null,
      scorePercent: progress?.scorePercent ?? null,
    });
    return value;
  }

  private unresolved(
    provider: LtiProvider | null,
    pox: OutcomeRequest | null,
    requestId: string | null,
  ): LedgerContext {
    return {
      ltiVersion: '1.1',
      providerId: provider?.id ?? null,
      organizationId: provider?.organizationId ?? null,
      enrollmentId: null,
      activityId: null,
      userId: null,
      source: pox?.sourcedId?.slice(0, 1000) ?? null,
      operation: pox?.operation.slice(0, 64) ?? 'unknown',
      rawScore: pox?.score?.slice(0, 64) ?? null,
      requestId,
    };
  }

  /** Never lets a ledger failure turn a refusal into an error: the tool still gets its POX failure. */
  private async recordRefusal(context: LedgerContext, reason: string): Promise<void> {
    try {
      await this.ledger.record({
        ...context,
        rawScore: context.rawScore?.slice(0, 64) ?? null,
        decision: 'rejected',
        reason: reason.slice(0, 500),
        resultingStatus: null,
        scorePercent: null,
      });
    } catch (error) {
      this.logger.error({ err: error }, 'Could not record a refused outcomes request in the score ledger');
    }
  }
}
