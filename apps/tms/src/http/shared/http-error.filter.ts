import { ArgumentsHost, Catch, ExceptionFilter, Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { pageContextOf } from './decorators';
import { Problem, toProblem } from './problem';
import { AppRequest, transportOf } from './request-context';
import { Views } from './views';

/**
 * The last word on every error: problem+json (RFC 9457) for the API, an HTML page for browsers.
 * Protocol endpoints (OAuth2, POX, OIDC) put their own filter in front of this one.
 */
@Catch()
@Injectable()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  constructor(private readonly views: Views) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<AppRequest>();
    const response = host.switchToHttp().getResponse<Response>();
    const problem = toProblem(error);
    if (!problem.expected) {
      this.logger.error({ err: error, requestId: request.id }, 'Unhandled error');
    }
    if (response.headersSent) return;
    if (problem.retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(problem.retryAfterSeconds));
    if (transportOf(request) !== 'page') {
      sendProblem(response, request, problem);
    } else {
      this.sendPage(response, request, problem);
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
      this.logger.error({ err: renderError, requestId: request.id }, 'Error page failed to render');
      html = `<!doctype html><title>${problem.status}</title><h1>${problem.title}</h1>`;
    }
    response.status(problem.status).type('html').send(html);
  }
}

export function sendProblem(response: Response, request: AppRequest, problem: Problem): void {
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
