import { Injectable, Logger } from '@nestjs/common';
import {
  checkOutcomeData,
  isOutcomeOperation,
  OAuthRequest,
  OutcomeData,
  OutcomeOperation,
  OutcomeRequest,
  parseOutcomeRequest,
  parseOutcomeScore,
  PoxError,
} from '@tms/lti';
import { LtiProvider } from '../catalog/lti-provider';
import { DomainError } from '../errors/domain-error';
import { ActivityProgress } from '../learning/learning';
import { LedgerContext, ScoreIntakeService } from '../grading/score-intake.service';
import { NO_DETAILS } from '../grading/submission.repository';
import { AuthenticatedRequest, Lti1p1RequestRefused, Lti1p1RequestVerifier } from './lti1p1-request-verifier';
import { Lti1p1Signers } from './lti1p1-signers';
import { ResultSourcedIds } from './result-sourced-id';
import { ResolvedTarget, ScoreTargets, StaleSigner } from './score-targets';
import { UnitOfWork } from '../shared/unit-of-work';

/** A Basic Outcomes message as the tool signed it (LTI 1.1.1 §6; OAuth body signing). */
export interface OutcomeMessage {
  /** Our public URL of the request, query included: what the tool signed. */
  readonly url: string;
  /** The `Authorization: OAuth` parameters; null when there were none. */
  readonly oauthParams: Readonly<Record<string, string>> | null;
  readonly body: Buffer;
  /** Correlates the ledger entry with the request's log lines. */
  readonly requestId: string | null;
}

/** What an answer refers to (`imsx_messageRefIdentifier`, `imsx_operationRefIdentifier`), when it could be read. */
export interface OutcomeReference {
  readonly messageIdentifier: string | null;
  readonly operation: string | null;
}

/** A request carried out: what the tool is told, and for readResult the score (empty when none). */
export interface OutcomeAnswer {
  readonly reference: OutcomeReference;
  readonly description: string;
  readonly score?: string | null;
}

const NO_REFERENCE: OutcomeReference = { messageIdentifier: null, operation: null };
const OUR_FAULT = 'The request could not be processed; it changed nothing. Try again later.';

/** The tool's request refused, with the reason it is told; `unsupported` for an operation we do not offer. */
export class OutcomeRefused extends DomainError {
  constructor(
    reason: string,
    readonly reference: OutcomeReference = NO_REFERENCE,
    readonly unsupported = false,
  ) {
    super('validation_failed', reason);
    this.name = 'OutcomeRefused';
  }
}

/**
 * A request that failed for a reason of ours (the database away, a fault), not the tool's: the
 * transport picks the status from `cause` (5xx; 503 in an outage, so the tool knows to try again)
 * and tells the tool only `description`.
 */
export class OutcomesFault extends Error {
  readonly description = OUR_FAULT;

  constructor(
    readonly reference: OutcomeReference,
    override readonly cause: unknown,
  ) {
    super('The outcomes request failed on our side');
    this.name = 'OutcomesFault';
  }
}

/** A refusal after the request was read, with what is known of it for the ledger. */
class Refusal extends Error {
  constructor(
    readonly reason: string,
    readonly ledger: LedgerContext | null = null,
  ) {
    super(reason);
  }
}

/** Why the tool's request was refused; null when the failure is ours, not the request's. */
function reasonOf(error: unknown): string | null {
  if (error instanceof Lti1p1RequestRefused || error instanceof Refusal) return error.reason;
  if (error instanceof PoxError) return `The request is not a valid POX message: ${error.message}`;
  if (error instanceof DomainError) return error.message;
  return null;
}

/**
 * LTI 1.1 Basic Outcomes (LTI 1.1.1 Implementation Guide §6): every request is authenticated before
 * its XML is read and goes to the score ledger whatever its fate. Scores land through the score
 * intake, like LTI 1.3's. It answers what was done; a refusal is thrown as {@link OutcomeRefused},
 * a failure of ours as {@link OutcomesFault}; the transport writes either in POX.
 */
@Injectable()
export class BasicOutcomesService {
  private readonly logger = new Logger(BasicOutcomesService.name);

  constructor(
    private readonly verifier: Lti1p1RequestVerifier,
    private readonly signers: Lti1p1Signers,
    private readonly sourcedIds: ResultSourcedIds,
    private readonly targets: ScoreTargets,
    private readonly intake: ScoreIntakeService,
    private readonly uow: UnitOfWork,
  ) {}

