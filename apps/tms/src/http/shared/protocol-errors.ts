import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { outcomeResponse, POX_MEDIA_TYPE } from '@tms/lti';
import { Problem } from './problem';

/**
 * RFC 6749 §5.2 for the token endpoint. An outage is `temporarily_unavailable` and a fault of ours
 * `server_error` (the codes §4.1.2.1 defines for the same situations at the authorization endpoint),
 * anything the client sent that no parser could read is `invalid_request`.
 */
export function sendOAuthError(response: Response, problem: Problem): void {
  const error =
    problem.status === 503 ? 'temporarily_unavailable' : problem.status >= 500 ? 'server_error' : 'invalid_request';
  response.setHeader('Cache-Control', 'no-store');
  response.status(problem.status).json({ error, error_description: problem.detail });
}

/**
 * LTI 1.1.1 §6 Basic Outcomes: a POX `failure` that names no request message (none could be read),
 * under the HTTP status of the problem, so a tool that reads only the status learns it too.
 */
export function sendPoxFailure(response: Response, problem: Problem): void {
  const xml = outcomeResponse({
    messageIdentifier: randomUUID(),
    messageRefIdentifier: null,
    operation: null,
    codeMajor: 'failure',
    severity: 'error',
    description: problem.detail,
  });
  response.status(problem.status).type(`${POX_MEDIA_TYPE}; charset=utf-8`).send(xml);
}
