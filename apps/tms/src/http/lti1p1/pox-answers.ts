import { randomUUID } from 'node:crypto';
import type { OutcomeAnswer, OutcomeReference, OutcomeRefused } from '@tms/core';
import { outcomeResponse, POX_MEDIA_TYPE } from '@tms/lti';

/** Basic Outcomes answers in POX (LTI 1.1.1 §6): the status travels in `imsx_codeMajor`. */
export const POX_CONTENT_TYPE = `${POX_MEDIA_TYPE}; charset=utf-8`;

/** A request carried out. */
export function poxSuccess(answer: OutcomeAnswer): string {
  return outcomeResponse({
    messageIdentifier: randomUUID(),
    messageRefIdentifier: answer.reference.messageIdentifier,
    operation: answer.reference.operation,
    codeMajor: 'success',
    severity: 'status',
    description: answer.description,
    score: answer.score,
  });
}

/** A request refused: `unsupported` for an operation we do not offer, `failure` otherwise. */
export function poxRefusal(refused: OutcomeRefused): string {
  return outcomeResponse({
    messageIdentifier: randomUUID(),
    messageRefIdentifier: refused.reference.messageIdentifier,
    operation: refused.reference.operation,
    codeMajor: refused.unsupported ? 'unsupported' : 'failure',
    severity: refused.unsupported ? 'status' : 'error',
    description: refused.message,
  });
}

/** A failure: ours, or a request no parser could read (no reference then). */
export function poxFailure(reference: OutcomeReference | null, description: string): string {
  return outcomeResponse({
    messageIdentifier: randomUUID(),
    messageRefIdentifier: reference?.messageIdentifier ?? null,
    operation: reference?.operation ?? null,
    codeMajor: 'failure',
    severity: 'error',
    description,
  });
}
