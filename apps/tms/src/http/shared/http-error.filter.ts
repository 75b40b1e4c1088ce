import { ArgumentsHost, Catch, ExceptionFilter, Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { pageContextOf } from './decorators';
import { Problem, toProblem } from './problem';
import { sendOAuthError, sendPoxFailure } from './protocol-errors';
import { AppRequest, errorFormatOf } from './request-context';
import { Views } from './views';

const logger = new Logger('HttpError');

/**
 * The problem to answer `error` with. Every 5xx is logged here with its cause and the request id,
 * whichever transport answers it; the answer itself never shows the cause.
 */
export function problemFor(error: unknown, request: AppRequest): Problem {
  const problem = toProblem(error);
  if (!problem.expected) {
    const message = problem.status === 503 ? 'Database unavailable' : 'Unhandled error';
    logger.error({ err: error, requestId: request.id, status: problem.status, path: request.path }, message);
  }
  return problem;
}

/**
 * The last word on every error, in the format of whoever asked: problem+json (RFC 9457) for the API,
 * AGS, NRPS and health; an OAuth 2.0 error for the token endpoint; a POX failure for Basic Outcomes;
 * an HTML page for browsers. Routes that answer their own protocol errors do so before this.
 */
@Catch()
@Injectable()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(private readonly views: Views) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<AppRequest>();
    const response = host.switchToHttp().getResponse<Response>();
    const problem = problemFor(error, request);
    if (response.headersSent) return;
    setRetryAfter(response, problem);
    switch (errorFormatOf(request)) {
      case 'page':
        return this.sendPage(response, request, problem);
      case 'oauth':
        return sendOAuthError(response, problem);
      case 'pox':
        return sendPoxFailure(response, problem);
      case 'problem':
        return sendProblem(response, request, problem);
    }
  }

  private sendPage(response: Response, request: AppRequest, problem: Problem): void {
    if (problem.code === 'unauthenticated' && request.method === 'GET') {
      response.redirect(303, `/login?next=${encodeURIComponent(request.originalUrl)}`);
      return;
    }
    let html: string;
    try {
      html = this.views.render('errors/error', pageContextOf(request), { problem, requestId: request.id });
    } catch (renderError) {
      // The error page itself failed: answer with something that cannot fail, never a stack trace.
      logger.error({ err: renderError, requestId: request.id }, 'Error page failed to render');
      html = `<!doctype html><title>${problem.status}</title><h1>${problem.title}</h1>`;
    }
    response.status(problem.status).type('html').send(html);
  }
}

/** RFC 9110 §10.2.3: how long to wait before trying again, when waiting can help (an outage). */
export function setRetryAfter(response: Response, problem: Problem): void {
  if (problem.retryAfter !== null) response.setHeader('Retry-After', String(problem.retryAfter));
}

export function sendProblem(response: Response, request: AppRequest, problem: Problem): void {
  setRetryAfter(response, problem);
  // LTI services set their own RFC 6750 challenge first; the API's is the default.
  if (problem.status === 401 && !response.hasHeader('WWW-Authenticate')) {
    response.setHeader('WWW-Authenticate', 'Bearer realm="tms"');
  }
  response
    .status(problem.status)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: `urn:tms:problem:${problem.code}`,
        title: problem.title,
        status: problem.status,
        detail: problem.detail,
        code: problem.code,
        ...(problem.fields.length > 0 ? { errors: problem.fields } : {}),
        instance: request.path,
        requestId: request.id,
      }),
    );
}