  async handle(message: OutcomeMessage): Promise<OutcomeAnswer> {
    let provider: LtiProvider | null = null;
    let pox: OutcomeRequest | null = null;
    let request: AuthenticatedRequest | null = null;
    const signed: OAuthRequest & { body: Buffer } = {
      method: 'POST',
      url: message.url,
      params: message.oauthParams ?? {},
      body: message.body,
    };
    try {
      if (!message.oauthParams) throw new Lti1p1RequestRefused('An Authorization: OAuth header is required');
      request = await this.verifier.authenticate(signed, new Date(), true);
      provider = request.signer.provider;
      pox = parseOutcomeRequest(message.body.toString('utf8'));
      try {
        return await this.operate(request, pox, message.requestId);
      } catch (error) {
        if (!(error instanceof StaleSigner)) throw error;
        // Another process changed the provider: decide on what is stored now.
        this.signers.forget(request.consumerKey);
        request = null;
        request = await this.verifier.authenticate(signed, new Date(), false);
        provider = request.signer.provider;
        return await this.operate(request, pox, message.requestId);
      }
    } catch (thrown) {
      const error = request && reasonOf(thrown) !== null ? await this.settleRefused(signed, thrown) : thrown;
      const reference = pox ? { messageIdentifier: pox.messageIdentifier, operation: pox.operation } : NO_REFERENCE;
      const reason = reasonOf(error);
      provider ??= error instanceof Lti1p1RequestRefused ? error.provider : null;
      const ledger = (error instanceof Refusal ? error.ledger : null) ?? unresolved(provider, pox, message.requestId);
      await this.recordRefusal(ledger, reason ?? OUR_FAULT);
      if (reason === null) throw new OutcomesFault(reference, error);
      throw new OutcomeRefused(reason, reference, pox !== null && !isOutcomeOperation(pox.operation));
    }
  }

  /**
   * A refusal after the signature matched is decided on the provider as stored, like every refusal
   * (the signer may have come from this process's cache), and uses up the request's nonce whatever
   * its fate (the transaction that would have, was undone or never began). Answers the refusal, the
   * fresh check's own refusal, or a failure of ours (the database away: the request was not fully
   * verified).
   */
  private async settleRefused(signed: OAuthRequest & { body: Buffer }, refusal: unknown): Promise<unknown> {
    try {
      await this.verifier.useUpNonce(await this.verifier.authenticate(signed, new Date(), false));
      return refusal;
    } catch (error) {
      return error;
    }
  }

  /**
   * One transaction: the statement that resolves the target uses up the nonce and takes the
   * enrollment's lock, then the score intake reads nothing more and writes once.
   */
  private async operate(
    request: AuthenticatedRequest,
    pox: OutcomeRequest,
    requestId: string | null,
  ): Promise<OutcomeAnswer> {
    const provider = request.signer.provider;
    if (!isOutcomeOperation(pox.operation)) {
      throw new Refusal(
        `${pox.operation} is not supported; this service supports replaceResult, readResult and deleteResult`,
      );
    }
    if (!pox.sourcedId) throw new Refusal('The request names no sourcedId');
    const target = this.sourcedIds.verify(pox.sourcedId);
    if (!target) throw new Refusal('This sourcedId was not issued by this platform');
    return this.uow.run(async () => {
      const resolved = await this.targets.resolve(target, request);
      const ledger: LedgerContext = {
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
      return this.carryOut(pox, resolved, ledger);
    });
  }

  private async carryOut(pox: OutcomeRequest, resolved: ResolvedTarget, ledger: LedgerContext): Promise<OutcomeAnswer> {
    const reference = { messageIdentifier: pox.messageIdentifier, operation: pox.operation };
    switch (pox.operation as OutcomeOperation) {
      case 'replaceResult': {
        const score = parseOutcomeScore(pox.score);
        if (!score.ok) throw new Refusal(score.reason, ledger);
        const data = checkOutcomeData(pox.resultData, resolved.score && new URL(resolved.score.link.url).origin);
        if (!data.ok) throw new Refusal(data.reason, ledger);
        await this.apply(resolved, { given: score.value, maximum: '1' }, ledger, data.value);
        return { reference, description: `The score for ${pox.sourcedId} is now ${score.value}` };
      }
      case 'deleteResult':
        await this.apply(resolved, null, ledger);
        return { reference, description: `The score for ${pox.sourcedId} was deleted` };
      case 'readResult': {
        const stored = await this.read(resolved, ledger);
        return { reference, description: stored === null ? 'No score yet' : `The score is ${stored}`, score: stored };
      }
    }
  }

  private async apply(
    resolved: ResolvedTarget,
    score: { given: string; maximum: string } | null,
    ledger: LedgerContext,
    data: OutcomeData | null = null,
  ) {
    const details = { ...NO_DETAILS, ...data };
    if (resolved.score) await this.intake.applyScore(resolved.score, score, ledger, new Date(), details);
    else await this.intake.acknowledgePreview(ledger);
  }

  /** 1.1 scores are over a maximum of 1; one that came in on another scale (AGS) is normalized. */
  private async read(resolved: ResolvedTarget, ledger: LedgerContext): Promise<string | null> {
    const progress: ActivityProgress | null = resolved.score ? await this.intake.read(resolved.score) : null;
    await this.intake.recordRead(ledger, progress);
    if (progress?.scoreGiven == null) return null;
    return progress.scoreMaximum === '1'
      ? progress.scoreGiven
      : String(Number(progress.scoreGiven) / Number(progress.scoreMaximum));
  }

  /** Never lets a ledger failure turn a refusal into an error: the tool still gets its POX failure. */
  private async recordRefusal(ledger: LedgerContext, reason: string): Promise<void> {
    try {
      await this.intake.refuse(ledger, reason);
    } catch (error) {
      this.logger.error({ err: error }, 'Could not record a refused outcomes request in the score ledger');
    }
  }
}

/** What the ledger can say of a request refused before its target was known. */
function unresolved(provider: LtiProvider | null, pox: OutcomeRequest | null, requestId: string | null): LedgerContext {
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
