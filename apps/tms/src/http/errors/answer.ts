import type { ArgumentsHost } from '@nestjs/common';
import type { Response } from 'express';
import type { AppRequest } from '../shared/request-context';
import { Problem, problemFor } from './problem';

/** The request, the response and the problem an error is answered with (logged when it is a 5xx). */
export interface ErrorAnswer {
  readonly request: AppRequest;
  readonly response: Response;
  readonly problem: Problem;
}

/** Null when the response is already on its way: nothing more can be said. */
export function errorAnswer(error: unknown, host: ArgumentsHost): ErrorAnswer | null {
  const request = host.switchToHttp().getRequest<AppRequest>();
  const response = host.switchToHttp().getResponse<Response>();
  const problem = problemFor(error, request);
  if (response.headersSent) return null;
  // RFC 9110 §10.2.3: how long to wait before trying again, when waiting can help (an outage).
  if (problem.retryAfter !== null) response.setHeader('Retry-After', String(problem.retryAfter));
  return { request, response, problem };
}
